/**
 * The creation limits hold under pressure: sessions and addresses multiplied by a script still
 * meet a studio-wide bound, and concurrent creates never pass the unfinished-task cap together
 * (the count and the insert act as one, also on PostgreSQL with several connections and
 * instances: run with TEST_DATABASE_URL, see tests/run-all.sh).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { Db } from "@/lib/db/client";
import { insertGenerationWithEvent, queuedRow } from "@/lib/db/generations";
import { generations } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { toGeneration } from "@/lib/dto/generation";
import { newId } from "@/lib/ids";
import { enforceCreateLimits, STUDIO_RATE_FACTOR, type ClientIdentity, type CreateLimits } from "@/lib/limits/create-limits";
import { TokenBuckets } from "@/lib/limits/token-bucket";
import { randomUUID } from "node:crypto";
import type { AppContext } from "@/lib/context";
import { EventBus } from "@/lib/jobs/events";
import { createFromSpec } from "@/lib/generations/create";
import { fsStorage } from "@/lib/storage/fs";
import { openTestDatabase, removeTempDirs, sleep, tempDir, type TestDatabase } from "./support/pipeline";

let database: TestDatabase;
const off: CreateLimits = { createPerMinute: 0, maxUnfinished: 0, dailyClips: 0 };

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
  await removeTempDirs();
});
beforeEach(async () => {
  await database.reset();
});

/** One create as the create path makes it: the limits, the work before the insert, then the insert they admit. */
async function create(db: Db, client: ClientIdentity, limits: CreateLimits, buckets?: TokenBuckets): Promise<"created" | AppError> {
  try {
    const admission = await enforceCreateLimits(db, client, limits, { buckets });
    // Storing input images and the like happen between the check and the insert.
    await sleep(Math.random() * 20);
    const row = queuedRow({ id: newId(), model: "doubao-seedance-1-0-pro-fast-251015", prompt: "p", request: { model: "doubao-seedance-1-0-pro-fast-251015", prompt: "p" } });
    const eventId = await insertGenerationWithEvent({ db, row, payload: toGeneration(row), admit: admission.admit });
    expect(eventId).not.toBeNull();
    return "created";
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
}

const rowCount = async () => Number((await database.db.select({ n: sql<number>`count(*)` }).from(generations))[0]!.n);

describe("creation limits under pressure", () => {
  test("new sessions and addresses each get their own bucket, but the studio as a whole stops at its per-minute bound", async () => {
    const limits = { ...off, createPerMinute: 2 };
    const buckets = new TokenBuckets(2, 2 / 60);
    const outcomes = [];
    for (let i = 0; i < 10; i++) outcomes.push(await create(database.db, { sessionId: `s${i}`, ip: `10.0.0.${i}` }, limits, buckets));
    const bound = 2 * STUDIO_RATE_FACTOR;
    expect(outcomes.filter((o) => o === "created")).toHaveLength(bound);
    const refused = outcomes.filter((o): o is AppError => o instanceof AppError);
    expect(refused).toHaveLength(10 - bound);
    for (const error of refused) {
      expect(error.httpStatus).toBe(429);
      expect(error.code).toBe("studio_rate_limited");
      expect(error.message).toMatch(/^The studio made \d+ new clips in the last minute/);
      expect(error.retryAfterSec).toBeGreaterThan(0);
      expect(error.retryAfterSec).toBeLessThanOrEqual(60);
    }
    expect(await rowCount()).toBe(bound);
  });

  test(`concurrent creates on two instances' connections fill the unfinished cap exactly (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, async () => {
    const cap = 5;
    const other = await database.another();
    const limits = { ...off, maxUnfinished: cap };
    const outcomes = await Promise.all(Array.from({ length: 24 }, (_, i) => create(i % 2 ? other : database.db, { ip: `10.1.0.${i}` }, limits)));
    expect(outcomes.filter((o) => o === "created")).toHaveLength(cap);
    for (const o of outcomes) if (o !== "created") expect(o.code).toBe("too_many_unfinished");
    expect(await rowCount()).toBe(cap);
  });

  test(`the create path itself (createFromSpec) fills the unfinished cap exactly under concurrency (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, async () => {
    const cap = 4;
    const other = await database.another();
    const contexts = [database.db, other].map((db, i): AppContext => ({
      db,
      storage: fsStorage(tempDir(`atomic-${i}`)),
      // An upstream that accepts every create at once: the race is between the count and the insert.
      upstream: { createTask: async () => ({ taskId: randomUUID() }), retrieveTask: async () => null, retrieveTasks: async () => new Map() },
      bus: new EventBus(),
      config: { callbackSecret: "x".repeat(32), pollIntervalMs: 1000, maxClipBytes: 1 << 20, trustedMediaOrigins: [], allowPrivateMedia: false, instanceId: `atomic-${i}` },
      broadcast: async () => {},
      wake: () => {},
    }));
    const spec = { model: "doubao-seedance-1-0-pro-fast-251015", prompt: "A fox", resolution: "480p", duration: 2 } as const;
    const outcomes = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        createFromSpec(contexts[i % 2]!, { spec }, { client: { ip: `10.2.0.${i}` }, limits: { ...off, maxUnfinished: cap } }).then(
          () => "created" as const,
          (error: unknown) => {
            if (error instanceof AppError) return error;
            throw error;
          },
        ),
      ),
    );
    expect(outcomes.filter((o) => o === "created")).toHaveLength(cap);
    for (const o of outcomes) if (o !== "created") expect(o.code).toBe("too_many_unfinished");
    expect(await rowCount()).toBe(cap);
  });
});
