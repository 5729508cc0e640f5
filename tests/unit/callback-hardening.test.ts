/**
 * Callback URLs expire with their task, and replays cost no upstream read: an expired URL is
 * refused before any database or upstream work, and a replayed callback for a task being
 * checked, finished, or just read is answered without asking the upstream again.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import type { Db } from "@/lib/db/client";
import { handleSeedanceCallback } from "@/lib/jobs/callback";
import { callbackSignature, CALLBACK_URL_MARGIN_SEC, callbackUrlFor } from "@/lib/jobs/callback-url";
import type { AppContext, UpstreamClient } from "@/lib/context";
import { createGeneration } from "@/lib/generations/create";
import { LIMITS } from "@/lib/seedance/models";
import type { GenerationSpec } from "@/lib/seedance/schema";
import { startFakeUpstream, type FakeUpstream } from "./support/fake-upstream";
import {
  createTestPipeline,
  getRow,
  openTestDatabase,
  removeTempDirs,
  renderFixtureClip,
  waitFor,
  type FixtureClip,
  type TestDatabase,
  type TestPipeline,
} from "./support/pipeline";

const TOKEN = "sk-callback-test-5e6f7a8b";
const spec: GenerationSpec = { model: "doubao-seedance-1-0-pro-250528", prompt: "A heron at dawn", resolution: "480p", ratio: "16:9", duration: 2 };

let tdb: TestDatabase;
let clip: FixtureClip;
let fake: FakeUpstream;
const pipelines: TestPipeline[] = [];

beforeAll(async () => {
  [tdb, clip] = await Promise.all([openTestDatabase(), renderFixtureClip()]);
});
afterAll(async () => {
  await tdb?.close();
  await removeTempDirs();
});
beforeEach(async () => {
  await tdb.reset();
  fake = await startFakeUpstream({ token: TOKEN, clip: clip.video, lastFrame: clip.lastFrame });
});
afterEach(async () => {
  vi.useRealTimers();
  await fake.settled();
  for (const p of pipelines.splice(0)) await p.close();
  await fake.close();
});

async function pipeline(pollIntervalMs: number) {
  const p = await createTestPipeline({ db: tdb.db, upstream: { baseUrl: fake.url, token: TOKEN }, trustedMediaOrigins: [fake.origin], pollIntervalMs });
  pipelines.push(p);
  return p;
}

const retrieves = () => fake.count("retrieve") + fake.count("retrieve_batch");

/** The id and `sig` of the callback URL the upstream was given for the first create. */
function givenCallback() {
  const url = new URL(String(fake.createBodies[0]!.callback_url));
  return { id: decodeURIComponent(url.pathname.split("/").at(-1)!), signature: url.searchParams.get("sig") };
}

/** A context whose database and upstream fail the test if touched. */
function untouchable(ctx: AppContext): AppContext {
  const refuse = () => {
    throw new Error("touched");
  };
  const db = new Proxy({}, { get: refuse }) as unknown as Db;
  const upstream: UpstreamClient = { createTask: refuse, retrieveTask: refuse, retrieveTasks: refuse };
  return { ...ctx, db, upstream };
}

