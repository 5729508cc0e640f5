/**
 * Limits shared by several instances through the database: the per-minute create limit's token
 * buckets and the sign-in lockout. Two instances are two connections (two pools on PostgreSQL:
 * run with TEST_DATABASE_URL, as tests/run-all.sh does; on PGlite both are the one connection,
 * which still checks the counting). Concurrent takes through both never pass the limit.
 */
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { databaseSignInGuard, type SignInGuard } from "@/lib/auth/lockout";
import type { Db } from "@/lib/db/client";
import { takeRateToken } from "@/lib/db/rate-buckets";
import { resetEnvForTests } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { databaseBuckets, enforceCreateLimits, type CreateLimits } from "@/lib/limits/create-limits";
import { openTestDatabase, type TestDatabase } from "./support/pipeline";

let database: TestDatabase;
let a: Db;
let b: Db;

beforeAll(async () => {
  database = await openTestDatabase();
  a = database.db;
  b = await database.another();
});
afterAll(async () => {
  await database?.close();
});
beforeEach(async () => {
  await a.execute(sql`truncate table rate_buckets, signin_records`);
});
afterEach(() => {
  delete process.env.DATABASE_URL;
  resetEnvForTests();
});

const perMinute = (n: number): CreateLimits => ({ createPerMinute: n, maxUnfinished: 0, dailyClips: 0 });

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("the per-minute create limit, counted in the database", () => {
  test(`N creates through instance A, then the N+1th through B is refused with rate_limited and a Retry-After`, async () => {
    const limits = perMinute(3);
    const onA = databaseBuckets(a, 3);
    const onB = databaseBuckets(b, 3);
    for (let i = 0; i < 3; i++) await enforceCreateLimits(a, { sessionId: "sess-1", ip: "203.0.113.7" }, limits, { buckets: onA });
    const error = await refusal(enforceCreateLimits(b, { sessionId: "sess-1", ip: "203.0.113.7" }, limits, { buckets: onB }));
    expect(error.code).toBe("rate_limited");
    // One token comes back every 20 s at 3 a minute.
    expect(error.retryAfterSec).toBeGreaterThanOrEqual(19);
    expect(error.retryAfterSec).toBeLessThanOrEqual(20);

    // The same address with another session is still one address: refused on either instance.
    const byAddress = await refusal(enforceCreateLimits(a, { sessionId: "sess-2", ip: "203.0.113.7" }, limits, { buckets: onA }));
    expect(byAddress.params).toMatchObject({ who: "address" });
    // Another client is not touched.
    await enforceCreateLimits(b, { sessionId: "sess-3", ip: "203.0.113.8" }, limits, { buckets: onB });
  });

  test("concurrent takes from two instances pass exactly the bucket's capacity", async () => {
    const onA = databaseBuckets(a, 5);
    const onB = databaseBuckets(b, 5);
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? onA : onB).take("ip:198.51.100.1")));
    expect(results.filter((r) => r.ok).length).toBe(5);
  });

  test("tokens refill with time, and a refund never fills past capacity", async () => {
    const t0 = new Date("2026-12-02T10:00:00Z");
    const take = (db: Db, at: Date) => takeRateToken({ db, key: "create:ip:x", capacity: 2, refillPerSec: 2 / 60, at });
    expect(await take(a, t0)).toEqual({ ok: true });
    expect(await take(b, t0)).toEqual({ ok: true });
    expect(await take(a, t0)).toEqual({ ok: false, retryAfterSec: 30 });
    expect(await take(b, new Date(t0.getTime() + 10_000))).toEqual({ ok: false, retryAfterSec: 20 });
    expect(await take(b, new Date(t0.getTime() + 30_000))).toEqual({ ok: true });

    const buckets = databaseBuckets(a, 2);
    await buckets.refund("ip:y"); // no bucket yet: nothing to give back
    expect((await buckets.take("ip:y")).ok).toBe(true);
    await buckets.refund("ip:y");
    await buckets.refund("ip:y");
    await buckets.refund("ip:y");
    const taken = await Promise.all([buckets.take("ip:y"), buckets.take("ip:y"), buckets.take("ip:y")]);
    expect(taken.filter((r) => r.ok).length).toBe(2);
  });

  test("with DATABASE_URL the app's default buckets are the database's; without it they stay in memory", async () => {
    const count = async () => Number(((await a.execute(sql`select count(*)::int as n from rate_buckets`)) as unknown as { rows: { n: number }[] }).rows[0]!.n);
    await enforceCreateLimits(a, { ip: "192.0.2.10" }, perMinute(5));
    expect(await count()).toBe(0);
    process.env.DATABASE_URL = "postgres://studio@db.internal/studio";
    resetEnvForTests();
    await enforceCreateLimits(a, { ip: "192.0.2.10" }, perMinute(5));
    expect(await count()).toBe(1);
  });
});

