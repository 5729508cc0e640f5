/**
 * The simulator playing the 2.x models (docs/seedance-contract.md#seedance-2x), checked with
 * ffprobe and frame grabs: 4k sizes, 30 s, reference images as a changing tile, a reference
 * video blended, reference audio as the sound track, extend from the reference's last frame,
 * edit at the reference's length, mov output; and the pipeline end to end, the simulator
 * fetching our signed reference links over HTTP without cookies while the sign-in gate is on.
 * Clips are kept small and short where the assertion allows (a 2-core machine).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { createGeneration } from "@/lib/generations/create";
import { runFfmpeg } from "@/lib/media/ffmpeg";
import { probeMedia } from "@/lib/media/probe";
import { outputSize } from "@/lib/simulator/size";
import { renderClip } from "@/lib/simulator/render";
import { AppError } from "@/lib/errors";
import {
  createTestPipeline,
  getRow,
  openTestDatabase,
  removeTempDirs,
  serveWebHandler,
  tempDir,
  waitFor,
  type TestDatabase,
  type TestPipeline,
  type WebServer,
} from "./support/pipeline";
import { insertGeneration } from "./support/seed";

const V20 = "doubao-seedance-2-0-260128" as const;
const V25 = "doubao-seedance-2-5-260628" as const;
const SIM_TOKEN = "sim-token-2x-tests";

const state: { pipeline: TestPipeline | null } = { pipeline: null };
vi.mock("@/lib/app/context", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/app/context")>()),
  appContext: async () => state.pipeline!.ctx,
}));
vi.mock("next/server", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/server")>()), connection: async () => {} }));

let dir: string;
const fixture = (name: string) => path.join(dir, name);

/** Reference media made with ffmpeg: two solid images, a video whose last second is red, a 1 kHz tone. */
async function makeFixtures() {
  dir = tempDir("refs");
  const run = (args: string[]) => runFfmpeg(["-y", "-loglevel", "error", ...args]);
  await Promise.all([
    run(["-f", "lavfi", "-i", "color=c=0xff0000:s=400x400", "-frames:v", "1", fixture("red.png")]),
    run(["-f", "lavfi", "-i", "color=c=0x00ff00:s=400x400", "-frames:v", "1", fixture("green.png")]),
    run([
      "-f", "lavfi", "-i", "color=c=0x0000ff:s=320x240:r=24:d=4",
      "-f", "lavfi", "-i", "color=c=0xff0000:s=320x240:r=24:d=1",
      "-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0[v]", "-map", "[v]", "-c:v", "libx264", "-pix_fmt", "yuv420p", fixture("blue-then-red.mp4"),
    ]),
    run(["-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000:duration=3", fixture("tone.wav")]),
    run(["-f", "lavfi", "-i", "color=c=0x0000ff:s=320x240:r=24:d=3", "-c:v", "libx264", "-pix_fmt", "yuv420p", fixture("blue-3s.mp4")]),
  ]);
}

/** The RGB of one pixel of the frame at `atSec` (x, y as fractions of the size). */
async function pixel(video: string, atSec: number, x: number, y: number): Promise<[number, number, number]> {
  const out = path.join(dir, `px-${Math.random().toString(36).slice(2)}.rgb`);
  await runFfmpeg(["-y", "-loglevel", "error", "-ss", atSec.toFixed(3), "-i", video, "-frames:v", "1", "-vf", `crop=2:2:iw*${x}:ih*${y}`, "-f", "rawvideo", "-pix_fmt", "rgb24", out]);
  const rgb = fs.readFileSync(out);
  return [rgb[0]!, rgb[1]!, rgb[2]!];
}

/** Zero crossings per second of the clip's audio (mono, 48 kHz): about 2000 for a 1 kHz tone. */
async function crossingsPerSecond(video: string): Promise<number> {
  const out = path.join(dir, `a-${Math.random().toString(36).slice(2)}.pcm`);
  await runFfmpeg(["-y", "-loglevel", "error", "-i", video, "-map", "0:a:0", "-t", "2", "-ac", "1", "-ar", "48000", "-f", "s16le", out]);
  const pcm = fs.readFileSync(out);
  let crossings = 0;
  for (let i = 2; i < pcm.length - 1; i += 2) if (pcm.readInt16LE(i - 2) < 0 !== pcm.readInt16LE(i) < 0) crossings++;
  return crossings / (pcm.length / 2 / 48_000);
}