describe("callback URLs expire with their task", () => {
  test("the URL given upstream works through the task's lifetime plus the margin, then answers 410 without any read", async () => {
    const p = await pipeline(60_000);
    const { row: created } = await createGeneration(p.ctx, { spec: { ...spec, execution_expires_after: LIMITS.expiresMax } });
    const { id, signature } = givenCallback();
    expect(id).toBe(created.id);
    const body = JSON.stringify(fake.resultBody(created.upstreamTaskId!));
    const lifetimeMs = (LIMITS.expiresMax + CALLBACK_URL_MARGIN_SEC) * 1000;
    const start = Date.now();

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(start + lifetimeMs - 60_000);
    const late = await handleSeedanceCallback(p.ctx, { id, signature, rawBody: body });
    expect(late.status).toBe(200);

    vi.setSystemTime(start + lifetimeMs + 60_000);
    const expired = handleSeedanceCallback(untouchable(p.ctx), { id, signature, rawBody: body });
    await expect(expired).rejects.toMatchObject({ code: "callback_expired", httpStatus: 410, message: "This callback URL has expired." });
  });

  test("the expiry is inside the signature: a URL with its expiry pushed back is refused, and one made for a short task ends with it", async () => {
    const config = { callbackBaseUrl: "https://studio.example", callbackSecret: "k".repeat(43) };
    const now = Date.now();
    const url = new URL(callbackUrlFor(config, "g_short", { taskLifetimeSec: 3600, now })!);
    const signature = url.searchParams.get("sig")!;
    const [expiry, mac] = signature.split(".") as [string, string];
    expect(Number(expiry)).toBe(Math.ceil(now / 1000) + 3600 + CALLBACK_URL_MARGIN_SEC);

    const p = await pipeline(60_000);
    const ctx = untouchable({ ...p.ctx, config: { ...p.ctx.config, callbackSecret: config.callbackSecret } });
    const pushedBack = handleSeedanceCallback(ctx, { id: "g_short", signature: `${Number(expiry) + 86_400}.${mac}`, rawBody: "{}" });
    await expect(pushedBack).rejects.toMatchObject({ code: "callback_signature_invalid", httpStatus: 401 });
    // The signature of another generation's URL.
    await expect(handleSeedanceCallback(ctx, { id: "g_other", signature, rawBody: "{}" })).rejects.toMatchObject({ httpStatus: 401 });
    // An expired one made with the right key.
    const old = callbackSignature(config.callbackSecret, "g_short", Math.floor(now / 1000) - 1);
    await expect(handleSeedanceCallback(ctx, { id: "g_short", signature: old, rawBody: "{}" })).rejects.toMatchObject({ httpStatus: 410 });
  });
});

describe("replayed callbacks cost no upstream read", () => {
  test("a burst of replays of an early claim reads the task once; the genuine callback that lands in the cool-down is polled soon, not lost", async () => {
    const p = await pipeline(60_000);
    const { row: created } = await createGeneration(p.ctx, { spec });
    const { id, signature } = givenCallback();
    const task = created.upstreamTaskId!;
    // The task is still pending, but the callback claims success (a replayed or premature delivery).
    const claim = JSON.stringify(fake.resultBody(task));

    const first = await handleSeedanceCallback(p.ctx, { id, signature, rawBody: claim });
    expect(first.status).toBe(200);
    expect(retrieves()).toBe(1);
    for (let i = 0; i < 10; i++) {
      const replay = await handleSeedanceCallback(p.ctx, { id, signature, rawBody: claim });
      expect(replay.status).toBe(202);
    }
    const burst = await Promise.all(Array.from({ length: 10 }, () => handleSeedanceCallback(p.ctx, { id, signature, rawBody: claim })));
    expect(burst.map((b) => b.status)).toEqual(Array(10).fill(202));
    expect(retrieves()).toBe(1);
    expect((await getRow(tdb.db, id)).status).toBe("running");

    // Now the task really finishes and its callback arrives inside the cool-down: no read now,
    // but the next poll (60 s away) is brought within the cool-down (5 s at this poll interval).
    await fake.complete(task);
    const genuine = await handleSeedanceCallback(p.ctx, { id, signature, rawBody: claim });
    expect(genuine.status).toBe(202);
    expect(retrieves()).toBe(1);
    expect((await getRow(tdb.db, id)).nextCheckAt.getTime()).toBeLessThanOrEqual(Date.now() + 5_000);
    p.startWorker();
    const done = await waitFor(async () => ((await getRow(tdb.db, id)).status === "succeeded" ? getRow(tdb.db, id) : null), { timeoutMs: 15_000 });
    expect(done.videoKey).toBe(`clips/${id}/video.mp4`);
    const readsAtFinish = retrieves();
    expect(readsAtFinish).toBe(2);

    // Replays of a finished task: answered from the row.
    for (let i = 0; i < 5; i++) expect((await handleSeedanceCallback(p.ctx, { id, signature, rawBody: claim })).status).toBe(200);
    expect(retrieves()).toBe(readsAtFinish);
  });
});
