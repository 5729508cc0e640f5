/**
 * Token buckets keyed by client (session id, IP), in memory: `capacity` requests at once,
 * refilled at `refillPerSec`. Used with PGlite (one instance); on PostgreSQL the same buckets
 * live in the database, shared by every instance (create-limits.ts `databaseBuckets`).
 */
export type TakeResult = { ok: true } | { ok: false; retryAfterSec: number };

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly capacity: number,
    private readonly refillPerSec: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 50_000,
  ) {}

  take(key: string, cost = 1): TakeResult {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.refillPerSec);
    bucket.at = now;
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      this.buckets.set(key, bucket);
      if (this.buckets.size > this.maxKeys) this.prune(now);
      return { ok: true };
    }
    this.buckets.set(key, bucket);
    return { ok: false, retryAfterSec: Math.max(1, Math.ceil((cost - bucket.tokens) / this.refillPerSec)) };
  }

  /** Gives a token back (a request refused later by another limit should not cost one). */
  refund(key: string, cost = 1) {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.capacity, bucket.tokens + cost);
  }

  private prune(now: number) {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.refillPerSec >= this.capacity) this.buckets.delete(key);
    }
  }
}
