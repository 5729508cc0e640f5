import type { Db } from "@/lib/db/client";
import { deleteSigninRecord, getSigninRecord, pruneSigninRecords, recordSigninFailure, takeSigninSlot } from "@/lib/db/signin-records";

/**
 * The sign-in guard: in memory per instance (`SignInLockout`, with PGlite: one instance), or in
 * PostgreSQL for every instance at once (`databaseSignInGuard`, with DATABASE_URL), the same
 * rules either way. Three records, each with its own reason:
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

/** The per-client records that apply: the device alone when there is one, else the address. */
function clientKeysOf(attempt: SignInAttempt): { key: string; scope: "ip" | "device" }[] {
  if (attempt.device) return [{ key: `d:${attempt.device}`, scope: "device" }];
  return attempt.ip ? [{ key: `ip:${attempt.ip}`, scope: "ip" }] : [];
}

const lockedFor = (until: number, now: number) => Math.ceil((until - now) / 1000);

/** What the sign-in action asks, wherever the records live. */
export interface SignInGuard {
  admit(attempt: SignInAttempt): Promise<LockoutState>;
  fail(attempt: SignInAttempt): Promise<LockoutState>;
  succeed(attempt: SignInAttempt): Promise<void>;
  remainingAttempts(attempt: SignInAttempt): Promise<number | undefined>;
}

/** The in-memory lockout behind the guard's (async) face: one instance, or PGlite. */
export function memorySignInGuard(lockout = new SignInLockout()): SignInGuard {
  return {
    admit: async (attempt) => lockout.admit(attempt),
    fail: async (attempt) => lockout.fail(attempt),
    succeed: async (attempt) => lockout.succeed(attempt),
    remainingAttempts: async (attempt) => lockout.remainingAttempts(attempt),
  };
}

/** Key names of the studio-wide records in `signin_records`. */
const GLOBAL_KEY = "global";
const SLOW_SLOT_KEY = "slow";

/**
 * The lockout counted in PostgreSQL (`signin_records`), shared by every instance on it: a
 * guesser spreading tries over instances behind a load balancer meets one count, one lock and
 * one slow-mode slot. Every update is atomic (lib/db/signin-records.ts).
 */
export function databaseSignInGuard(db: Db, options: LockoutOptions = {}): SignInGuard {
  const maxFailures = options.maxFailures ?? 5;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const lockMs = options.lockMs ?? 15 * 60_000;
  const globalMax = options.globalMaxFailures ?? 100;
  const slowIntervalMs = options.slowIntervalMs ?? 10_000;
  const now = options.now ?? Date.now;
  let failuresSincePrune = 0;

  const slowMode = async (at: number) => {
    const record = await getSigninRecord({ db, key: GLOBAL_KEY });
    return (record?.failures.filter((t) => t.getTime() > at - windowMs).length ?? 0) >= globalMax;
  };

  return {
    async admit(attempt) {
      const at = now();
      for (const { key, scope } of clientKeysOf(attempt)) {
        const record = await getSigninRecord({ db, key });
        const until = record?.lockedUntil?.getTime() ?? 0;
        if (until > at) return { locked: true, retryAfterSec: lockedFor(until, at), scope };
      }
      if (attempt.device || !(await slowMode(at))) return { locked: false };
      const slot = await takeSigninSlot({ db, key: SLOW_SLOT_KEY, at: new Date(at), intervalMs: slowIntervalMs });
      return slot.ok ? { locked: false } : { locked: true, retryAfterSec: lockedFor(slot.freeAt.getTime(), at), scope: "global" };
    },
    async fail(attempt) {
      const at = new Date(now());
      await recordSigninFailure({ db, key: GLOBAL_KEY, at, windowMs, maxFailures: globalMax, lockMs: 0 });
      // Now and then, records nobody has touched for a day go (a flood from many addresses leaves many).
      if (++failuresSincePrune >= 1000) {
        failuresSincePrune = 0;
        await pruneSigninRecords({ db, before: new Date(at.getTime() - 24 * 3600_000) });
      }
      for (const { key, scope } of clientKeysOf(attempt)) {
        const record = await recordSigninFailure({ db, key, at, windowMs, maxFailures, lockMs });
        const until = record.lockedUntil?.getTime() ?? 0;
        if (until > at.getTime()) return { locked: true, retryAfterSec: lockedFor(until, at.getTime()), scope };
      }
      return { locked: false };
    },
    async succeed(attempt) {
      for (const { key } of clientKeysOf(attempt)) await deleteSigninRecord({ db, key });
    },
    async remainingAttempts(attempt) {
      const keys = clientKeysOf(attempt);
      if (keys.length === 0) return undefined;
      const at = now();
      const left = await Promise.all(
        keys.map(async ({ key }) => maxFailures - ((await getSigninRecord({ db, key }))?.failures.filter((t) => t.getTime() > at - windowMs).length ?? 0)),
      );
      return Math.min(...left);
    },
  };
}

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

  private keysOf(attempt: SignInAttempt) {
    return clientKeysOf(attempt);
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
