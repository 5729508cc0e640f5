/**
 * The generation pipeline end to end, against a real database (in-memory PGlite, or the
 * PostgreSQL at TEST_DATABASE_URL), real files, real ffmpeg, and a local HTTP upstream:
 * the fake in support/fake-upstream.ts, and (last) the embedded simulator.
 */
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { claimGeneration, claimGenerations, insertGenerationWithEvent, queuedRow } from "@/lib/db/generations";
import { eventsAfter } from "@/lib/db/generation-events";
import { insertGeneration } from "./support/seed";
import { GENERATION_STATUSES, generations, type GenerationRow, type GenerationStatus } from "@/lib/db/schema";
import { resetEnvForTests } from "@/lib/env";
import { toGeneration } from "@/lib/dto/generation";
import { callbackSignature } from "@/lib/jobs/callback-url";
import type { GenerationEvent } from "@/lib/jobs/events";
import { canTransition, isTerminal } from "@/lib/status";
import { whileHoldingLease } from "@/lib/jobs/lease";
import { createGeneration } from "@/lib/generations/create";
import { newId } from "@/lib/ids";
import { submitGeneration } from "@/lib/jobs/submit";
import { updateGeneration, updateKnownGeneration } from "@/lib/jobs/transition";
import { runWorkerTick } from "@/lib/jobs/worker";
import { downloadFileName, serveStoredObject } from "@/lib/media/serve";
import type { GenerationSpec } from "@/lib/seedance/schema";
import { startFakeUpstream, type FakeUpstream } from "./support/fake-upstream";
import {
  createTestPipeline,
  getRow,
  openTestDatabase,
  removeTempDirs,
  renderFixtureClip,
  serveWebHandler,
  setRow,
  sleep,
  tempDir,
  waitFor,
  type FixtureClip,
  type TestDatabase,
  type TestPipeline,
  type TestPipelineOptions,
} from "./support/pipeline";

const TOKEN = "sk-pipeline-test-0a1b2c3d";
const PRO = "doubao-seedance-1-0-pro-250528";

const spec = (over: Partial<GenerationSpec> = {}): GenerationSpec => ({
  model: PRO,
  prompt: "A fox in the snow",
  resolution: "480p",
  ratio: "16:9",
  duration: 2,
  ...over,
});

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

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
  await fake.settled();
  for (const p of pipelines.splice(0)) await p.close();
  await fake.close();
});

async function pipeline(opts: Partial<TestPipelineOptions> = {}): Promise<TestPipeline> {
  const p = await createTestPipeline({
    db: tdb.db,
    upstream: { baseUrl: fake.url, token: TOKEN },
    trustedMediaOrigins: [fake.origin],
    ...opts,
  });
  pipelines.push(p);
  return p;
}

const row = (id: string) => getRow(tdb.db, id);

function waitForStatus(id: string, status: GenerationStatus, timeoutMs = 20_000): Promise<GenerationRow> {
  return waitFor(
    async () => {
      const r = await row(id);
      return r.status === status ? r : null;
    },
    { timeoutMs, message: `${id} to be ${status}` },
  );
}

/** Every file under the storage root, relative. */
function filesIn(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(root, f)).isFile()).sort();
}

/** The stored clip matches the fixture byte for byte, with its poster and last frame. */
function expectStoredClip(p: TestPipeline, r: GenerationRow, lastFrame: "upstream" | "extracted") {
  expect(r.status).toBe("succeeded");
  expect(r.videoKey).toBe(`clips/${r.id}/video.mp4`);
  const video = fs.readFileSync(path.join(p.storageDir, r.videoKey!));
  expect(video.equals(clip.video)).toBe(true);
  expect(r.videoBytes).toBe(clip.video.length);
  expect(r.videoSha256).toBe(sha256(clip.video));
  expect(r.width).toBe(864);
  expect(r.height).toBe(480);
  expect(r.durationSec).toBeCloseTo(1, 1);
  expect(r.fps).toBe(24);
  expect(r.hasAudio).toBe(false);
  expect(r.posterKey).toBe(`clips/${r.id}/poster.jpg`);
  const poster = fs.readFileSync(path.join(p.storageDir, r.posterKey!));
  expect(poster.subarray(0, 3).toString("hex")).toBe("ffd8ff");
  if (lastFrame === "upstream") {
    expect(r.lastFrameKey).toBe(`clips/${r.id}/last-frame-upstream.png`);
    expect(fs.readFileSync(path.join(p.storageDir, r.lastFrameKey!)).equals(clip.lastFrame)).toBe(true);
  } else {
    expect(r.lastFrameKey).toBe(`clips/${r.id}/last-frame.png`);
    expect(fs.readFileSync(path.join(p.storageDir, r.lastFrameKey!)).subarray(1, 4).toString("latin1")).toBe("PNG");
  }
  expect(r.errorCode).toBeNull();
  expect(r.leaseOwner).toBeNull();
  expect(r.submittedAt).toBeInstanceOf(Date);
  expect(r.runningAt).toBeInstanceOf(Date);
  expect(r.succeededAt).toBeInstanceOf(Date);
  expect(r.submittedAt!.getTime()).toBeLessThanOrEqual(r.runningAt!.getTime());
  expect(r.runningAt!.getTime()).toBeLessThanOrEqual(r.succeededAt!.getTime());
  // Nothing half-written is left behind.
  expect(filesIn(p.storageDir).filter((f) => f.startsWith(`clips/${r.id}/`) && /\.(part|tmp)|upstream$/.test(f))).toEqual([]);
}

/** Drives ticks by hand until the generation is finished. */
async function tickUntilFinished(p: TestPipeline, id: string, maxTicks = 200): Promise<GenerationRow> {
  for (let i = 0; i < maxTicks; i++) {
    const r = await row(id);
    if (isTerminal(r.status)) return r;
    await sleep(p.ctx.config.pollIntervalMs + 10);
    await runWorkerTick(p.ctx);
  }
  throw new Error(`${id} did not finish in ${maxTicks} ticks`);
}

