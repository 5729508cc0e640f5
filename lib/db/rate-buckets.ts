import "server-only";
import { lt, sql } from "drizzle-orm";
import type { Db } from "./client";
import { rateBuckets } from "./schema";

export type BucketTake = { ok: true } | { ok: false; retryAfterSec: number };

/**
 * Takes `cost` tokens from the bucket `key` (full at `capacity`, refilled at `refillPerSec`), in
 * one statement: the refill, the check and the take happen under the row's lock, so two
 * instances taking the last token at once cannot both succeed.
 */
export async function takeRateToken({
  db,
  key,
  capacity,
  refillPerSec,
  cost = 1,
  at = new Date(),
}: {
  db: Db;
  key: string;
  capacity: number;
  refillPerSec: number;
  cost?: number;
  at?: Date;
}): Promise<BucketTake> {
  const now = sql`${at.toISOString()}::timestamptz`;
  const refilled = sql`least(${capacity}::float8, ${rateBuckets.tokens} + greatest(0, extract(epoch from (${now} - ${rateBuckets.refilledAt}))) * ${refillPerSec}::float8)`;
  const taken = (await db.execute(sql`
    insert into ${rateBuckets} (key, tokens, refilled_at) values (${key}, ${capacity - cost}::float8, ${now})
    on conflict (key) do update set tokens = ${refilled} - ${cost}::float8, refilled_at = greatest(${rateBuckets.refilledAt}, ${now})
    where ${refilled} >= ${cost}::float8
    returning tokens`)) as unknown as { rows: unknown[] };
  if (taken.rows.length > 0) return { ok: true };
  const current = (await db.execute(sql`select ${refilled} as tokens from ${rateBuckets} where key = ${key}`)) as unknown as { rows: { tokens: number | string }[] };
  const tokens = Number(current.rows[0]?.tokens ?? 0);
  // Less a hair for float rounding: 0.333… tokens short at 1/30 a second is 20 s, not 21.
  return { ok: false, retryAfterSec: Math.max(1, Math.ceil((cost - tokens) / refillPerSec - 1e-6)) };
}

/** Gives tokens back (a request another limit refused should not cost one), never past `capacity`. */
export async function refundRateToken({ db, key, capacity, cost = 1 }: { db: Db; key: string; capacity: number; cost?: number }): Promise<void> {
  await db.execute(sql`update ${rateBuckets} set tokens = least(${capacity}::float8, tokens + ${cost}::float8) where key = ${key}`);
}

/** Forgets buckets untouched since `before` (they would be full again anyway). */
export async function pruneRateBuckets({ db, before }: { db: Db; before: Date }): Promise<void> {
  await db.delete(rateBuckets).where(lt(rateBuckets.refilledAt, before));
}
