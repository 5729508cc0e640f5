/**
 * The sign-in guard, in memory per instance. Three records, each with its own reason:
 *
 * - Per client: 5 wrong passwords within 15 minutes lock that client for 15 minutes. A client is
 *   its address (only when the address is known: `TRUST_PROXY`, see client-ip.ts) and its
 *   browser, when the browser has signed in here before (`device`, a signed cookie that only a
 *   successful sign-in hands out, see device.ts).
 * - Globally: 100 wrong passwords within 15 minutes, from anyone, put sign-in in slow mode.
 *   Slow mode does not refuse everyone (that would be an off switch for the owner any stranger
 *   can press): it evaluates one attempt per `slowIntervalMs` from clients it cannot tell
 *   apart, and an evaluated right password always gets in. Guessing is bounded to about six
 *   tries a minute however many addresses an attacker has.
 * - A browser that has signed in here before is judged only on its own record, so the owner's
 *   browsers are never slowed by a flood they did not send.
 */
export interface LockoutOptions {
  maxFailures?: number;
  windowMs?: number;
  lockMs?: number;
  globalMaxFailures?: number;
  /** In slow mode: the interval between two attempts evaluated for unknown clients. */
  slowIntervalMs?: number;
  now?: () => number;
}

/** Who is trying: the address when known, the browser's device id when it has one. */
export interface SignInAttempt {
  ip?: string;
  device?: string;
}

export type LockoutScope = "ip" | "device" | "global";
export type LockoutState = { locked: false } | { locked: true; retryAfterSec: number; scope: LockoutScope };

interface ClientRecord {
  failures: number[];
  lockedUntil: number;
}

export class SignInLockout {
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly lockMs: number;
  private readonly globalMax: number;
  private readonly slowIntervalMs: number;
  private readonly now: () => number;
  private readonly clients = new Map<string, ClientRecord>();
  private global: number[] = [];
  private nextSlowSlot = 0;

  constructor(options: LockoutOptions = {}) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 15 * 60_000;
    this.lockMs = options.lockMs ?? 15 * 60_000;
    this.globalMax = options.globalMaxFailures ?? 100;
    this.slowIntervalMs = options.slowIntervalMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** The per-client records that apply: the device alone when there is one, else the address. */
  private keysOf(attempt: SignInAttempt): { key: string; scope: "ip" | "device" }[] {
    if (attempt.device) return [{ key: `d:${attempt.device}`, scope: "device" }];
    return attempt.ip ? [{ key: `ip:${attempt.ip}`, scope: "ip" }] : [];
  }

  /** Whether the global failure budget of the window is spent. */
  slowMode(): boolean {
    const now = this.now();
    this.global = this.global.filter((t) => t > now - this.windowMs);
    return this.global.length >= this.globalMax;
  }

  /**
   * May this attempt's password be evaluated now? In slow mode this takes the one slot of the
   * interval (an attempt let through here is evaluated, right or wrong).
   */
  admit(attempt: SignInAttempt): LockoutState {
    const now = this.now();
    for (const { key, scope } of this.keysOf(attempt)) {
      const record = this.clients.get(key);
      if (record && record.lockedUntil > now) return { locked: true, retryAfterSec: Math.ceil((record.lockedUntil - now) / 1000), scope };
    }
    if (attempt.device || !this.slowMode()) return { locked: false };
    if (now < this.nextSlowSlot) return { locked: true, retryAfterSec: Math.ceil((this.nextSlowSlot - now) / 1000), scope: "global" };
    this.nextSlowSlot = now + this.slowIntervalMs;
    return { locked: false };
  }

  /** Records a wrong password; the state after it for this client (locked once its limit is reached). */
  fail(attempt: SignInAttempt): LockoutState {
    const now = this.now();
    this.global.push(now);
    for (const { key, scope } of this.keysOf(attempt)) {
      const record = this.clients.get(key) ?? { failures: [], lockedUntil: 0 };
      record.failures = record.failures.filter((t) => t > now - this.windowMs);
      record.failures.push(now);
      if (record.failures.length >= this.maxFailures) {
        record.lockedUntil = now + this.lockMs;
        record.failures = [];
      }
      this.clients.set(key, record);
      if (record.lockedUntil > now) return { locked: true, retryAfterSec: Math.ceil((record.lockedUntil - now) / 1000), scope };
    }
    if (this.clients.size > 10_000) this.prune(now);
    return { locked: false };
  }

  succeed(attempt: SignInAttempt) {
    for (const { key } of this.keysOf(attempt)) this.clients.delete(key);
  }

  /** Wrong passwords this client has left before its lockout; undefined for a client it cannot tell apart. */
  remainingAttempts(attempt: SignInAttempt): number | undefined {
    const keys = this.keysOf(attempt);
    if (keys.length === 0) return undefined;
    const now = this.now();
    return Math.min(...keys.map(({ key }) => this.maxFailures - (this.clients.get(key)?.failures.filter((t) => t > now - this.windowMs).length ?? 0)));
  }

  private prune(now: number) {
    for (const [key, record] of this.clients) {
      if (record.lockedUntil <= now && record.failures.every((t) => t <= now - this.windowMs)) this.clients.delete(key);
    }
  }
}