const render = (over: Partial<Parameters<typeof renderClip>[0]>) =>
  renderClip({ outDir: tempDir("render"), width: 480, height: 272, durationSec: 2, prompt: "reference test", seed: 3, cameraFixed: true, watermark: false, audio: false, lastFramePng: false, ...over });

beforeAll(makeFixtures, 60_000);
afterAll(removeTempDirs);

describe("what the simulator renders for 2.x", () => {
  test("2.0 at 4k 16:9 is 3840x2160 (a 0.5 s clip)", async () => {
    const [width, height] = outputSize({ resolution: "4k", ratio: "16:9" });
    expect([width, height]).toEqual([3840, 2160]);
    expect(outputSize({ resolution: "4k", ratio: "21:9" })).toEqual([4400, 1888]);
    const clip = await render({ width, height, durationSec: 0.5 });
    expect(await probeMedia(clip.videoPath)).toMatchObject({ width: 3840, height: 2160 });
  }, 120_000);

  test("reference images are a tile that changes over time; a reference video is blended in", async () => {
    const clip = await render({ referenceImagePaths: [fixture("red.png"), fixture("green.png")], referenceVideoPaths: [fixture("blue-3s.mp4")] });
    // The tile sits in the top-left corner: red in the first second, green in the second.
    const early = await pixel(clip.videoPath, 0.3, 0.12, 0.2);
    const late = await pixel(clip.videoPath, 1.5, 0.12, 0.2);
    expect(early[0]).toBeGreaterThan(180);
    expect(early[1]).toBeLessThan(90);
    expect(late[1]).toBeGreaterThan(180);
    expect(late[0]).toBeLessThan(90);
    // Away from the tile, the blue video shows through the scene.
    const plain = await render({});
    const [, , blended] = await pixel(clip.videoPath, 1, 0.75, 0.3);
    const [, , without] = await pixel(plain.videoPath, 1, 0.75, 0.3);
    expect(blended).toBeGreaterThan(without + 40);
  }, 120_000);

  test("reference audio becomes the clip's sound track", async () => {
    const clip = await render({ referenceImagePaths: [fixture("red.png")], referenceAudioPaths: [fixture("tone.wav")] });
    const info = await probeMedia(clip.videoPath);
    expect(info.hasAudio).toBe(true);
    expect(await crossingsPerSecond(clip.videoPath)).toBeGreaterThan(1900);
    expect(await crossingsPerSecond(clip.videoPath)).toBeLessThan(2100);
  }, 60_000);

  test("mov output is a QuickTime file", async () => {
    const clip = await render({ container: "mov", durationSec: 1 });
    expect(clip.videoPath.endsWith(".mov")).toBe(true);
    const head = fs.readFileSync(clip.videoPath).subarray(4, 12).toString("latin1");
    expect(head).toBe("ftypqt  ");
    expect((await probeMedia(clip.videoPath)).formatName).toMatch(/mov/);
  }, 60_000);
});

// -------------------------------------------------------------------------------------------
// Through the handler and the pipeline: one local server plays the app (the media route, with
// the sign-in gate on) and the upstream (the simulator), which fetches our signed links over HTTP.

