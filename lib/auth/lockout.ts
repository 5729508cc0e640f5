/**
 * Sign-in lockout, in memory per instance: after `maxFailures` wrong passwords from one IP
 * within `windowMs`, that IP is refused for `lockMs`. A global cap (all IPs together) bounds
 * guessing from rotating or spoofed addresses: once reached, every sign-in waits for the
 * window to pass (sessions already signed in are not affected).
 */
export interface LockoutOptions {
  maxFailures?: number;
  windowMs?: number;
  lockMs?: number;
  globalMaxFailures?: number;
  now?: () => number;
}

export type LockoutState = { locked: false } | { locked: true; retryAfterSec: number; scope: "ip" | "global" };

export class SignInLockout {
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly lockMs: number;
  private readonly globalMax: number;
  private readonly now: () => number;
  private readonly byIp = new Map<string, { failures: number[]; lockedUntil: number }>();
  private global: number[] = [];

  constructor(options: LockoutOptions = {}) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 15 * 60_000;
    this.lockMs = options.lockMs ?? 15 * 60_000;
    this.globalMax = options.globalMaxFailures ?? 100;
    this.now = options.now ?? Date.now;
  }

  check(ip: string): LockoutState {
    const now = this.now();
    const entry = this.byIp.get(ip);
    if (entry && entry.lockedUntil > now) return { locked: true, retryAfterSec: Math.ceil((entry.lockedUntil - now) / 1000), scope: "ip" };
    this.global = this.global.filter((t) => t > now - this.windowMs);
    if (this.global.length >= this.globalMax) {
      return { locked: true, retryAfterSec: Math.ceil((this.global[0]! + this.windowMs - now) / 1000), scope: "global" };
    }
    return { locked: false };
  }

  /** Records a wrong password; returns the state after it (locked once the limit is reached). */
  fail(ip: string): LockoutState {
    const now = this.now();
    this.global.push(now);
    const entry = this.byIp.get(ip) ?? { failures: [], lockedUntil: 0 };
    entry.failures = entry.failures.filter((t) => t > now - this.windowMs);
    entry.failures.push(now);
    if (entry.failures.length >= this.maxFailures) {
      entry.lockedUntil = now + this.lockMs;
      entry.failures = [];
    }
    this.byIp.set(ip, entry);
    if (this.byIp.size > 10_000) this.prune(now);
    return this.check(ip);
  }

  succeed(ip: string) {
    this.byIp.delete(ip);
  }

  remainingAttempts(ip: string): number {
    const entry = this.byIp.get(ip);
    const now = this.now();
    return this.maxFailures - (entry?.failures.filter((t) => t > now - this.windowMs).length ?? 0);
  }

  private prune(now: number) {
    for (const [ip, entry] of this.byIp) {
      if (entry.lockedUntil <= now && entry.failures.every((t) => t <= now - this.windowMs)) this.byIp.delete(ip);
    }
  }
}
