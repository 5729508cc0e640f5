/** Creation limits: per-client token buckets, the unfinished-task cap and the daily budget (database-wide). */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { insertGeneration } from "./support/seed";
import { generationEvents } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { clipsCreatedToday, enforceCreateLimits } from "@/lib/limits/create-limits";
import { TokenBuckets } from "@/lib/limits/token-bucket";
import { openTestDatabase, type TestDatabase } from "./support/pipeline";

let database: TestDatabase;
const off = { createPerMinute: 0, maxUnfinished: 0, dailyClips: 0 };

async function addClip(status: "queued" | "running" | "succeeded", createdAt = new Date()) {
  const id = newId();
  await insertGeneration({ db: database.db, row: { id, model: "m", prompt: "p", request: { model: "doubao-seedance-1-0-pro-fast-251015", prompt: "p" }, status } });
  await database.db.insert(generationEvents).values({ generationId: id, payload: { id, status: "queued" }, createdAt });
  return id;
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await database.reset();
});

describe("creation limits", () => {
  it("limits each session and each address separately, with Retry-After, and refunds refused requests", async () => {
    let now = 0;
    const buckets = new TokenBuckets(2, 2 / 60, () => now);
    const limits = { ...off, createPerMinute: 2 };
    await enforceCreateLimits(database.db, { sessionId: "a", ip: "1.1.1.1" }, limits, { buckets });
    await enforceCreateLimits(database.db, { sessionId: "a", ip: "1.1.1.1" }, limits, { buckets });
    const error = await refusal(enforceCreateLimits(database.db, { sessionId: "a", ip: "2.2.2.2" }, limits, { buckets }));
    expect(error.httpStatus).toBe(429);
    expect(error.message).toMatch(/this session/);
    expect(error.retryAfterSec).toBe(30);
    // Another session from the same address hits the address limit.
    const byIp = await refusal(enforceCreateLimits(database.db, { sessionId: "b", ip: "1.1.1.1" }, limits, { buckets }));
    expect(byIp.message).toMatch(/this address/);
    // Session b's token was given back when the address refused it.
    await enforceCreateLimits(database.db, { sessionId: "b", ip: "3.3.3.3" }, limits, { buckets });
    now += 30_000;
    await enforceCreateLimits(database.db, { sessionId: "a", ip: "4.4.4.4" }, limits, { buckets });
  });

  it("caps unfinished tasks across everyone", async () => {
    await addClip("queued");
    await addClip("running");
    await addClip("succeeded");
    await enforceCreateLimits(database.db, {}, { ...off, maxUnfinished: 3 });
    await addClip("queued");
    const error = await refusal(enforceCreateLimits(database.db, {}, { ...off, maxUnfinished: 3 }));
    expect(error.httpStatus).toBe(429);
    expect(error.code).toBe("too_many_unfinished");
    expect(error.retryAfterSec).toBeGreaterThan(0);
  });

  it("keeps a daily budget that deleting clips does not give back, reset at midnight UTC", async () => {
    const now = new Date(Date.UTC(2026, 5, 1, 22, 0, 0));
    await addClip("succeeded", new Date(Date.UTC(2026, 4, 31, 23, 59)));
    await addClip("succeeded", new Date(Date.UTC(2026, 5, 1, 0, 1)));
    const deleted = await addClip("succeeded", new Date(Date.UTC(2026, 5, 1, 12, 0)));
    await database.db.execute(`delete from generations where id = '${deleted}'`);
    expect(await clipsCreatedToday(database.db, now)).toBe(2);
    await enforceCreateLimits(database.db, {}, { ...off, dailyClips: 3 }, { now });
    const error = await refusal(enforceCreateLimits(database.db, {}, { ...off, dailyClips: 2 }, { now }));
    expect(error.code).toBe("daily_limit");
    expect(error.retryAfterSec).toBe(2 * 3600);
  });

  it("a refused cap gives the bucket token back", async () => {
    const buckets = new TokenBuckets(1, 1 / 60, () => 0);
    await addClip("queued");
    await refusal(enforceCreateLimits(database.db, { sessionId: "s" }, { ...off, createPerMinute: 1, maxUnfinished: 1 }, { buckets }));
    expect(buckets.take("s:s").ok).toBe(true);
  });
});
