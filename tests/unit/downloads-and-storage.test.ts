/**
 * Copying finished clips into storage when things go wrong: a download that stalls after its
 * headers, files that can never be stored (too large, not a video), an upstream outage while
 * tasks are followed, and a full disk (the create path, downloads, film exports). Real database,
 * real files, real ffmpeg, local HTTP servers; the full disk is the kernel's own ENOSPC from
 * /dev/full, written to in place of the storage folder's files.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { NextRequest } from "next/server";
import { createTranslator } from "next-intl";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { count, eq } from "drizzle-orm";
import { generations, storyboards, type GenerationRow } from "@/lib/db/schema";
import { resetEnvForTests } from "@/lib/env";
import en from "@/lib/i18n/messages/en.json";
import ko from "@/lib/i18n/messages/ko.json";
import { coded } from "@/lib/errors/codes";
import { englishMessage } from "@/lib/errors/english";
import { renderError, type ErrorTranslator } from "@/lib/errors/render";
import { createGeneration } from "@/lib/generations/create";
import { newId } from "@/lib/ids";
import { runWorkerTick } from "@/lib/jobs/worker";
import { log } from "@/lib/log";
import { runStoryboardExports } from "@/lib/storyboards/export";
import { getStoryboard, requestExport, storyboardFromChain } from "@/lib/storyboards/service";
import { startFakeUpstream, type FakeUpstream } from "./support/fake-upstream";
import { insertGeneration } from "./support/seed";

/** The English the server keeps beside the codes (rendered from the catalogue). */
const STORAGE_FULL_MESSAGE = englishMessage(coded("storage_full"));
const CLIP_STORAGE_FULL_MESSAGE = englishMessage(coded("storage_full_clip"));
import {
  createTestPipeline,
  getRow,
  openTestDatabase,
  removeTempDirs,
  renderFixtureClip,
  setRow,
  waitFor,
  type FixtureClip,
  type TestDatabase,
  type TestPipeline,
} from "./support/pipeline";

const state: { pipeline: TestPipeline | null } = { pipeline: null };

vi.mock("@/lib/app/context", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/app/context")>()),
  appContext: async () => state.pipeline!.ctx,
}));
// Outside a request there are no cookies(): the gate is tested elsewhere.
vi.mock("@/lib/http/gate", () => ({
  requireActionSession: async () => ({ ip: "198.51.100.7" }),
  requestClient: async () => ({ ip: "198.51.100.7" }),
}));

const { POST: postGeneration } = await import("@/app/api/generations/route");
const { createGenerationAction } = await import("@/app/(studio)/actions");

const TOKEN = "sk-downloads-test-5e6f";
const PRO = "doubao-seedance-1-0-pro-250528";

let tdb: TestDatabase;
let clip: FixtureClip;
let fake: FakeUpstream;
let media: MediaServer;
let p: TestPipeline;

/** A CDN stand-in: good, stalling, oversized and broken files, each request counted. */
interface MediaServer {
  origin: string;
  url(name: string): string;
  requests(name: string): number;
  close(): Promise<void>;
}

async function startMediaServer(video: Buffer): Promise<MediaServer> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const name = (req.url ?? "/").slice(1);
    seen.push(name);
    if (name === "good.mp4") res.writeHead(200, { "content-type": "video/mp4", "content-length": video.length }).end(video);
    else if (name === "stall.mp4") {
      // Headers and a first piece, then nothing more: the connection stays open.
      res.writeHead(200, { "content-type": "video/mp4", "content-length": video.length });
      res.write(video.subarray(0, 4096));
    } else if (name === "chunked.mp4") {
      res.writeHead(200, { "content-type": "video/mp4" });
      res.end(video);
    } else if (name === "not-video.mp4") res.writeHead(200, { "content-type": "video/mp4" }).end("<html><body>Access denied</body></html>");
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (name) => `${origin}/${name}`,
    requests: (name) => seen.filter((n) => n === name).length,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

beforeAll(async () => {
  process.env.RATE_LIMIT_PER_MINUTE = "0";
  process.env.MAX_UNFINISHED_TASKS = "0";
  process.env.DAILY_CLIP_LIMIT = "0";
  process.env.LOG_LEVEL = "silent";
  resetEnvForTests();
  [tdb, clip] = await Promise.all([openTestDatabase(), renderFixtureClip()]);
});

