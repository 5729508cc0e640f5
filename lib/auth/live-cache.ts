/**
 * A short-lived cache of "this credential is still live" answers, so a busy client does not cost
 * a database read per request. Only positive answers are kept, for `ttlMs`; `forget` takes
 * effect at once on this instance, including for a lookup already in flight when it was called
 * (the epoch check: an answer read before a revocation is not stored after it). Other
 * instances see a revocation when their entry runs out, within `ttlMs`.
 */
export class LiveCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  private epoch = 0;

  constructor(private readonly options: { ttlMs: number; max: number; now?: () => number }) {}

  async lookup(key: string, load: () => Promise<V | null>): Promise<V | null> {
    const now = (this.options.now ?? Date.now)();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.value;
    const epoch = this.epoch;
    const value = await load();
    if (value === null || epoch !== this.epoch) {
      this.entries.delete(key);
      return value;
    }
    this.entries.delete(key);
    this.entries.set(key, { value, until: now + this.options.ttlMs });
    // Oldest first (a Map keeps insertion order).
    while (this.entries.size > this.options.max) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  /** Drops the entries `matches` picks (every entry without it); call after the database write. */
  forget(matches?: (key: string, value: V) => boolean) {
    this.epoch++;
    if (!matches) return this.entries.clear();
    for (const [key, entry] of this.entries) if (matches(key, entry.value)) this.entries.delete(key);
  }
}
