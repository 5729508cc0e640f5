import "server-only";
import type { Db } from "@/lib/db/client";
import { clipsCreatedSince } from "@/lib/db/generation-events";
import { countUnfinished } from "@/lib/db/generations";
import { pruneRateBuckets, refundRateToken, takeRateToken } from "@/lib/db/rate-buckets";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { DAY_MS, startOfUtcDay } from "@/lib/time";
import { TokenBuckets, type TakeResult } from "./token-bucket";

/** Who is asking: the signed-in session (when the gate is on) and the client address. */
export interface ClientIdentity {
  sessionId?: string;
  ip?: string;
}

export interface CreateLimits {
  /**
   * Creations per minute per session and per IP (burst = the same number), and
   * `STUDIO_RATE_FACTOR` times that across the whole studio; 0: off.
   */
  createPerMinute: number;
  /** Unfinished tasks at once, across every client and instance; 0: off. */
  maxUnfinished: number;
  /** Clips per UTC day across every client and instance; 0: off. */
  dailyClips: number;
}

/** Per-client token buckets: in this instance's memory (`TokenBuckets`) or in the shared database. */
export interface RateBuckets {
  take(key: string): TakeResult | Promise<TakeResult>;
  refund(key: string): void | Promise<void>;
}

/**
 * The per-minute buckets in PostgreSQL (`rate_buckets`), one count for every instance on it: a
 * client sending its creates to two instances meets one limit. Each take is one atomic update.
 * `scope` keeps one limit's buckets apart from another's (`create:`, `upload:`).
 */
export function databaseBuckets(db: Db, perMinute: number, scope = "create"): RateBuckets {
  const refillPerSec = perMinute / 60;
  let takesSincePrune = 0;
  return {
    async take(key) {
      if (++takesSincePrune >= 1000) {
        takesSincePrune = 0;
        // A bucket untouched for an hour is full again: its row can go.
        await pruneRateBuckets({ db, before: new Date(Date.now() - 3600_000) });
      }
      return takeRateToken({ db, key: `${scope}:${key}`, capacity: perMinute, refillPerSec });
    },
    refund: (key) => refundRateToken({ db, key: `${scope}:${key}`, capacity: perMinute }),
  };
}

const globalForLimits = globalThis as unknown as { seedanceCreateBuckets?: { rate: number; buckets: TokenBuckets } };

function memoryBucketsFor(perMinute: number): TokenBuckets {
  const current = globalForLimits.seedanceCreateBuckets;
  if (current && current.rate === perMinute) return current.buckets;
  const buckets = new TokenBuckets(perMinute, perMinute / 60);
  globalForLimits.seedanceCreateBuckets = { rate: perMinute, buckets };
  return buckets;
}

/** With DATABASE_URL (PostgreSQL, maybe several instances) the buckets are shared there; with PGlite (one instance) in memory. */
function bucketsFor(db: Db, perMinute: number): RateBuckets {
  return env().databaseUrl ? databaseBuckets(db, perMinute) : memoryBucketsFor(perMinute);
}

/**
 * New clips per minute across the whole studio (every session, address and instance, counted in
 * the database), as a multiple of the per-client rate: room for a few creators at full speed,
 * while sessions or addresses multiplied by a script still hit a bound.
 */
export const STUDIO_RATE_FACTOR = 3;

/** Clips created since UTC midnight (the daily budget). */
export async function clipsCreatedToday(db: Db, now = new Date()): Promise<number> {
  return (await clipsCreatedSince({ db, since: startOfUtcDay(now) })).count;
}

/** The limits counted in the database, shared by every client and instance; throws to refuse. */
async function checkStudioCaps(db: Db, limits: CreateLimits, now: Date): Promise<void> {
  if (limits.maxUnfinished > 0) {
    const unfinished = await countUnfinished({ db });
    if (unfinished >= limits.maxUnfinished) {
      throw new AppError("too_many_unfinished", { count: unfinished, max: limits.maxUnfinished }, {
        retryAfterSec: 30,
      });
    }
  }
  if (limits.createPerMinute > 0) {
    const max = limits.createPerMinute * STUDIO_RATE_FACTOR;
    const lastMinute = await clipsCreatedSince({ db, since: new Date(now.getTime() - 60_000) });
    if (lastMinute.count >= max) {
      const freed = (lastMinute.oldest?.getTime() ?? now.getTime()) + 60_000;
      throw new AppError("studio_rate_limited", { count: lastMinute.count, max }, {
        retryAfterSec: Math.max(1, Math.ceil((freed - now.getTime()) / 1000)),
      });
    }
  }
  if (limits.dailyClips > 0) {
    const today = await clipsCreatedToday(db, now);
    if (today >= limits.dailyClips) {
      const tomorrow = startOfUtcDay(now).getTime() + DAY_MS;
      throw new AppError("daily_limit", { max: limits.dailyClips }, {
        retryAfterSec: Math.max(1, Math.ceil((tomorrow - now.getTime()) / 1000)),
      });
    }
  }
}

/** What a create admitted by `enforceCreateLimits` hands to its insert. */
export interface CreateAdmission {
  /**
   * The studio-wide caps checked again inside the insert's transaction, under the create lock
   * (`insertGenerationWithEvent({ admit })`), so concurrent creates never pass a cap together.
   * Refusing gives the request's bucket tokens back.
   */
  admit(tx: Db): Promise<void>;
}

/**
 * Throws `rate_limited` (429 with Retry-After) when a new clip would break a limit. Per-client
 * buckets first (in memory, or one atomic update in PostgreSQL), then the database-wide caps; a request refused by a cap
 * gets its bucket tokens back. Before anything is stored, so a refused create costs little; the
 * returned admission checks the caps again, atomically with the insert.
 */
export async function enforceCreateLimits(
  db: Db,
  client: ClientIdentity,
  limits: CreateLimits,
  { buckets = limits.createPerMinute > 0 ? bucketsFor(db, limits.createPerMinute) : undefined, now = new Date() }: { buckets?: RateBuckets; now?: Date } = {},
): Promise<CreateAdmission> {
  const keys = [client.sessionId ? `s:${client.sessionId}` : null, client.ip ? `ip:${client.ip}` : null].filter((k): k is string => k !== null);
  const taken: string[] = [];
  const refund = async () => {
    await Promise.all(taken.map((k) => buckets?.refund(k)));
  };
  if (buckets) {
    for (const key of keys) {
      const result = await buckets.take(key);
      if (!result.ok) {
        await refund();
        const who = key.startsWith("s:") ? "session" : "address";
        throw new AppError("rate_limited", { who, max: limits.createPerMinute }, { retryAfterSec: result.retryAfterSec });
      }
      taken.push(key);
    }
  }
  const checked = async (tx: Db, at: Date) => {
    try {
      await checkStudioCaps(tx, limits, at);
    } catch (error) {
      await refund();
      throw error;
    }
  };
  await checked(db, now);
  return { admit: (tx) => checked(tx, new Date()) };
}