afterAll(async () => {
  await tdb?.close();
  await removeTempDirs();
  resetEnvForTests();
});

beforeEach(async () => {
  await tdb.reset();
  fake = await startFakeUpstream({ token: TOKEN, clip: clip.video, lastFrame: clip.lastFrame });
  media = await startMediaServer(clip.video);
  p = await createTestPipeline({ db: tdb.db, upstream: { baseUrl: fake.url, token: TOKEN }, trustedMediaOrigins: [fake.origin, media.origin], callbacks: false, pollIntervalMs: 100 });
  state.pipeline = p;
});

afterEach(async () => {
  vi.restoreAllMocks();
  await media.close();
  await p.close();
  await fake.close();
});

const row = (id: string) => getRow(tdb.db, id);

/** A clip the upstream finished, waiting to be copied from `videoUrl` (due `ageMs` ago). */
async function finishedClip(videoUrl: string, ageMs = 1000): Promise<GenerationRow> {
  const id = newId();
  const { row: inserted } = await insertGeneration({
    db: tdb.db,
    row: {
      id,
      status: "running",
      model: PRO,
      prompt: `clip ${id}`,
      request: { model: PRO, prompt: `clip ${id}` } as never,
      upstreamTaskId: `task-${id}`,
      upstreamVideoUrl: videoUrl,
      submittedAt: new Date(),
      runningAt: new Date(),
      nextCheckAt: new Date(Date.now() - ageMs),
    },
  });
  return inserted;
}

/** Files stored under one clip's folder. */
const clipFiles = (id: string) => {
  const dir = path.join(p.storageDir, "clips", id);
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

/** Writes meant for the storage folder land on /dev/full: the kernel answers ENOSPC. */
function fillTheDisk() {
  const real = fs.createWriteStream.bind(fs);
  return vi.spyOn(fs, "createWriteStream").mockImplementation(((file: fs.PathLike, options?: Parameters<typeof fs.createWriteStream>[1]) =>
    String(file).startsWith(p.storageDir) ? real("/dev/full") : real(file, options)) as typeof fs.createWriteStream);
}

describe("downloads", () => {
  test("a download that stalls after its headers times out on its own, and another clip is stored meanwhile", async () => {
    p.ctx.config.downloadIdleMs = 4000;
    const logged: { msg: string; fields: Record<string, unknown> }[] = [];
    for (const level of ["info", "warn"] as const) {
      vi.spyOn(log(), level).mockImplementation(((fields: Record<string, unknown>, msg?: string) => {
        logged.push({ fields, msg: msg ?? "" });
      }) as never);
    }
    // The stalled one is due first, so a worker taking clips one after another starts with it.
    const stalled = await finishedClip(media.url("stall.mp4"), 10_000);
    const good = await finishedClip(media.url("good.mp4"), 5_000);

    const started = Date.now();
    const tick = runWorkerTick(p.ctx);
    const stored = await waitFor(async () => ((await row(good.id)).status === "succeeded" ? row(good.id) : null), { timeoutMs: 15_000, message: "the good clip to be stored" });
    expect(stored.videoBytes).toBe(clip.video.length);
    // Stored while the stalled download was still waiting for bytes.
    const meanwhile = await row(stalled.id);
    expect(meanwhile.downloadAttempts).toBe(0);
    expect(meanwhile.status).toBe("running");

    await tick;
    const after = await row(stalled.id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3900);
    expect(after.status).toBe("running");
    expect(after.downloadAttempts).toBe(1);
    expect(after.nextCheckAt.getTime()).toBeGreaterThan(Date.now() + 1000);
    expect(after.leaseOwner).toBeNull();
    expect(clipFiles(stalled.id)).toEqual([]);

    // Each attempt is logged with its outcome, the host but not the URL.
    const attempts = logged.filter((l) => l.msg === "clip download").map((l) => l.fields);
    expect(attempts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: good.id, attempt: 1, outcome: "stored", host: new URL(media.origin).host }),
        expect.objectContaining({ id: stalled.id, attempt: 1, outcome: "retry", reason: expect.stringMatching(/stalled: nothing arrived for 4 s/) }),
      ]),
    );
  });

  test.each([
    ["declares a size over the cap", "good.mp4"],
    ["runs over the cap without declaring a size", "chunked.mp4"],
  ])("a file that %s fails on its first attempt, with the limit in the message", async (_case, name) => {
    p.ctx.config.maxClipBytes = Math.floor(clip.video.length / 2);
    const big = await finishedClip(media.url(name));
    await runWorkerTick(p.ctx);
    const r = await row(big.id);
    expect(r.status).toBe("failed");
    expect(r.downloadAttempts).toBe(1);
    expect(r.errorCode).toBe("download_failed");
    expect(r.errorMessage).toMatch(/^The clip was made but could not be copied into storage \(the file is .*over the \d+ KB limit\)/);
    expect(media.requests(name)).toBe(1);
    expect(clipFiles(big.id)).toEqual([]);
  });

  test("a file that is not a video fails on its first attempt", async () => {
    const broken = await finishedClip(media.url("not-video.mp4"));
    await runWorkerTick(p.ctx);
    const r = await row(broken.id);
    expect(r.status).toBe("failed");
    expect(r.downloadAttempts).toBe(1);
    expect(r.errorMessage).toMatch(/not a playable video/);
    expect(media.requests("not-video.mp4")).toBe(1);
    expect(clipFiles(broken.id)).toEqual([]);
  });
});

