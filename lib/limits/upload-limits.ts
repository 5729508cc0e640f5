import "server-only";
import type { Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { databaseBuckets, type ClientIdentity, type RateBuckets } from "./create-limits";
import { TokenBuckets } from "./token-bucket";

/**
 * Reference uploads per minute per session and per address (app/api/references), as a multiple
 * of the clip rate (`RATE_LIMIT_PER_MINUTE`, burst = the same number): one upload is up to 100 MB
 * written to disk and probed with ffmpeg, and a 2.5 clip takes up to 50 references, so at the
 * default 10 clips a minute that is one full set of 50 a minute. 0 turns it off with the clip rate.
 */
export const UPLOAD_RATE_FACTOR = 5;

const globalForUploads = globalThis as unknown as { seedanceUploadBuckets?: { rate: number; buckets: TokenBuckets } };

/** With DATABASE_URL the buckets are shared by every instance; with PGlite (one instance) in memory. */
function bucketsFor(db: Db, perMinute: number): RateBuckets {
  if (env().databaseUrl) return databaseBuckets(db, perMinute, "upload");
  const current = globalForUploads.seedanceUploadBuckets;
  if (current && current.rate === perMinute) return current.buckets;
  const buckets = new TokenBuckets(perMinute, perMinute / 60);
  globalForUploads.seedanceUploadBuckets = { rate: perMinute, buckets };
  return buckets;
}

/**
 * Throws `upload_rate_limited` (429 with Retry-After) when this upload would break the rate, before
 * a byte of it is read. The caller's session (or API key) and address each have a bucket, as for
 * creates; a caller with neither (no gate, no trusted proxy) is not limited.
 */
export async function enforceUploadRate(
  db: Db,
  client: ClientIdentity,
  createPerMinute: number,
  { buckets }: { buckets?: RateBuckets } = {},
): Promise<void> {
  const perMinute = createPerMinute * UPLOAD_RATE_FACTOR;
  if (perMinute <= 0) return;
  const bucket = buckets ?? bucketsFor(db, perMinute);
  const keys = [client.sessionId ? `s:${client.sessionId}` : null, client.ip ? `ip:${client.ip}` : null].filter((k): k is string => k !== null);
  const taken: string[] = [];
  for (const key of keys) {
    const result = await bucket.take(key);
    if (!result.ok) {
      await Promise.all(taken.map((k) => bucket.refund(k)));
      throw new AppError("upload_rate_limited", { max: perMinute }, { retryAfterSec: result.retryAfterSec });
    }
    taken.push(key);
  }
}