describe("2.x through the simulator and the pipeline", () => {
  const VARS = ["SEEDANCE_API_TOKEN", "SIMULATOR_TOKEN", "SIMULATOR_DELAY_MS", "DATA_DIR", "INTERNAL_BASE_URL", "PUBLIC_BASE_URL", "STUDIO_PASSWORD", "LOG_LEVEL"];
  const saved: Record<string, string | undefined> = {};
  let server: WebServer;
  let database: TestDatabase;
  /** Every request the app's side answered, to show the upstream brought no cookie. */
  const mediaRequests: { path: string; cookie: string | null; status: number }[] = [];

  beforeAll(async () => {
    for (const name of VARS) saved[name] = process.env[name];
    const { handleSimulatorRequest } = await import("@/lib/simulator/handler");
    const media = await import("@/app/api/media/[...key]/route");
    server = await serveWebHandler(async (request) => {
      const { pathname } = new URL(request.url);
      if (pathname.startsWith("/api/simulator/")) return handleSimulatorRequest(request, pathname.slice("/api/simulator/".length).split("/").map(decodeURIComponent));
      if (pathname.startsWith("/api/media/")) {
        const key = pathname.slice("/api/media/".length).split("/").map(decodeURIComponent);
        const response = await media.GET(request as never, { params: Promise.resolve({ key }) } as never);
        mediaRequests.push({ path: pathname, cookie: request.headers.get("cookie"), status: response.status });
        return response;
      }
      // Plain files on the app's own origin, for the simulator's checks of what it fetches.
      if (pathname.startsWith("/fixtures/")) {
        const file = fixture(path.basename(pathname));
        return fs.existsSync(file) ? new Response(fs.readFileSync(file)) : new Response("Not found", { status: 404 });
      }
      return new Response("Not found", { status: 404 });
    });
    process.env.SEEDANCE_API_TOKEN = "";
    process.env.SIMULATOR_TOKEN = SIM_TOKEN;
    process.env.SIMULATOR_DELAY_MS = "50";
    process.env.DATA_DIR = tempDir("sim2x-data");
    process.env.INTERNAL_BASE_URL = server.origin;
    process.env.STUDIO_PASSWORD = "the gate is on";
    process.env.LOG_LEVEL = "silent";
    delete process.env.PUBLIC_BASE_URL;
    resetEnvForTests();
    delete (globalThis as { seedanceSimulator?: unknown }).seedanceSimulator;
    database = await openTestDatabase();
    state.pipeline = await createTestPipeline({
      db: database.db,
      upstream: { baseUrl: `${server.origin}/api/simulator`, token: SIM_TOKEN },
      trustedMediaOrigins: [server.origin],
      callbacks: false,
      pollIntervalMs: 100,
    });
    state.pipeline.ctx.config.mediaBaseUrl = server.origin;
    state.pipeline.startWorker(50);
  }, 60_000);

  afterAll(async () => {
    await state.pipeline?.close();
    await server?.close();
    await database?.close();
    for (const name of VARS) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    resetEnvForTests();
    delete (globalThis as { seedanceSimulator?: unknown }).seedanceSimulator;
  });

  const ctx = () => state.pipeline!.ctx;
  const dataUrl = (file: string, mime: string) => `data:${mime};base64,${fs.readFileSync(fixture(file)).toString("base64")}`;
  const waitForEnd = (id: string) =>
    waitFor(async () => {
      const row = await getRow(database.db, id);
      return row.status === "succeeded" || row.status === "failed" ? row : null;
    }, { timeoutMs: 90_000, message: `${id} to finish` });
  const post = (body: unknown) =>
    fetch(`${server.origin}/api/simulator/seedance/videos`, { method: "POST", headers: { authorization: `Bearer ${SIM_TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  const retrieve = async (id: string) =>
    (await (await fetch(`${server.origin}/api/simulator/seedance/tasks`, { method: "POST", headers: { authorization: `Bearer ${SIM_TOKEN}`, "content-type": "application/json" }, body: JSON.stringify({ id, action: "retrieve" }) })).json()) as {
      request: { content: { type: string; video_url?: { url: string } }[] };
      response?: { data: { task_id: string; duration: number } };
    };

  test("the simulator refuses a data: URL for a reference video and a video item without its role", async () => {
    const data = await post({ model: V20, content: [{ type: "text", text: "x" }, { type: "video_url", video_url: { url: "data:video/mp4;base64,AAAA" }, role: "reference_video" }] });
    expect(data.status).toBe(400);
    expect(((await data.json()) as { error: { message: string } }).error.message).toMatch(/content\.1\.video_url\.url: .*data: URLs fail/);
    const roleless = await post({ model: V20, content: [{ type: "text", text: "x" }, { type: "video_url", video_url: { url: "https://example.com/a.mp4" } }] });
    expect(roleless.status).toBe(400);
    expect(((await roleless.json()) as { error: { message: string } }).error.message).toMatch(/needs role "reference_video"/);
  });

  test("the simulator fails a task whose fetched reference breaks a limit, naming the item", async () => {
    await runFfmpeg(["-y", "-loglevel", "error", "-f", "lavfi", "-i", "color=c=gray:s=160x120:r=24:d=17", "-c:v", "libx264", "-pix_fmt", "yuv420p", fixture("17s.mp4")]);
    const created = (await (
      await post({ model: V20, async: true, content: [{ type: "text", text: "x" }, { type: "video_url", video_url: { url: `${server.origin}/fixtures/17s.mp4` }, role: "reference_video" }] })
    ).json()) as { task_id: string };
    const ended = await waitFor(async () => {
      const record = (await retrieve(created.task_id)) as { response?: { success: boolean; error?: { message: string } } };
      return record.response ?? null;
    }, { timeoutMs: 30_000, message: "the task to end" });
    expect(ended.success).toBe(false);
    expect(ended.error!.message).toBe("InvalidParameter: content[1].video_url.url: Reference video 1 lasts 17 s: Seedance 2.0 takes 2–15 s per video.");
  }, 60_000);

  test("a 2.5 clip of 30 s lasts 30 s; an automatic length (-1) is the same for the same request", async () => {
    const { automaticSeconds } = await import("@/lib/simulator/handler");
    const sync = async (body: unknown) => {
      const answer = (await (await post(body)).json()) as { data: { video_url: string; duration: number } };
      const file = path.join(dir, `sync-${Math.random().toString(36).slice(2)}.mp4`);
      fs.writeFileSync(file, Buffer.from(await (await fetch(answer.data.video_url)).arrayBuffer()));
      return { reported: answer.data.duration, info: await probeMedia(file) };
    };
    const long = await sync({ model: V25, content: [{ type: "text", text: "Thirty seconds" }], resolution: "480p", ratio: "16:9", duration: 30, seed: 1, camerafixed: true });
    expect(long.reported).toBe(30);
    expect(long.info.durationSec).toBeCloseTo(30, 0);
    const auto = { model: "doubao-seedance-2-0-fast-260128", content: [{ type: "text", text: "As long as it likes" }], resolution: "480p", ratio: "16:9", duration: -1, seed: 9, camerafixed: true };
    const expected = automaticSeconds("doubao-seedance-2-0-fast-260128", "As long as it likes", 9);
    expect(automaticSeconds("doubao-seedance-2-0-fast-260128", "As long as it likes", 9)).toBe(expected);
    expect(expected).toBeGreaterThanOrEqual(4);
    expect(expected).toBeLessThanOrEqual(8);
    const first = await sync(auto);
    expect(first.reported).toBe(expected);
    expect(first.info.durationSec).toBeCloseTo(expected, 0);
  }, 180_000);

  test("a 2.0 clip with two reference images, a video and audio ends stored, fetched over signed links without cookies", async () => {
    mediaRequests.length = 0;
    const { row: created } = await createGeneration(ctx(), {
      spec: {
        model: V20,
        prompt: "Image 1 and image 2 over video 1, to audio 1",
        resolution: "480p",
        ratio: "16:9",
        duration: 4,
        referenceImages: [dataUrl("red.png", "image/png"), dataUrl("green.png", "image/png")],
        referenceVideos: [dataUrl("blue-3s.mp4", "video/mp4")],
        referenceAudios: [dataUrl("tone.wav", "audio/wav")],
      },
    });
    expect(created.status).toBe("submitted");
    expect(created.request.referenceImages).toEqual([expect.stringMatching(/^media:refs\/[0-9a-f]{64}\.png$/), expect.stringMatching(/^media:refs\/[0-9a-f]{64}\.png$/)]);
    expect(created.request.referenceVideos).toEqual([expect.stringMatching(/^media:refs\/[0-9a-f]{64}\.mp4$/)]);
    expect(created.request.referenceAudios).toEqual([expect.stringMatching(/^media:refs\/[0-9a-f]{64}\.wav$/)]);
    expect(created.request.safety_identifier).toMatch(/^[0-9a-f]{64}$/);
    const done = await waitForEnd(created.id);
    expect(done.status, done.errorDetail ?? "").toBe("succeeded");
    expect([done.width, done.height]).toEqual([864, 480]);
    expect(done.hasAudio).toBe(true);
    expect(done.durationSec).toBeCloseTo(4, 0);
    const record = await retrieve(created.upstreamTaskId!);
    expect(record.response!.data.task_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    // Four fetches of our media route, each with a signature and no cookie, each answered 200.
    expect(mediaRequests).toHaveLength(4);
    for (const r of mediaRequests) expect(r).toMatchObject({ cookie: null, status: 200 });
    // The stored clip plays the reference tone.
    expect(await crossingsPerSecond(path.join(state.pipeline!.storageDir, done.videoKey!))).toBeGreaterThan(1900);
  }, 120_000);

  test("a 2.5 extend of one of our clips by id sends it as a signed reference_video link, and starts from its last frame", async () => {
    const clipId = "g_extendsource01";
    await ctx().storage.put(`clips/${clipId}/video.mp4`, fs.readFileSync(fixture("blue-then-red.mp4")));
    await insertGeneration({
      db: database.db,
      row: { id: clipId, model: V20, prompt: "source", request: { model: V20, prompt: "source" }, status: "succeeded", videoKey: `clips/${clipId}/video.mp4`, durationSec: 5, videoBytes: 1000 },
    });
    const { row: created } = await createGeneration(ctx(), {
      spec: { model: V25, prompt: "Go on from here", resolution: "480p", duration: 4, referenceVideos: [`clip:${clipId}`], omni_reference_task_type: "extend" },
    });
    expect(created.request.referenceVideos).toEqual([`media:clips/${clipId}/video.mp4`]);
    const record = await retrieve(created.upstreamTaskId!);
    const sent = record.request.content.find((c) => c.type === "video_url")!.video_url!.url;
    expect(sent).toMatch(new RegExp(`^${server.origin}/api/media/clips/${clipId}/video\\.mp4\\?sig=\\d+\\.[A-Za-z0-9_-]{43}$`));
    const done = await waitForEnd(created.id);
    expect(done.status, done.errorDetail ?? "").toBe("succeeded");
    // Only the new segment (4 s, not 5 + 4), in the reference's 4:3 shape, opening on its last (red) frame.
    expect(done.durationSec).toBeCloseTo(4, 0);
    expect([done.width, done.height]).toEqual([736, 544]);
    const [r, , b] = await pixel(path.join(state.pipeline!.storageDir, done.videoKey!), 0, 0.5, 0.4);
    expect(r).toBeGreaterThan(180);
    expect(b).toBeLessThan(80);
  }, 120_000);

  test("a 2.5 mov clip keeps its QuickTime original and gets an MP4 copy for the player, with poster and last frame", async () => {
    const { row: created } = await createGeneration(ctx(), {
      spec: { model: V25, prompt: "Keep the colour", resolution: "480p", ratio: "16:9", duration: 4, output_format: "mov" },
    });
    const done = await waitForEnd(created.id);
    expect(done.status, done.errorDetail ?? "").toBe("succeeded");
    const root = state.pipeline!.storageDir;
    const original = fs.readFileSync(path.join(root, `clips/${done.id}/original.mov`));
    expect(original.subarray(4, 12).toString("latin1")).toBe("ftypqt  ");
    expect(done.videoKey).toBe(`clips/${done.id}/video.mp4`);
    const copy = path.join(root, done.videoKey!);
    expect(fs.readFileSync(copy).subarray(8, 12).toString("latin1")).not.toBe("qt  ");
    expect(await probeMedia(copy)).toMatchObject({ videoCodec: "h264", width: 864, height: 480 });
    expect(fs.existsSync(path.join(root, done.posterKey!))).toBe(true);
    expect(fs.existsSync(path.join(root, done.lastFrameKey!))).toBe(true);
    const { toGeneration } = await import("@/lib/dto/generation");
    expect(toGeneration(done).originalVideoUrl).toBe(`/api/media/clips/${done.id}/original.mov`);
  }, 120_000);

  test("a reference the upstream cannot read fails the clip with the reason", async () => {
    const config = ctx().config;
    const base = config.mediaBaseUrl;
    config.mediaBaseUrl = `${server.origin}/gone`;
    try {
      const { row: created } = await createGeneration(ctx(), {
        spec: { model: V25, prompt: "Audio 1 alone", resolution: "480p", duration: 4, referenceAudios: [dataUrl("tone.wav", "audio/wav")] },
      });
      const done = await waitForEnd(created.id);
      expect(done.status).toBe("failed");
      expect(done.errorDetail).toMatch(/content\[1\]\.audio_url\.url: the reference audio could not be read: the address answered HTTP 404/);
    } finally {
      config.mediaBaseUrl = base;
    }
  }, 60_000);

  test("with no public base URL, a request with references is a clear 400 and nothing is stored", async () => {
    const config = ctx().config;
    const base = config.mediaBaseUrl;
    config.mediaBaseUrl = undefined;
    const before = fs.readdirSync(state.pipeline!.storageDir, { recursive: true }).length;
    try {
      const refused = await createGeneration(ctx(), {
        spec: { model: V20, prompt: "x", referenceImages: [dataUrl("red.png", "image/png")] },
      }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(AppError);
      expect((refused as AppError).httpStatus).toBe(400);
      expect((refused as AppError).code).toBe("public_base_url_missing");
    } finally {
      config.mediaBaseUrl = base;
    }
    expect(fs.readdirSync(state.pipeline!.storageDir, { recursive: true }).length).toBe(before);
  });

  test("the input sweep keeps the references a clip lists and collects the ones none does", async () => {
    const { collectUnusedInputs, REFERENCE_GC_GRACE_MS } = await import("@/lib/jobs/input-gc");
    const root = state.pipeline!.storageDir;
    await ctx().storage.put("refs/orphan.png", fs.readFileSync(fixture("red.png")));
    const listed = (await ctx().storage.list("refs/")).map((o) => o.key);
    expect(listed.length).toBeGreaterThan(1);
    const then = new Date(Date.now() - REFERENCE_GC_GRACE_MS - 60_000);
    for (const key of listed) fs.utimesSync(path.join(root, key), then, then);
    expect(await collectUnusedInputs(ctx())).toEqual(["refs/orphan.png"]);
    expect((await ctx().storage.list("refs/")).map((o) => o.key).sort()).toEqual(listed.filter((k) => k !== "refs/orphan.png").sort());
  });

  test("media over a limit is refused with its field, nothing stored: too long, too long together, wrong container, too big", async () => {
    const run = (args: string[]) => runFfmpeg(["-y", "-loglevel", "error", ...args]);
    await Promise.all([
      run(["-f", "lavfi", "-i", "color=c=gray:s=160x120:r=24:d=16", "-c:v", "libx264", "-pix_fmt", "yuv420p", fixture("16s.mp4")]),
      run(["-f", "lavfi", "-i", "color=c=gray:s=160x120:r=24:d=6", "-c:v", "libx264", "-pix_fmt", "yuv420p", fixture("6s.mp4")]),
      run(["-f", "lavfi", "-i", "color=c=gray:s=160x120:r=24:d=3", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-f", "matroska", fixture("3s.mkv")]),
      run(["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=90", "-ac", "2", fixture("big.wav")]),
    ]);
    const before = fs.readdirSync(state.pipeline!.storageDir, { recursive: true }).length;
    const fieldsOf = async (spec: Parameters<typeof createGeneration>[1]["spec"]) => {
      const error = (await createGeneration(ctx(), { spec }).catch((e: unknown) => e)) as AppError;
      expect(error).toBeInstanceOf(AppError);
      expect(error.httpStatus).toBeLessThan(500);
      return Object.fromEntries(Object.entries(error.fieldErrors ?? {}).map(([field, errors]) => [field, errors.map((e) => e.code)]));
    };
    const image = dataUrl("red.png", "image/png");
    expect(await fieldsOf({ model: V20, prompt: "x", referenceVideos: [dataUrl("16s.mp4", "video/mp4")] })).toEqual({ "referenceVideos.0": ["reference_video_length"] });
    const six = dataUrl("6s.mp4", "video/mp4");
    expect(await fieldsOf({ model: V20, prompt: "x", referenceVideos: [six, six, six] })).toEqual({ referenceVideos: ["reference_videos_total"] });
    expect(await fieldsOf({ model: V20, prompt: "x", referenceVideos: [dataUrl("3s.mkv", "video/mp4")] })).toEqual({ "referenceVideos.0": ["reference_video_type"] });
    expect(await fieldsOf({ model: V20, prompt: "x", referenceImages: [image], referenceAudios: [dataUrl("big.wav", "audio/wav")] })).toEqual({ "referenceAudios.0": ["reference_audio_bytes"] });
    expect(await fieldsOf({ model: V20, prompt: "x", referenceVideos: ["clip:g_nosuchclip000"] })).toEqual({ "referenceVideos.0": ["clip_reference_missing"] });
    // An https reference is fetched as the upstream would, public addresses only: loopback is refused.
    expect(await fieldsOf({ model: V20, prompt: "x", referenceImages: [`https://127.0.0.1:${new URL(server.origin).port}/a.png`] })).toEqual({ "referenceImages.0": ["reference_fetch_failed"] });
    expect(fs.readdirSync(state.pipeline!.storageDir, { recursive: true }).length).toBe(before);
  }, 120_000);
});

