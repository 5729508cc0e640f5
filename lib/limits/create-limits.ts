import "server-only";
import { and, gte, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { countUnfinished } from "@/lib/db/queries";
import { generationEvents } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { TokenBuckets } from "./token-bucket";

/** Who is asking: the signed-in session (when the gate is on) and the client address. */
export interface ClientIdentity {
  sessionId?: string;
  ip?: string;
}

export interface CreateLimits {
  /** Creations per minute per session and per IP (burst = the same number); 0: off. */
  createPerMinute: number;
  /** Unfinished tasks at once, across every client and instance; 0: off. */
  maxUnfinished: number;
  /** Clips per UTC day across every client and instance; 0: off. */
  dailyClips: number;
}

const globalForLimits = globalThis as unknown as { seedanceCreateBuckets?: { rate: number; buckets: TokenBuckets } };

function bucketsFor(perMinute: number): TokenBuckets {
  const current = globalForLimits.seedanceCreateBuckets;
  if (current && current.rate === perMinute) return current.buckets;
  const buckets = new TokenBuckets(perMinute, perMinute / 60);
  globalForLimits.seedanceCreateBuckets = { rate: perMinute, buckets };
  return buckets;
}

function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/**
 * Clips created since UTC midnight, counted from the creation events (status `queued`), which
 * outlive deleted clips: deleting clips does not give the budget back.
 */
export async function clipsCreatedToday(db: Db, now = new Date()): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)` })
    .from(generationEvents)
    .where(and(gte(generationEvents.createdAt, startOfUtcDay(now)), sql`${generationEvents.payload}->>'status' = 'queued'`));
  return Number(row?.n ?? 0);
}

/**
 * Throws `rate_limited` (429 with Retry-After) when a new clip would break a limit. Per-client
 * buckets first (cheap, in memory), then the database-wide caps; a request refused by a cap
 * gets its bucket tokens back.
 */
export async function enforceCreateLimits(
  db: Db,
  client: ClientIdentity,
  limits: CreateLimits,
  { buckets = limits.createPerMinute > 0 ? bucketsFor(limits.createPerMinute) : undefined, now = new Date() }: { buckets?: TokenBuckets; now?: Date } = {},
): Promise<void> {
  const keys = [client.sessionId ? `s:${client.sessionId}` : null, client.ip ? `ip:${client.ip}` : null].filter((k): k is string => k !== null);
  const taken: string[] = [];
  const refund = () => taken.forEach((k) => buckets?.refund(k));
  if (buckets) {
    for (const key of keys) {
      const result = buckets.take(key);
      if (!result.ok) {
        refund();
        const who = key.startsWith("s:") ? "this session" : "this address";
        throw new AppError("rate_limited", `Too many new clips from ${who}: at most ${limits.createPerMinute} a minute.`, {
          retryAfterSec: result.retryAfterSec,
          code: "rate_limited",
        });
      }
      taken.push(key);
    }
  }
  try {
    if (limits.maxUnfinished > 0) {
      const unfinished = await countUnfinished({ db });
      if (unfinished >= limits.maxUnfinished) {
        throw new AppError("rate_limited", `${unfinished} clips are still being made (the limit is ${limits.maxUnfinished}). Wait for some to finish.`, {
          retryAfterSec: 30,
          code: "too_many_unfinished",
        });
      }
    }
    if (limits.dailyClips > 0) {
      const today = await clipsCreatedToday(db, now);
      if (today >= limits.dailyClips) {
        const tomorrow = startOfUtcDay(now).getTime() + 86_400_000;
        throw new AppError("rate_limited", `Today's budget of ${limits.dailyClips} clips is spent; it resets at midnight UTC.`, {
          retryAfterSec: Math.max(1, Math.ceil((tomorrow - now.getTime()) / 1000)),
          code: "daily_limit",
        });
      }
    }
  } catch (error) {
    refund();
    throw error;
  }
}