const taskOf = (r: GenerationRow) => {
  const task = fake.tasks.get(r.upstreamTaskId!);
  if (!task) throw new Error(`fake upstream has no task for ${r.id}`);
  return task;
};

const queries = () => fake.count("retrieve") + fake.count("retrieve_batch");

describe("generation pipeline", () => {
  test("1. callback path: the callback finishes the clip, after a retrieve confirms it", async () => {
    const p = await pipeline({ pollIntervalMs: 60_000 });
    p.startWorker();
    const { row: created, created: isNew } = await createGeneration(p.ctx, { spec: spec({ return_last_frame: true }) });
    expect(isNew).toBe(true);
    expect(created.status).toBe("submitted");
    const task = taskOf(created);

    // What reached the upstream: one async create with top-level fields and our signed callback URL.
    expect(fake.count("create")).toBe(1);
    expect(fake.createBodies[0]).toEqual({
      model: PRO,
      content: [{ type: "text", text: "A fox in the snow" }],
      resolution: "480p",
      ratio: "16:9",
      duration: 2,
      return_last_frame: true,
      // Decision 7: an anonymous keyed hash (of the instance here: no session), never personal data.
      safety_identifier: expect.stringMatching(/^[0-9a-f]{64}$/),
      async: true,
      callback_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api\/callbacks\/seedance\//),
    });
    expect(String(fake.createBodies[0]!.callback_url)).toMatch(
      new RegExp(`^${p.callbackServer!.baseUrl}/api/callbacks/seedance/${created.id}\\?sig=\\d+\\.[A-Za-z0-9_-]{43}$`),
    );
    expect(created.traceId).toBe(task.traceId);
    expect(created.submittedAt).toBeInstanceOf(Date);
    expect(created.expiresAt!.getTime() - created.submittedAt!.getTime()).toBeGreaterThan(172_790_000);

    // Polling is slow: nothing asks about the task, so only the callback can finish it.
    await sleep(300);
    expect(queries()).toBe(0);

    // The callback claims another URL: only what the retrieve confirms is fetched.
    const delivery = await fake.complete(task.id, { callback: true, callbackVideoUrl: fake.fileUrl("forged.mp4") });
    expect(delivery).toMatchObject({ status: 200, body: { ok: true, outcome: "applied" } });
    const done = await waitForStatus(created.id, "succeeded");

    expect(fake.count("retrieve")).toBeGreaterThanOrEqual(1);
    expect(fake.count("retrieve_batch")).toBe(0);
    expect(fake.requests.find((r) => r.endpoint === "retrieve")!.ids).toEqual([task.id]);
    const firstRetrieve = fake.requests.findIndex((r) => r.endpoint === "retrieve");
    const firstDownload = fake.requests.findIndex((r) => r.endpoint === "download");
    expect(firstRetrieve).toBeGreaterThanOrEqual(0);
    expect(firstRetrieve).toBeLessThan(firstDownload);
    expect(fake.downloads("forged.mp4")).toBe(0);
    expect(fake.downloads(task.videoFile)).toBe(1);
    expect(fake.downloads(task.lastFrameFile!)).toBe(1);

    expectStoredClip(p, done, "upstream");
    expect(done.upstreamVideoUrl).toBe(fake.fileUrl(task.videoFile));
    expect(done.seedUsed).toBe(4242);
    expect(done.usage).toEqual({ completionTokens: 9720, totalTokens: 9720 });
    expect(p.callbackServer!.received).toEqual([{ id: created.id, status: 200, body: { ok: true, outcome: "applied" } }]);
  });

  test("2. polling path: no callback URL, one retrieve_batch per tick for every task in flight", async () => {
    const p = await pipeline({ callbacks: false, pollIntervalMs: 50 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createGeneration(p.ctx, { spec: spec({ prompt: `Clip number ${i}` }) })).row.id);
    expect(fake.count("create")).toBe(5);
    for (const body of fake.createBodies) {
      expect(body.async).toBe(true);
      expect(body).not.toHaveProperty("callback_url");
    }
    const rows = await Promise.all(ids.map(row));
    const taskIds = rows.map((r) => r.upstreamTaskId!).sort();
    expect(new Set(taskIds).size).toBe(5);

    fake.autoComplete = { afterQueries: 1 };
    await sleep(120); // every task due
    const batches: string[][] = [];
    let ticks = 0;
    for (; ticks < 100; ticks++) {
      const before = fake.requests.length;
      await runWorkerTick(p.ctx);
      const calls = fake.requests.slice(before).filter((r) => r.endpoint === "retrieve" || r.endpoint === "retrieve_batch");
      expect(calls.length).toBeLessThanOrEqual(1);
      for (const call of calls) {
        expect(call.endpoint).toBe("retrieve_batch");
        batches.push(call.ids);
      }
      if (ticks === 0) {
        // First tick: all five asked about in one call, all seen pending -> running.
        expect([...batches[0]!].sort()).toEqual(taskIds);
        for (const r of await Promise.all(ids.map(row))) {
          expect(r.status).toBe("running");
          expect(r.checkAttempts).toBe(1);
          expect(r.runningAt).toBeInstanceOf(Date);
        }
      }
      const statuses = (await Promise.all(ids.map(row))).map((r) => r.status);
      if (statuses.every((s) => s === "succeeded")) break;
      await sleep(60);
    }
    expect(fake.count("retrieve")).toBe(0);
    expect(batches.length).toBeGreaterThanOrEqual(2);
    for (const r of await Promise.all(ids.map(row))) {
      expectStoredClip(p, r, "extracted");
      expect(fake.downloads(taskOf(r).videoFile)).toBe(1);
    }
  });

  test("3a. a 429 burst on create is retried: one task upstream, generation submitted, then finished", async () => {
    const p = await pipeline({ callbacks: false, pollIntervalMs: 50 });
    fake.failCreates(3, 429, "0");
    const { row: created } = await createGeneration(p.ctx, { spec: spec() });
    expect(created.status).toBe("submitted");
    expect(fake.count("create")).toBe(4);
    expect(fake.count("create", { status: 429 })).toBe(3);
    expect(fake.tasks.size).toBe(1);
    expect(created.upstreamTaskId).toBe([...fake.tasks.keys()][0]);

    fake.autoComplete = { afterQueries: 0 };
    const done = await tickUntilFinished(p, created.id);
    expectStoredClip(p, done, "extracted");
    expect(fake.count("create")).toBe(4);
  });

  test("3b. a rate limit that outlasts the client's retries leaves the row queued for the worker, with nothing created upstream", async () => {
    const p = await pipeline({ callbacks: false, pollIntervalMs: 50 });
    fake.failCreates(5, 429, "0");
    const { row: queued } = await createGeneration(p.ctx, { spec: spec() });
    // The client's own retries (4 after the first); a 429 started nothing, so the row waits.
    expect(fake.count("create")).toBe(5);
    expect(fake.tasks.size).toBe(0);
    expect(queued.status).toBe("queued");
    expect(queued.upstreamTaskId).toBeNull();
    const stored = await row(queued.id);
    expect(stored.status).toBe("queued");
    expect(stored.leaseOwner).toBeNull();
    expect(stored.nextCheckAt.getTime()).toBeGreaterThan(Date.now());
    // The card says why it waits, live (an event), and the note goes once the clip is sent.
    expect(stored.errorCode).toBe("upstream_busy");
    expect(p.events.at(-1)?.generation.error?.code).toBe("upstream_busy");

    await setRow(tdb.db, queued.id, { nextCheckAt: new Date(Date.now() - 1000) });
    await runWorkerTick(p.ctx);
    const sent = await row(queued.id);
    expect(sent.status).toBe("submitted");
    expect(sent.errorCode).toBeNull();
    expect(fake.tasks.size).toBe(1);
    expect(sent.upstreamTaskId).toBe([...fake.tasks.keys()][0]);
  });

  test("3b, long Retry-After: the caller is answered at once, the worker waits it out, and the row becomes exactly one upstream task", async () => {
    const p = await pipeline({ callbacks: false, pollIntervalMs: 50 });
    fake.failCreates(1, 429, "90");
    const started = Date.now();
    const { row: queued } = await createGeneration(p.ctx, { spec: spec() });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(queued.status).toBe("queued");
    expect(fake.count("create")).toBe(1);
    const waiting = await row(queued.id);
    // The upstream's Retry-After is honoured: not due for about 90 s.
    expect(waiting.nextCheckAt.getTime() - started).toBeGreaterThan(80_000);

    // The worker does not send it early...
    await runWorkerTick(p.ctx);
    expect(fake.count("create")).toBe(1);
    // ...and once it is due, sends it once.
    await setRow(tdb.db, queued.id, { nextCheckAt: new Date(Date.now() - 1000) });
    await runWorkerTick(p.ctx);
    await runWorkerTick(p.ctx);
    expect(fake.count("create")).toBe(2);
    expect(fake.tasks.size).toBe(1);
    expect((await row(queued.id)).status).toBe("submitted");
  });

  test("3b, lease: a create retrying past its lease keeps it, so a worker ticking beside it never sends the row again", async () => {
    // Lease 300 ms; the create waits out two 1 s Retry-Afters (within its 5 s budget) before it
    // is accepted. Without renewal the worker would claim the row after 300 ms and send it too.
    const p = await pipeline({ callbacks: false, pollIntervalMs: 50, submitLeaseMs: 300, createBudgetMs: 5000 });
    fake.failCreates(2, 429, "1");
    p.startWorker(20);
    const { row: created } = await createGeneration(p.ctx, { spec: spec() });
    expect(created.status).toBe("submitted");
    await sleep(500);
    await p.stopWorker();
    expect(fake.count("create", { status: 429 })).toBe(2);
    expect(fake.count("create")).toBe(3);
    expect(fake.tasks.size).toBe(1);
    expect((await row(created.id)).upstreamTaskId).toBe([...fake.tasks.keys()][0]);
  });

  test("3b, give up: a rate limit that lasts past half an hour of waiting fails the row in plain words", async () => {
    const p = await pipeline({ callbacks: false, pollIntervalMs: 50 });
    fake.failCreates(100, 429, "0");
    const { row: queued } = await createGeneration(p.ctx, { spec: spec() });
    expect(queued.status).toBe("queued");
    await setRow(tdb.db, queued.id, { createdAt: new Date(Date.now() - 31 * 60_000), nextCheckAt: new Date(Date.now() - 1000) });
    await runWorkerTick(p.ctx);
    const failed = await row(queued.id);
    expect(failed.status).toBe("failed");
    expect(failed.errorCode).toBe("too_many_requests");
    expect(failed.upstreamTaskId).toBeNull();
    expect(fake.tasks.size).toBe(0);
  });

  test("3b, renewal: work under whileHoldingLease keeps the row from every other instance until it ends", async () => {
    const p = await pipeline({ callbacks: false });
    const id = newId();
    await insertGenerationWithEvent({ db: tdb.db, row: queuedRow({ id, model: PRO, prompt: "x", request: spec() }), payload: {} });
    const mine = await claimGeneration({ db: tdb.db, id, owner: p.ctx.config.instanceId, leaseMs: 200 });
    expect(mine).not.toBeNull();
    const tries: boolean[] = [];
    await whileHoldingLease(p.ctx, id, 200, async () => {
      for (let i = 0; i < 6; i++) {
        await sleep(100);
        tries.push((await claimGeneration({ db: tdb.db, id, owner: "another-instance", leaseMs: 200 })) !== null);
      }
    });
    // 600 ms of work under a 200 ms lease: no other instance got the row meanwhile.
    expect(tries).toEqual([false, false, false, false, false, false]);
    await sleep(250);
    expect(await claimGeneration({ db: tdb.db, id, owner: "another-instance", leaseMs: 200 })).not.toBeNull();
  });

  test("3c. a 500 on create fails the generation with a plain message and is not retried", async () => {
    const p = await pipeline({ callbacks: false, pollIntervalMs: 50 });
    fake.failCreates(1, 500);
    const { row: failed } = await createGeneration(p.ctx, { spec: spec() });
    expect(failed.status).toBe("failed");
    expect(failed.errorCode).toBe("api_error");
    expect(failed.errorMessage).toBe("SeeDance had an internal error. Try again in a minute.");
    expect(failed.traceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(failed.failedAt).toBeInstanceOf(Date);
    expect(failed.submittedAt).toBeNull();
    expect(failed.upstreamTaskId).toBeNull();
    expect(fake.count("create")).toBe(1);

    p.startWorker(20);
    await sleep(400);
    expect(fake.count("create")).toBe(1);
    expect((await row(failed.id)).status).toBe("failed");
  });

  test.each([
    [500, undefined],
    [429, "0"],
  ])("3d. task queries answering %i for a while: the worker backs off and recovers", async (status, retryAfter) => {
    const p = await pipeline({ callbacks: false, pollIntervalMs: 50 });
    const { row: created } = await createGeneration(p.ctx, { spec: spec() });
    // More failures than one client call retries (5 attempts), so a whole worker check fails.
    fake.failQueries(7, status, retryAfter);
    fake.autoComplete = { afterQueries: 0 };
    p.startWorker(20);
    const done = await waitForStatus(created.id, "succeeded");
    expect(fake.count("retrieve_batch", { status })).toBe(7);
    expect(fake.count("retrieve_batch", { status: 200 })).toBeGreaterThanOrEqual(1);
    expectStoredClip(p, done, "extracted");
  });

  test("4a. a task that fails upstream ends failed with its reason", async () => {
    const p = await pipeline({ callbacks: false, pollIntervalMs: 50 });
    const { row: created } = await createGeneration(p.ctx, { spec: spec() });
    await fake.fail(created.upstreamTaskId!, "Video generation failed upstream.", { code: "api_error" });
    const failed = await tickUntilFinished(p, created.id);
    expect(failed.status).toBe("failed");
    expect(failed.errorCode).toBe("api_error");
    expect(failed.errorMessage).toContain("Video generation failed upstream.");
    expect(failed.failedAt).toBeInstanceOf(Date);
    expect(failed.videoKey).toBeNull();
    expect(fake.count("download")).toBe(0);
    expect(toGeneration(failed).error).toEqual({ kind: "upstream", code: "api_error", params: {}, detail: "Video generation failed upstream.", message: failed.errorMessage });
  });

  test("4b. a content-policy failure (via callback) shows a friendly message", async () => {
    const p = await pipeline({ pollIntervalMs: 60_000 });
    const { row: created } = await createGeneration(p.ctx, { spec: spec() });
    const upstreamText = "InputTextSensitiveContentDetected: The request failed because the input text may contain sensitive information.";
    const delivery = await fake.fail(created.upstreamTaskId!, upstreamText, { callback: true });
    expect(delivery).toMatchObject({ status: 200, body: { ok: true } });
    const failed = await row(created.id);
    expect(failed.status).toBe("failed");
    expect(failed.errorMessage).toMatch(/content policy/i);
    expect(failed.errorMessage).not.toContain("InputTextSensitiveContentDetected");
    expect(fake.count("retrieve")).toBe(1);
    expect(fake.count("download")).toBe(0);
  });

  test("5. duplicate, late, forged and unconfirmed callbacks change nothing", async () => {
    // No worker runs: only callbacks move the row (the interval sets the callbacks' cool-down, 1 s).
    const p = await pipeline({ pollIntervalMs: 1000 });
    const { row: created } = await createGeneration(p.ctx, { spec: spec() });
    const task = taskOf(created);
    const callbackUrl = String(fake.createBodies[0]!.callback_url);
    const base = p.callbackServer!.baseUrl;
    const secret = p.ctx.config.callbackSecret;
    const expiry = Math.floor(Date.now() / 1000) + 3600;

    // A success claim while the task is still pending upstream: confirmed as pending, no clip trusted.
    const early = await fake.postCallback(task.id, fake.resultBody(task.id, { videoUrl: fake.fileUrl("claimed.mp4") }));
    expect(early.status).toBe(200);
    const afterEarly = await row(created.id);
    expect(afterEarly.status).toBe("running");
    expect(afterEarly.upstreamVideoUrl).toBeNull();
    expect(afterEarly.videoKey).toBeNull();
    expect(fake.count("retrieve")).toBe(1);
    expect(fake.count("download")).toBe(0);

    // Forged: bad signature, another task's id, an unknown generation.
    const body = fake.resultBody(task.id);
    const forged = [
      { url: callbackUrl.replace(/sig=.*/, "sig=AAAA"), body, status: 401 },
      { url: callbackUrl.replace(/sig=.*/, ""), body, status: 401 },
      { url: callbackUrl, body: { ...body, task_id: randomUUID() }, status: 409 },
      { url: `${base}/api/callbacks/seedance/g_unknown?sig=${callbackSignature(secret, "g_unknown", expiry)}`, body, status: 404 },
      { url: `${base}/api/callbacks/seedance/g_unknown?sig=${callbackSignature(secret, created.id, expiry)}`, body, status: 401 },
    ];
    for (const f of forged) {
      const delivery = await fake.postCallback(task.id, f.body, f.url);
      expect(delivery.status, f.url).toBe(f.status);
      // In the one error shape, with a code (never a hand-built body).
      expect((delivery.body as { error: { code: string } }).error.code, f.url).toMatch(/^(callback_signature_invalid|callback_task_mismatch|generation_not_found)$/);
    }
    const afterForged = await row(created.id);
    expect(afterForged).toEqual(afterEarly);
    expect(fake.count("retrieve")).toBe(1);

    // The task finishes; once the early claim's cool-down is over, the same callback arrives twice at once.
    await fake.complete(task.id);
    await waitFor(async () => {
      const r = await row(created.id);
      return !r.leaseUntil || r.leaseUntil.getTime() < Date.now();
    });
    const pair = await Promise.all([fake.postCallback(task.id, body), fake.postCallback(task.id, body)]);
    for (const d of pair) expect([200, 202]).toContain(d.status);
    expect(pair.some((d) => (d.body as { outcome: string }).outcome === "applied")).toBe(true);
    const done = await waitForStatus(created.id, "succeeded");
    expectStoredClip(p, done, "extracted");

    // Again after success, and a late failure claim: nothing moves.
    const again = await fake.postCallback(task.id, body);
    expect(again).toMatchObject({ status: 200, body: { ok: true, outcome: "already_finished" } });
    const lateFailure = { success: false, task_id: task.id, error: { code: "api_error", message: "late" } };
    expect((await fake.postCallback(task.id, lateFailure)).status).toBe(200);
    expect(await updateGeneration(p.ctx, { id: created.id, to: "running" })).toBeNull();
    expect(await updateGeneration(p.ctx, { id: created.id, to: "failed" })).toBeNull();
    const final = await row(created.id);
    expect(final).toEqual(done);
    expect(fake.downloads(task.videoFile)).toBe(1);
    expect(fake.downloads("claimed.mp4")).toBe(0);
    expect(filesIn(p.storageDir).filter((f) => f.startsWith(`clips/${created.id}/`))).toEqual(
      [`clips/${created.id}/last-frame.png`, `clips/${created.id}/poster.jpg`, `clips/${created.id}/video.mp4`].sort(),
    );
    const mine = p.events.filter((e) => e.generation.id === created.id).map((e) => e.generation.status);
    expect(mine.filter((s) => s === "succeeded")).toHaveLength(1);
    expect(mine.at(-1)).toBe("succeeded");
  });

  test("6. a task past execution_expires_after ends expired, and a late success does not revive it", async () => {
    const p = await pipeline({ pollIntervalMs: 50 });
    const { row: created } = await createGeneration(p.ctx, { spec: spec({ execution_expires_after: 3600 }) });
    expect(fake.createBodies[0]!.execution_expires_after).toBe(3600);
    expect(created.expiresAt!.getTime() - created.submittedAt!.getTime()).toBeGreaterThanOrEqual(3_600_000 - 1000);
    expect(created.expiresAt!.getTime() - created.submittedAt!.getTime()).toBeLessThanOrEqual(3_600_000 + 1000);

    await sleep(60);
    await runWorkerTick(p.ctx);
    expect((await row(created.id)).status).toBe("running");

    await setRow(tdb.db, created.id, { expiresAt: new Date(Date.now() - 1000) });
    await runWorkerTick(p.ctx);
    const expired = await row(created.id);
    expect(expired.status).toBe("expired");
    expect(expired.expiredAt).toBeInstanceOf(Date);
    expect(expired.errorCode).toBe("expired");
    expect(expired.errorMessage).toMatch(/time limit/);

    const late = await fake.complete(created.upstreamTaskId!, { callback: true });
    expect(late).toMatchObject({ status: 200, body: { outcome: "already_finished" } });
    await sleep(60);
    await runWorkerTick(p.ctx);
    expect((await row(created.id)).status).toBe("expired");
    expect(fake.count("download")).toBe(0);
  });

  test("7. a download that fails twice is retried, and the clip shows succeeded only once stored", async () => {
    const p = await pipeline({ callbacks: false, pollIntervalMs: 50 });
    const { row: created } = await createGeneration(p.ctx, { spec: spec() });
    const task = taskOf(created);
    const videoPath = path.join(p.storageDir, "clips", created.id, "video.mp4");
    // Whenever a creator could see "succeeded", the file is there. Noted here and asserted after
    // the ticks: an expect thrown inside a listener would be thrown into the worker, whose
    // download retry could catch it and let the test pass.
    const fileOnSucceeded: boolean[] = [];
    p.ctx.bus.subscribe((event) => {
      if (event.generation.id === created.id && event.generation.status === "succeeded") fileOnSucceeded.push(fs.existsSync(videoPath));
    });
    fake.failDownloads(2, 500);
    await fake.complete(task.id);
    await sleep(60);

    await runWorkerTick(p.ctx);
    let r = await row(created.id);
    expect(r.status).toBe("running");
    expect(r.upstreamVideoUrl).toBe(fake.fileUrl(task.videoFile));
    expect(r.videoKey).toBeNull();
    expect(r.downloadAttempts).toBe(1);
    expect(toGeneration(r).storing).toBe(true);
    expect(r.nextCheckAt.getTime()).toBeGreaterThan(Date.now() + 1000);
    expect(r.leaseOwner).toBeNull();
    expect(fs.existsSync(videoPath)).toBe(false);

    // Not due yet: nothing happens.
    await runWorkerTick(p.ctx);
    expect(fake.downloads(task.videoFile)).toBe(1);

    await setRow(tdb.db, created.id, { nextCheckAt: new Date() });
    await runWorkerTick(p.ctx);
    r = await row(created.id);
    expect(r.status).toBe("running");
    expect(r.downloadAttempts).toBe(2);

    await setRow(tdb.db, created.id, { nextCheckAt: new Date() });
    await runWorkerTick(p.ctx);
    r = await row(created.id);
    expectStoredClip(p, r, "extracted");
    expect(fake.downloads(task.videoFile)).toBe(3);
    expect(queries()).toBe(1);
    const statuses = p.events.filter((e) => e.generation.id === created.id).map((e) => [e.generation.status, e.generation.videoUrl !== null]);
    expect(statuses.at(-1)).toEqual(["succeeded", true]);
    expect(statuses.slice(0, -1).every(([status, hasVideo]) => status !== "succeeded" && !hasVideo)).toBe(true);
    expect(fileOnSucceeded).toEqual([true]);
  });

  test("8. two workers on one database submit every task once and download every clip once", async () => {
    const storageDir = tempDir("shared-media");
    const a = await pipeline({ pollIntervalMs: 50, storageDir, instanceId: "worker-a" });
    const b = await pipeline({ db: await tdb.another(), pollIntervalMs: 50, storageDir, instanceId: "worker-b" });
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const s = spec({ prompt: `Parallel clip ${i}` });
      const { row: inserted } = await insertGeneration({ db: tdb.db, row: { id: newId(), model: s.model, prompt: s.prompt, request: s } });
      expect(inserted.status).toBe("queued");
      ids.push(inserted.id);
    }
    fake.autoComplete = { afterQueries: 1, callback: true };
    a.startWorker(20);
    b.startWorker(20);
    // A timeout names the rows still short of succeeded, with their status and error code.
    await waitFor(
      async () => {
        const behind = (await Promise.all(ids.map(row))).filter((r) => r.status !== "succeeded");
        if (behind.length > 0) throw new Error(behind.map((r) => `${r.prompt}: ${r.status}${r.errorCode ? ` (${r.errorCode})` : ""}`).join("; "));
        return true;
      },
      { timeoutMs: 60_000, message: "all ten to succeed" },
    );
    await fake.settled();

    expect(fake.count("create")).toBe(10);
    expect(fake.tasks.size).toBe(10);
    expect(new Set(fake.createBodies.map((b) => JSON.stringify(b.content))).size).toBe(10);
    for (const task of fake.tasks.values()) expect(fake.downloads(task.videoFile)).toBe(1);
    const all = [...a.events, ...b.events];
    for (const id of ids) {
      const r = await row(id);
      expectStoredClip(a, r, "extracted");
      expect(all.filter((e) => e.generation.id === id && e.generation.status === "succeeded")).toHaveLength(1);
      expect(all.filter((e) => e.generation.id === id && e.generation.status === "submitted")).toHaveLength(1);
    }
  }, 90_000);

  test("9. state machine: forward moves only, nothing leaves a terminal status", () => {
    const forward: [GenerationStatus, GenerationStatus][] = [
      ["queued", "submitted"],
      ["queued", "running"],
      ["queued", "failed"],
      ["queued", "cancelled"],
      ["submitted", "running"],
      ["submitted", "succeeded"],
      ["submitted", "failed"],
      ["submitted", "expired"],
      ["running", "succeeded"],
      ["running", "failed"],
      ["running", "expired"],
      ["running", "cancelled"],
    ];
    for (const [from, to] of forward) expect(canTransition(from, to), `${from} -> ${to}`).toBe(true);
    const terminal = ["succeeded", "failed", "expired", "cancelled"] as const;
    for (const from of GENERATION_STATUSES) {
      expect(canTransition(from, from), `${from} -> ${from}`).toBe(false);
      for (const to of GENERATION_STATUSES) {
        if ((terminal as readonly string[]).includes(from)) expect(canTransition(from, to), `${from} -> ${to}`).toBe(false);
        if (GENERATION_STATUSES.indexOf(to) < GENERATION_STATUSES.indexOf(from) && !(terminal as readonly string[]).includes(to)) {
          expect(canTransition(from, to), `${from} -> ${to}`).toBe(false);
        }
      }
    }
    expect(canTransition("running", "submitted")).toBe(false);
    expect(canTransition("submitted", "queued")).toBe(false);
    expect(canTransition("succeeded", "failed")).toBe(false);
    expect(canTransition("failed", "succeeded")).toBe(false);
    expect(canTransition("expired", "running")).toBe(false);
    for (const t of terminal) expect(isTerminal(t)).toBe(true);
    for (const s of ["queued", "submitted", "running"] as const) expect(isTerminal(s)).toBe(false);
  });

  test("10. the same idempotency key creates one generation and one upstream task", async () => {
    const p = await pipeline({ callbacks: false });
    const first = await createGeneration(p.ctx, { spec: spec(), idempotencyKey: "key-0001-abcdef" });
    const second = await createGeneration(p.ctx, { spec: spec(), idempotencyKey: "key-0001-abcdef" });
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.row.id).toBe(first.row.id);
    expect(fake.count("create")).toBe(1);
    // The same key with another request is refused (422), never answered with the first clip.
    await expect(createGeneration(p.ctx, { spec: spec({ prompt: "Something else" }), idempotencyKey: "key-0001-abcdef" })).rejects.toMatchObject({ httpStatus: 422, code: "idempotency_key_reused" });
    expect(fake.count("create")).toBe(1);

    // At the same moment, too.
    const burst = await Promise.all(
      Array.from({ length: 4 }, () => createGeneration(p.ctx, { spec: spec({ prompt: "Burst" }), idempotencyKey: "key-0002-burst" })),
    );
    expect(new Set(burst.map((r) => r.row.id)).size).toBe(1);
    expect(burst.filter((r) => r.created)).toHaveLength(1);
    expect(fake.count("create")).toBe(2);
    const count = await tdb.db.$count(generations);
    expect(count).toBe(2);
  });

  test("10b. one instance never works a row twice at once: the inline submit and a callback stand back while the worker holds it", async () => {
    const p = await pipeline({ pollIntervalMs: 60_000 });
    const owner = p.ctx.config.instanceId;
    const s = spec();
    const { row: inserted } = await insertGeneration({ db: tdb.db, row: { id: newId(), model: s.model, prompt: s.prompt, request: s } });

    // The worker of this instance picked the queued row; the create path's own submit must not send it too.
    const claimed = await claimGenerations({ db: tdb.db, owner, leaseMs: 60_000, limit: 10, kind: "submit" });
    expect(claimed.map((r) => r.id)).toEqual([inserted.id]);
    expect(await submitGeneration(p.ctx, inserted.id)).toBeNull();
    expect(fake.count("create")).toBe(0);
    const sent = await submitGeneration(p.ctx, inserted.id, { leased: true });
    expect(sent?.status).toBe("submitted");
    expect(fake.count("create")).toBe(1);

    // The worker is checking the task; a callback arriving meanwhile leaves it to the worker.
    await setRow(tdb.db, inserted.id, { nextCheckAt: new Date() });
    expect((await claimGenerations({ db: tdb.db, owner, leaseMs: 60_000, limit: 10, kind: "check" })).map((r) => r.id)).toEqual([inserted.id]);
    await fake.complete(sent!.upstreamTaskId!);
    const delivery = await fake.postCallback(sent!.upstreamTaskId!);
    expect(delivery).toMatchObject({ status: 202, body: { outcome: "being_processed" } });
    expect(queries()).toBe(0);
    expect(fake.count("download")).toBe(0);
    expect((await row(inserted.id)).status).toBe("submitted");
  });

  test("11. the event bus sees every status change of a generation, in order", async () => {
    const p = await pipeline({ callbacks: false, pollIntervalMs: 50 });
    const seen: GenerationEvent[] = [];
    const unsubscribe = p.ctx.bus.subscribe((event) => seen.push(event));
    fake.autoComplete = { afterQueries: 1 };
    p.startWorker(20);
    const { row: created } = await createGeneration(p.ctx, { spec: spec() });
    await waitForStatus(created.id, "succeeded");
    unsubscribe();

    const mine = seen.filter((e) => e.generation.id === created.id);
    expect(mine.map((e) => e.generation.status)).toEqual(["queued", "submitted", "running", "running", "succeeded"]);
    expect(mine.map((e) => e.generation.storing)).toEqual([false, false, false, true, false]);
    const eventIds = mine.map((e) => e.eventId);
    expect([...eventIds].sort((x, y) => x - y)).toEqual(eventIds);
    expect(new Set(eventIds).size).toBe(eventIds.length);
    const last = mine.at(-1)!.generation;
    expect(last).toMatchObject({
      videoUrl: `/api/media/clips/${created.id}/video.mp4`,
      posterUrl: `/api/media/clips/${created.id}/poster.jpg`,
      width: 864,
      height: 480,
      hasAudio: false,
      bytes: clip.video.length,
      error: null,
    });
    // The replay log (Last-Event-ID) holds the same events in the same order.
    const logged = (await eventsAfter({ db: tdb.db, afterId: 0 })).filter((e) => e.generationId === created.id);
    expect(logged.map((e) => e.id)).toEqual(eventIds);
    expect(logged.map((e) => (e.payload as { status: string }).status)).toEqual(mine.map((e) => e.generation.status));
  });

  test("11b. what the create path answers and logs, computed before its writes, is exactly what the database holds", async () => {
    const p = await pipeline({ callbacks: false });
    const seen: GenerationEvent[] = [];
    const unsubscribe = p.ctx.bus.subscribe((event) => seen.push(event));
    const { row: created } = await createGeneration(p.ctx, { spec: spec({ seed: 7 }), idempotencyKey: "key-0011b-exact" });
    unsubscribe();
    const stored = await row(created.id);
    expect(stored).toEqual(created);
    expect(stored).toMatchObject({ status: "submitted", seedUsed: 7, idempotencyKey: "key-0011b-exact", leaseOwner: null, checkAttempts: 0 });
    const logged = (await eventsAfter({ db: tdb.db, afterId: 0 })).filter((e) => e.generationId === created.id);
    expect(logged.map((e) => (e.payload as { status: string }).status)).toEqual(["queued", "submitted"]);
    expect(logged.at(-1)!.payload).toEqual(toGeneration(stored));
    expect(seen.map((e) => e.generation)).toEqual(logged.map((e) => e.payload));

    // A caller holding a row that something else changed since gets the general path, not a stale
    // prediction, even when both writes fall in one millisecond (the clock is frozen here).
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-11-24T12:00:00.123Z") });
    let other: GenerationRow;
    let moved: GenerationRow | null;
    try {
      other = queuedRow({ id: newId(), model: PRO, prompt: "p", request: spec() });
      expect(await insertGenerationWithEvent({ db: tdb.db, row: other, payload: toGeneration(other) })).not.toBeNull();
      await updateGeneration(p.ctx, { id: other.id, patch: { traceId: "changed-meanwhile" } });
      moved = await updateKnownGeneration(p.ctx, { row: other, to: "submitted", patch: { upstreamTaskId: "task-11b" } });
    } finally {
      vi.useRealTimers();
    }
    expect(moved).toMatchObject({ status: "submitted", traceId: "changed-meanwhile", upstreamTaskId: "task-11b" });
    const last = (await eventsAfter({ db: tdb.db, afterId: 0 })).filter((e) => e.generationId === other.id).at(-1)!;
    expect(last.payload).toEqual(toGeneration(await row(other.id)));
    // And a refused move (the clip was cancelled meanwhile) writes nothing.
    await updateGeneration(p.ctx, { id: other.id, to: "cancelled" });
    const cancelled = await row(other.id);
    expect(await updateKnownGeneration(p.ctx, { row: cancelled, to: "running" })).toBeNull();
    expect(await row(other.id)).toEqual(cancelled);
  });

  test("12. stored clips are served with ranges, ETags and a download name", async () => {
    const p = await pipeline({ callbacks: false, pollIntervalMs: 50 });
    fake.autoComplete = { afterQueries: 0 };
    const { row: created } = await createGeneration(p.ctx, { spec: spec({ seed: 42 }) });
    const done = await tickUntilFinished(p, created.id);
    expect(done.status).toBe("succeeded");
    const key = done.videoKey!;
    const file = fs.readFileSync(path.join(p.storageDir, key));
    const size = file.length;
    const get = (headers: Record<string, string> = {}, method = "GET") =>
      serveStoredObject(p.ctx.storage, key, new Request(`http://studio.test/api/media/${key}`, { method, headers }));
    const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());

    const whole = await get();
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("video/mp4");
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    expect(whole.headers.get("content-length")).toBe(String(size));
    expect(whole.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await bytes(whole)).equals(file)).toBe(true);
    const etag = whole.headers.get("etag")!;
    expect(etag).toMatch(/^".+"$/);

    const middle = await get({ range: "bytes=100-199" });
    expect(middle.status).toBe(206);
    expect(middle.headers.get("content-range")).toBe(`bytes 100-199/${size}`);
    expect(middle.headers.get("content-length")).toBe("100");
    expect((await bytes(middle)).equals(file.subarray(100, 200))).toBe(true);

    const tail = await get({ range: "bytes=-50" });
    expect(tail.status).toBe(206);
    expect(tail.headers.get("content-range")).toBe(`bytes ${size - 50}-${size - 1}/${size}`);
    expect((await bytes(tail)).equals(file.subarray(size - 50))).toBe(true);

    const open = await get({ range: `bytes=${size - 10}-` });
    expect(open.status).toBe(206);
    expect((await bytes(open)).equals(file.subarray(size - 10))).toBe(true);

    const beyond = await get({ range: `bytes=${size}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe(`bytes */${size}`);

    const cached = await get({ "if-none-match": etag });
    expect(cached.status).toBe(304);
    expect(cached.body).toBeNull();

    const staleIfRange = await get({ range: "bytes=0-9", "if-range": '"something-else"' });
    expect(staleIfRange.status).toBe(200);
    expect((await bytes(staleIfRange)).length).toBe(size);

    const head = await get({ range: "bytes=0-9" }, "HEAD");
    expect(head.status).toBe(206);
    expect(head.body).toBeNull();

    const name = downloadFileName(done.prompt, toGeneration(done).seed, "mp4");
    expect(name).toBe("a-fox-in-the-snow-seed-4242.mp4");
    const attachment = await serveStoredObject(p.ctx.storage, key, new Request(`http://studio.test/api/media/${key}?download=1`), { downloadName: name });
    expect(attachment.headers.get("content-disposition")).toBe(`attachment; filename="${name}"; filename*=UTF-8''${name}`);
    await attachment.body?.cancel();

    const poster = await serveStoredObject(p.ctx.storage, done.posterKey!, new Request("http://studio.test/x"));
    expect(poster.headers.get("content-type")).toBe("image/jpeg");
    await poster.body?.cancel();
    expect((await serveStoredObject(p.ctx.storage, "../secret.mp4", new Request("http://studio.test/x"))).status).toBe(404);
    expect((await serveStoredObject(p.ctx.storage, `clips/${created.id}/missing.mp4`, new Request("http://studio.test/x"))).status).toBe(404);
  });
});