describe("the sign-in lockout, counted in the database", () => {
  let now = Date.parse("2026-12-02T10:00:00Z");
  const guards = (options = {}): [SignInGuard, SignInGuard] => [databaseSignInGuard(a, { now: () => now, ...options }), databaseSignInGuard(b, { now: () => now, ...options })];

  test("wrong passwords spread over two instances add up to one lock, seen by both", async () => {
    const [onA, onB] = guards();
    const guesser = { ip: "203.0.113.50" };
    for (let i = 0; i < 2; i++) expect((await onA.fail(guesser)).locked).toBe(false);
    now += 1000;
    for (let i = 0; i < 2; i++) expect((await onB.fail(guesser)).locked).toBe(false);
    expect(await onA.remainingAttempts(guesser)).toBe(1);
    expect(await onB.fail(guesser)).toEqual({ locked: true, retryAfterSec: 900, scope: "ip" });
    now += 60_000;
    expect(await onA.admit(guesser)).toEqual({ locked: true, retryAfterSec: 840, scope: "ip" });
    expect(await onB.admit({ ip: "203.0.113.51" })).toEqual({ locked: false });
    now += 841_000;
    expect(await onA.admit(guesser)).toEqual({ locked: false });
    expect(await onB.remainingAttempts(guesser)).toBe(5);
  });

  test("concurrent wrong passwords through both instances are all counted", async () => {
    const [onA, onB] = guards();
    const guesser = { ip: "203.0.113.60" };
    const states = await Promise.all(Array.from({ length: 4 }, (_, i) => (i % 2 ? onA : onB).fail(guesser)));
    expect(states.every((s) => !s.locked)).toBe(true);
    expect(await onA.remainingAttempts(guesser)).toBe(1);
    expect((await onB.fail(guesser)).locked).toBe(true);
  });

  test("a right password on one instance clears the client's record for both", async () => {
    const [onA, onB] = guards();
    const owner = { ip: "203.0.113.70", device: "dev-1" };
    for (let i = 0; i < 4; i++) await onA.fail(owner);
    await onB.succeed(owner);
    expect(await onA.remainingAttempts(owner)).toBe(5);
  });

  test("a flood over both instances puts sign-in in slow mode once: one evaluated attempt per interval across them; known browsers pass", async () => {
    const [onA, onB] = guards({ globalMaxFailures: 20, slowIntervalMs: 10_000 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? onA : onB).fail({ ip: `198.51.100.${i}` })));
    const stranger = { ip: "192.0.2.99" };
    expect(await onA.admit(stranger)).toEqual({ locked: false });
    expect(await onB.admit({ ip: "192.0.2.98" })).toEqual({ locked: true, retryAfterSec: 10, scope: "global" });
    expect(await onB.admit({ device: "owner-browser" })).toEqual({ locked: false });
    now += 10_000;
    expect(await onB.admit(stranger)).toEqual({ locked: false });
  });
});
