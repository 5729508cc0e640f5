/**
 * Calendar boundaries the studio counts by. Always UTC, so a daily budget and the usage totals
 * reset at the same moment on every instance, whatever its time zone.
 */

export const DAY_MS = 86_400_000;

/** Midnight UTC at the start of `now`'s day. */
export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** Midnight UTC at the start of `now`'s month. */
export function startOfUtcMonth(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}