describe("an upstream outage", () => {
  test("the wait before the next check grows with every failed check", async () => {
    const { row: created } = await createGeneration(p.ctx, { spec: { model: PRO, prompt: "A fox in the snow", resolution: "480p", ratio: "16:9", duration: 2 } });
    expect(created.status).toBe("submitted");
    fake.failQueries(1000, 503);
    const delays: number[] = [];
    for (let tick = 1; tick <= 4; tick++) {
      await setRow(tdb.db, created.id, { nextCheckAt: new Date(Date.now() - 1000) });
      await runWorkerTick(p.ctx);
      const r = await row(created.id);
      expect(r.checkAttempts).toBe(tick);
      delays.push(r.nextCheckAt.getTime() - Date.now());
    }
    for (let i = 1; i < delays.length; i++) expect(delays[i]!, `delays ${delays.join(", ")}`).toBeGreaterThan(delays[i - 1]! * 1.5);
    expect((await row(created.id)).status).toBe("submitted");
  });
});

describe("a full disk", () => {
  const imageBody = () => ({
    model: PRO,
    resolution: "480p",
    duration: 2,
    content: [
      { type: "text", text: "The fox turns its head" },
      { type: "image_url", image_url: { url: `data:image/png;base64,${fs.readFileSync("tests/fixtures/first-frame.png").toString("base64")}` }, role: "first_frame" },
    ],
  });

  test("a create whose image cannot be stored answers 507 saying storage is full, and creates nothing", async () => {
    fillTheDisk();
    const response = await postGeneration(
      new NextRequest("http://studio.test/api/generations", { method: "POST", body: JSON.stringify(imageBody()), headers: { "content-type": "application/json" } }),
    );
    expect(response.status).toBe(507);
    expect(await response.json()).toEqual({ error: { kind: "storage_full", code: "storage_full", message: STORAGE_FULL_MESSAGE } });
    expect(STORAGE_FULL_MESSAGE).toMatch(/storage is full/);
    const [{ n }] = (await tdb.db.select({ n: count() }).from(generations)) as [{ n: number }];
    expect(n).toBe(0);
    expect(fake.count("create")).toBe(0);
    expect(fs.existsSync(path.join(p.storageDir, "inputs")) ? fs.readdirSync(path.join(p.storageDir, "inputs")) : []).toEqual([]);

    // The studio form's action says the same, as a value the form shows.
    const result = await createGenerationAction({
      spec: { model: PRO, prompt: "The fox turns its head", resolution: "480p", duration: 2, firstFrame: imageBody().content[1]!.image_url!.url },
      idempotencyKey: "11111111-2222-4333-8444-555555555555",
    });
    expect(result).toMatchObject({ ok: false, kind: "storage_full", message: STORAGE_FULL_MESSAGE });
  });

  test("a clip finished while the disk is full waits for space, saying so, and is stored once there is room", async () => {
    const disk = fillTheDisk();
    const waiting = await finishedClip(media.url("good.mp4"));
    await runWorkerTick(p.ctx);
    let r = await row(waiting.id);
    expect(r.status).toBe("running");
    expect(r.errorCode).toBe("storage_full_clip");
    expect(r.errorMessage).toBe(CLIP_STORAGE_FULL_MESSAGE);
    expect(r.errorMessage).toMatch(/storage is full/);
    // Not an attempt used up: a full disk is not the clip's fault, and nothing is lost while it waits.
    expect(r.downloadAttempts).toBe(0);
    expect(r.nextCheckAt.getTime()).toBeGreaterThan(Date.now() + 4 * 60_000);
    expect(r.leaseOwner).toBeNull();
    expect(clipFiles(waiting.id)).toEqual([]);
    // Whoever watches the gallery is told.
    expect(p.events.at(-1)?.generation).toMatchObject({ id: waiting.id, status: "running", error: { kind: "storage_full", code: "storage_full_clip", params: {}, message: CLIP_STORAGE_FULL_MESSAGE } });

    disk.mockRestore();
    await setRow(tdb.db, waiting.id, { nextCheckAt: new Date() });
    await runWorkerTick(p.ctx);
    r = await row(waiting.id);
    expect(r.status).toBe("succeeded");
    expect(r.errorCode).toBeNull();
    expect(r.errorMessage).toBeNull();
    expect(fs.readFileSync(path.join(p.storageDir, r.videoKey!)).equals(clip.video)).toBe(true);
  });

  test("a film export on a full disk fails saying storage is full", async () => {
    const key = `clips/film-${newId()}/video.mp4`;
    const stored = await p.ctx.storage.put(key, clip.video);
    const { row: source } = await insertGeneration({
      db: tdb.db,
      row: { id: newId(), status: "succeeded", model: PRO, prompt: "film clip", request: { model: PRO, prompt: "film clip" } as never, videoKey: stored.key, videoBytes: stored.bytes, width: 864, height: 480, durationSec: 1, fps: 24, hasAudio: false },
    });
    const board = await storyboardFromChain(p.ctx, { generationId: source.id });
    await requestExport(p.ctx, { id: board.id });
    fillTheDisk();
    expect(await runStoryboardExports(p.ctx)).toBe(1);
    const after = await getStoryboard(p.ctx, { id: board.id });
    expect(after.export.status).toBe("failed");
    expect(after.export.error).toMatchObject({ code: "storage_full", message: STORAGE_FULL_MESSAGE });
    await tdb.db.delete(storyboards).where(eq(storyboards.id, board.id));
  }, 120_000);

  test("both messages read in the creator's language", () => {
    for (const [locale, messages] of [["en", en], ["ko", ko]] as const) {
      const t = createTranslator({ locale, messages }) as unknown as ErrorTranslator;
      // The form renders an action's code; a clip card renders the row's code.
      const create = renderError(t, coded("storage_full"));
      const clipWaiting = renderError(t, coded("storage_full_clip"));
      if (locale === "en") {
        expect(create).toBe(STORAGE_FULL_MESSAGE);
        expect(clipWaiting).toBe(CLIP_STORAGE_FULL_MESSAGE);
      } else {
        expect(create).not.toBe(STORAGE_FULL_MESSAGE);
        expect(clipWaiting).not.toBe(CLIP_STORAGE_FULL_MESSAGE);
        expect(create).toMatch(/저장 공간/);
        expect(clipWaiting).toMatch(/저장 공간/);
      }
    }
  });
});

describe("errorResponse", () => {
  const enospc = () => Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
  test.each([
    ["a filesystem ENOSPC met outside storage (a temp file)", enospc()],
    ["a quota exceeded", Object.assign(new Error("EDQUOT: disk quota exceeded"), { code: "EDQUOT" })],
    ["PostgreSQL's disk_full, wrapped by the query layer", new Error("Failed query: insert into generations", { cause: Object.assign(new Error("could not extend file"), { code: "53100" }) })],
  ])("answers %s with 507 and the storage-full message", async (_case, error) => {
    const { errorResponse } = await import("@/lib/http/errors");
    const response = errorResponse(error);
    expect(response.status).toBe(507);
    expect(await response.json()).toEqual({ error: { kind: "storage_full", code: "storage_full", message: STORAGE_FULL_MESSAGE } });
  });

  test("leaves other failures a generic 500", async () => {
    const { errorResponse } = await import("@/lib/http/errors");
    expect(errorResponse(Object.assign(new Error("EACCES"), { code: "EACCES" })).status).toBe(500);
  });
});