describe("generation pipeline against the embedded simulator", () => {
  const saved: Record<string, string | undefined> = {};
  const VARS = ["SEEDANCE_API_TOKEN", "SIMULATOR_TOKEN", "SIMULATOR_DELAY_MS", "DATA_DIR", "INTERNAL_BASE_URL", "PUBLIC_BASE_URL"];
  let sim: Awaited<ReturnType<typeof serveWebHandler>>;
  const SIM_TOKEN = "sim-token-for-tests";

  beforeAll(async () => {
    for (const name of VARS) saved[name] = process.env[name];
    const { handleSimulatorRequest } = await import("@/lib/simulator/handler");
    sim = await serveWebHandler(async (request) => {
      const { pathname } = new URL(request.url);
      if (!pathname.startsWith("/api/simulator/")) return new Response("Not found", { status: 404 });
      return handleSimulatorRequest(request, pathname.slice("/api/simulator/".length).split("/").map(decodeURIComponent));
    });
    process.env.SEEDANCE_API_TOKEN = "";
    process.env.SIMULATOR_TOKEN = SIM_TOKEN;
    process.env.SIMULATOR_DELAY_MS = "100";
    process.env.DATA_DIR = tempDir("simulator-data");
    process.env.INTERNAL_BASE_URL = sim.origin;
    delete process.env.PUBLIC_BASE_URL;
    resetEnvForTests();
    delete (globalThis as { seedanceSimulator?: unknown }).seedanceSimulator;
  });

  afterAll(async () => {
    await sim?.close();
    for (const name of VARS) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    resetEnvForTests();
    delete (globalThis as { seedanceSimulator?: unknown }).seedanceSimulator;
  });

  test("13a. a 1.5 Pro clip with audio at 480p 16:9 goes from create to stored clip", async () => {
    const p = await pipeline({ upstream: { baseUrl: `${sim.origin}/api/simulator`, token: SIM_TOKEN }, trustedMediaOrigins: [sim.origin], pollIntervalMs: 100 });
    p.startWorker(50);
    const { row: created } = await createGeneration(p.ctx, {
      spec: { model: "doubao-seedance-1-5-pro-251215", prompt: "Wind over a field, you can hear it", resolution: "480p", ratio: "16:9", duration: 4, generate_audio: true },
    });
    expect(created.status).toBe("submitted");
    expect(created.upstreamTaskId).toMatch(/^[0-9a-f-]{36}$/);
    const done = await waitForStatus(created.id, "succeeded", 60_000);
    expect(done.width).toBe(864);
    expect(done.height).toBe(480);
    expect(done.hasAudio).toBe(true);
    expect(done.durationSec).toBeCloseTo(4, 0);
    expect(done.fps).toBe(24);
    const video = fs.readFileSync(path.join(p.storageDir, done.videoKey!));
    expect(video.length).toBe(done.videoBytes);
    expect(sha256(video)).toBe(done.videoSha256);
    expect(fs.existsSync(path.join(p.storageDir, done.posterKey!))).toBe(true);
    expect(fs.existsSync(path.join(p.storageDir, done.lastFrameKey!))).toBe(true);
    expect(done.upstreamVideoUrl).toBe(`${sim.origin}/api/simulator/files/${created.upstreamTaskId}.mp4`);
  }, 90_000);

  test("13b. the simulator answers a wrong token with 401 invalid_token and a string image_url with 400", async () => {
    const post = (token: string, body: unknown) =>
      fetch(`${sim.origin}/api/simulator/seedance/videos`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const unauthorized = await post("wrong-token", { model: PRO, content: [{ type: "text", text: "hi" }] });
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toMatchObject({
      success: false,
      error: { code: "invalid_token", message: "The specified token is invalid or wrong." },
      trace_id: expect.any(String),
    });

    const stringImage = await post(SIM_TOKEN, {
      model: PRO,
      content: [
        { type: "text", text: "a cat" },
        { type: "image_url", image_url: "https://example.com/cat.png", role: "first_frame" },
      ],
    });
    expect(stringImage.status).toBe(400);
    const body = (await stringImage.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("bad_request");
    expect(body.error.message).toMatch(/image_url must be an object/);
  });
});
