/**
 * Reference uploads (`POST /api/references?kind=`), called in-process with real files made by
 * ffmpeg, real PGlite and filesystem storage: what an upload answers and stores, what it refuses
 * (over the cap while it streams, the wrong type, a stranger), and an upload named in a create
 * (`media:refs/<sha256>.<ext>`) going upstream as a signed link of the same stored key. Also the
 * schema's word on `media:` references and the remix helper that gives them back.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import type { z } from "zod";
import { resetEnvForTests } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { englishFieldErrorsOf } from "@/lib/errors/english";
import { createGeneration } from "@/lib/generations/create";
import { guardHandler, type BinaryBodyType } from "@/lib/http/route-guard";
import { REFERENCE_GC_GRACE_MS } from "@/lib/jobs/input-gc";
import { runFfmpeg } from "@/lib/media/ffmpeg";
import { referenceUploadMaxBytes, resendableReference, resendableReferences } from "@/lib/seedance/rules";
import { generationSpecSchema, seedanceVideoRequestSchema } from "@/lib/seedance/schema";
import { checkMediaSignature } from "@/lib/security/signed-media-url";
import { startFakeUpstream, type FakeUpstream } from "./support/fake-upstream";
import { createTestPipeline, getRow, openTestDatabase, removeTempDirs, tempDir, type TestDatabase, type TestPipeline } from "./support/pipeline";

const state: { pipeline: TestPipeline | null } = { pipeline: null };
vi.mock("@/lib/app/context", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/app/context")>()),
  appContext: async () => state.pipeline!.ctx,
}));
vi.mock("next/server", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/server")>()), connection: async () => {} }));

const upload = await import("@/app/api/references/route");
const generations = await import("@/app/api/generations/route");

const V20 = "doubao-seedance-2-0-260128" as const;
const V25 = "doubao-seedance-2-5-260628" as const;
const MB = 1024 * 1024;
const MEDIA_BASE = "https://studio.example.com";

let dir: string;
let database: TestDatabase;
let upstream: FakeUpstream;
const fixture = (name: string) => path.join(dir, name);
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const refsDir = () => path.join(state.pipeline!.storageDir, "refs");
const storedRefs = () => (fs.existsSync(refsDir()) ? fs.readdirSync(refsDir()) : []);
const uploadDirs = () => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith("seedance-upload-"));

async function makeFixtures() {
  dir = tempDir("refs-fixtures");
  const run = (args: string[]) => runFfmpeg(["-y", "-loglevel", "error", ...args]);
  const gray = (seconds: number) => ["-f", "lavfi", "-i", `color=c=gray:s=160x120:r=12:d=${seconds}`, "-c:v", "libx264", "-pix_fmt", "yuv420p"];
  await Promise.all([
    run([...gray(2.5), fixture("small.mp4")]),
    run([...gray(2.5), "-f", "mov", fixture("small.mov")]),
    run([...gray(16), fixture("16s.mp4")]),
    run([...gray(1), fixture("1s.mp4")]),
    run([...gray(3), "-f", "matroska", fixture("3s.mkv")]),
    run(["-f", "lavfi", "-i", "color=c=0xff0000:s=400x400", "-frames:v", "1", fixture("red.png")]),
    run(["-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000:duration=3", fixture("tone.wav")]),
  ]);
}

/** The route called as the browser calls it: the file as the body, its type as Content-Type. */
function post(kind: string, body: BodyInit | null, headers: Record<string, string> = {}) {
  const init: RequestInit & { duplex?: "half" } = { method: "POST", headers: { "content-type": "video/mp4", ...headers }, body };
  if (body instanceof ReadableStream) init.duplex = "half";
  return upload.POST(new Request(`http://studio.test/api/references?kind=${kind}`, init));
}
const postFile = (kind: string, name: string, type: string) => post(kind, fs.readFileSync(fixture(name)), { "content-type": type });

interface Answer {
  ref: string;
  url: string;
  kind: string;
  bytes: number;
  seconds?: number;
  width?: number;
  height?: number;
}
type ErrorAnswer = { error: { code: string; fieldErrors?: Record<string, string[]> } };

beforeAll(async () => {
  process.env.LOG_LEVEL = "silent";
  process.env.DATA_DIR = tempDir("refs-data");
  process.env.RATE_LIMIT_PER_MINUTE = "0";
  resetEnvForTests();
  await makeFixtures();
  database = await openTestDatabase();
  upstream = await startFakeUpstream({ token: "fake-token", clip: fs.readFileSync(fixture("small.mp4")) });
  state.pipeline = await createTestPipeline({ db: database.db, upstream: { baseUrl: upstream.url, token: "fake-token" }, trustedMediaOrigins: [], callbacks: false });
  state.pipeline.ctx.config.mediaBaseUrl = MEDIA_BASE;
}, 60_000);

afterAll(async () => {
  await state.pipeline?.close();
  await upstream?.close();
  await database?.close();
  for (const name of ["LOG_LEVEL", "DATA_DIR", "RATE_LIMIT_PER_MINUTE", "STUDIO_PASSWORD", "SESSION_SECRET", "TRUST_PROXY"]) delete process.env[name];
  resetEnvForTests();
  await removeTempDirs();
});

beforeEach(async () => {
  await database.reset();
  fs.rmSync(refsDir(), { recursive: true, force: true });
});

describe("an upload", () => {
  test("of a real mp4 is stored under the sha256 of its bytes; the same bytes again are the same ref, written once", async () => {
    const bytes = fs.readFileSync(fixture("small.mp4"));
    const first = await postFile("video", "small.mp4", "video/mp4");
    expect(first.status).toBe(201);
    const answer = (await first.json()) as Answer;
    const sha = sha256(bytes);
    expect(answer).toMatchObject({ ref: `media:refs/${sha}.mp4`, url: `/api/media/refs/${sha}.mp4`, kind: "video", bytes: bytes.length, width: 160, height: 120 });
    expect(answer.seconds).toBeCloseTo(2.5, 1);
    const stored = path.join(refsDir(), `${sha}.mp4`);
    expect(fs.readFileSync(stored).equals(bytes)).toBe(true);
    // An upload just made is not written again: its age stays what it was.
    const then = new Date(Date.now() - 60_000);
    fs.utimesSync(stored, then, then);
    const second = await postFile("video", "small.mp4", "application/octet-stream");
    expect(second.status).toBe(200);
    expect(((await second.json()) as Answer).ref).toBe(answer.ref);
    expect(Math.round(fs.statSync(stored).mtimeMs)).toBe(then.getTime());
    expect(storedRefs()).toEqual([`${sha}.mp4`]);
    expect(uploadDirs()).toEqual([]);
  });

  test("a repeat of a copy old enough for the unused-input sweep writes it again, so it is young when a create comes", async () => {
    const first = (await (await postFile("video", "small.mp4", "video/mp4")).json()) as Answer;
    const stored = path.join(state.pipeline!.storageDir, first.ref.slice("media:".length));
    const old = new Date(Date.now() - REFERENCE_GC_GRACE_MS);
    fs.utimesSync(stored, old, old);
    const again = await postFile("video", "small.mp4", "video/mp4");
    expect(again.status).toBe(200);
    expect(Date.now() - fs.statSync(stored).mtimeMs).toBeLessThan(60_000);
  });

  test("a QuickTime movie is a .mov, an image keeps its type and size, audio its type and length", async () => {
    const mov = (await (await postFile("video", "small.mov", "video/quicktime")).json()) as Answer;
    expect(mov.ref).toMatch(/^media:refs\/[0-9a-f]{64}\.mov$/);
    const image = (await (await postFile("image", "red.png", "image/png")).json()) as Answer;
    expect(image).toMatchObject({ ref: `media:refs/${sha256(fs.readFileSync(fixture("red.png")))}.png`, kind: "image", width: 400, height: 400 });
    expect(image.seconds).toBeUndefined();
    const audio = (await (await postFile("audio", "tone.wav", "audio/wav")).json()) as Answer;
    expect(audio).toMatchObject({ kind: "audio", ref: expect.stringMatching(/^media:refs\/[0-9a-f]{64}\.wav$/) });
    expect(audio.seconds).toBeCloseTo(3, 1);
    expect(storedRefs().sort()).toEqual([mov, image, audio].map((a) => a.ref.slice("media:refs/".length)).sort());
  });

  test("over the kind's cap is a 413 as soon as the cap is passed: the rest is not read and nothing is left behind", async () => {
    const cap = referenceUploadMaxBytes("audio");
    expect(cap).toBe(15 * MB);
    let pulled = 0;
    const chunk = new Uint8Array(MB).fill(0x41);
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 64 * MB) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const response = await post("audio", endless, { "content-type": "audio/wav" });
    expect(response.status).toBe(413);
    const body = (await response.json()) as ErrorAnswer;
    expect(body.error.code).toBe("upload_too_large");
    expect(body.error.fieldErrors?.body?.[0]).toMatch(/larger than the 15 MB a reference audio clip may have/);
    expect(pulled).toBeGreaterThan(cap);
    expect(pulled).toBeLessThan(cap + 4 * MB);
    expect(storedRefs()).toEqual([]);
    expect(uploadDirs()).toEqual([]);
  });

  test("a declared length over the cap is refused before a byte is read", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(1024));
        if (pulled > 10) controller.close();
      },
    });
    const response = await post("image", body, { "content-type": "image/png", "content-length": String(referenceUploadMaxBytes("image") + 1) });
    expect(response.status).toBe(413);
    expect(((await response.json()) as ErrorAnswer).error.code).toBe("upload_too_large");
    expect(pulled).toBeLessThanOrEqual(1);
    expect(uploadDirs()).toEqual([]);
  });

  test.each([
    ["text as a video", "video", Buffer.from("this is not a video at all, just some words"), "video/mp4", 400, "upload_video_type", "body"],
    ["a Matroska video", "video", "3s.mkv", "video/x-matroska", 400, "upload_video_type", "body"],
    ["a 1 s video (no model takes under 2 s)", "video", "1s.mp4", "video/mp4", 400, "upload_video_length", "body"],
    ["an mp4 as audio", "audio", "small.mp4", "audio/mpeg", 400, "upload_audio_type", "body"],
    ["audio as an image", "image", "tone.wav", "image/png", 400, "image_not_image", "body"],
    ["an empty body", "video", Buffer.alloc(0), "video/mp4", 400, "upload_empty", "body"],
    ["an unknown kind", "gif", "red.png", "image/png", 400, "upload_kind_invalid", "kind"],
    ["a text/plain body (what a page elsewhere may send without asking)", "image", "red.png", "text/plain", 415, "body_not_media_type", "Content-Type"],
    ["a form body", "image", "red.png", "multipart/form-data; boundary=x", 415, "body_not_media_type", "Content-Type"],
  ] as const)("%s is refused, coded, on its field", async (_name, kind, file, type, status, code, field) => {
    const bytes = typeof file === "string" ? fs.readFileSync(fixture(file)) : file;
    const response = await post(kind, bytes.length ? bytes : null, { "content-type": type });
    expect(response.status).toBe(status);
    const body = (await response.json()) as ErrorAnswer;
    expect(body.error.code).toBe(code);
    expect(Object.keys(body.error.fieldErrors ?? {})).toEqual([field]);
    expect(storedRefs()).toEqual([]);
    expect(uploadDirs()).toEqual([]);
  });

  test("from another site is a 403, and with the sign-in gate on a request without a session is a 401; nothing is stored", async () => {
    const crossSite = await post("video", fs.readFileSync(fixture("small.mp4")), { origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    process.env.STUDIO_PASSWORD = "upload-test-password";
    process.env.SESSION_SECRET = "upload-test-secret-0123456789abcdef0123456789";
    resetEnvForTests();
    try {
      const stranger = await post("video", fs.readFileSync(fixture("small.mp4")));
      expect(stranger.status).toBe(401);
      expect(((await stranger.json()) as ErrorAnswer).error.code).toBe("unauthorized");
      const badKey = await post("video", fs.readFileSync(fixture("small.mp4")), { authorization: "Bearer sk_studio_nosuchkey" });
      expect(badKey.status).toBe(401);
    } finally {
      delete process.env.STUDIO_PASSWORD;
      delete process.env.SESSION_SECRET;
      resetEnvForTests();
    }
    expect(storedRefs()).toEqual([]);
  });

  test("is rate-limited per address like creates, before the body is read", async () => {
    process.env.TRUST_PROXY = "1";
    process.env.RATE_LIMIT_PER_MINUTE = "1";
    resetEnvForTests();
    try {
      const from = (ip: string) => post("image", null, { "content-type": "image/png", "x-forwarded-for": ip });
      // 1 clip a minute -> 5 uploads a minute; an empty upload still costs its token.
      for (let i = 0; i < 5; i++) expect((await from("203.0.113.50")).status).toBe(400);
      const limited = await from("203.0.113.50");
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(((await limited.json()) as ErrorAnswer).error.code).toBe("upload_rate_limited");
      expect((await from("203.0.113.51")).status).toBe(400);
    } finally {
      process.env.RATE_LIMIT_PER_MINUTE = "0";
      delete process.env.TRUST_PROXY;
      resetEnvForTests();
    }
  });
});

describe("an upload in a create", () => {
  test("the JSON API stores the same key (not written again) and the submit sends it as a signed link; the shown URL gives the ref back", async () => {
    const { ref } = (await (await postFile("video", "small.mp4", "video/mp4")).json()) as Answer;
    const key = ref.slice("media:".length);
    const stored = path.join(state.pipeline!.storageDir, key);
    const then = new Date(Date.now() - 120_000);
    fs.utimesSync(stored, then, then);
    const before = upstream.createBodies.length;
    const response = await generations.POST(
      new Request("http://studio.test/api/generations", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: V20, content: [{ type: "text", text: "Like video 1" }, { type: "video_url", video_url: { url: ref }, role: "reference_video" }], duration: 4 }),
      }),
    );
    expect(response.status, await response.clone().text()).toBe(201);
    const generation = (await response.json()) as { id: string; request: { referenceVideos: string[] } };
    expect((await getRow(database.db, generation.id)).request.referenceVideos).toEqual([ref]);
    expect(Math.round(fs.statSync(stored).mtimeMs)).toBe(then.getTime());
    expect(storedRefs()).toEqual([path.basename(key)]);
    const sent = upstream.createBodies.slice(before).at(-1) as { content: { type: string; video_url?: { url: string } }[] };
    const url = new URL(sent.content.find((item) => item.type === "video_url")!.video_url!.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${MEDIA_BASE}/api/media/${key}`);
    expect(checkMediaSignature(state.pipeline!.ctx.config.callbackSecret, key, url.searchParams.get("sig"))).toBe("valid");
    // The gallery shows the stored request with our media URLs; a remix sends them back as refs.
    expect(generation.request.referenceVideos).toEqual([`/api/media/${key}`]);
    expect(resendableReferences(generation.request).referenceVideos).toEqual([ref]);
  });

  test("is checked against the chosen model: a 16 s upload is refused on 2.0 (2–15 s) and taken on 2.5", async () => {
    const { ref } = (await (await postFile("video", "16s.mp4", "video/mp4")).json()) as Answer;
    const refusal = (await createGeneration(state.pipeline!.ctx, { spec: { model: V20, prompt: "x", referenceVideos: [ref] } }).catch((e: unknown) => e)) as AppError;
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal.httpStatus).toBe(400);
    expect(Object.fromEntries(Object.entries(refusal.fieldErrors ?? {}).map(([f, errors]) => [f, errors.map((e) => e.code)]))).toEqual({ "referenceVideos.0": ["reference_video_length"] });
    const { row } = await createGeneration(state.pipeline!.ctx, { spec: { model: V25, prompt: "x", referenceVideos: [ref] } });
    expect(row.request.referenceVideos).toEqual([ref]);
  }, 60_000);

  test("an upload that is not stored is a 400 on its field, and nothing is written", async () => {
    const audio = (await (await postFile("audio", "tone.wav", "audio/wav")).json()) as Answer;
    const missing = `media:refs/${"0".repeat(64)}.mp4`;
    const refusal = (await createGeneration(state.pipeline!.ctx, { spec: { model: V25, prompt: "x", referenceVideos: [missing], referenceAudios: [audio.ref] } }).catch((e: unknown) => e)) as AppError;
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal.httpStatus).toBe(400);
    expect(Object.keys(refusal.fieldErrors ?? {})).toEqual(["referenceVideos.0"]);
    expect(refusal.fieldErrors!["referenceVideos.0"]![0]).toEqual({ code: "reference_upload_missing", params: { kind: "video", n: 1 } });
    expect(storedRefs()).toEqual([path.basename(audio.ref)]);
  });
});

function errorsOf(schema: z.ZodType, input: unknown): Record<string, string[]> | null {
  const result = schema.safeParse(input);
  return result.success ? null : englishFieldErrorsOf(result.error);
}

describe("media: references in a creator's request", () => {
  const hex = "ab".repeat(32);
  test.each([
    ["an uploaded video", { referenceVideos: [`media:refs/${hex}.mp4`] }, null],
    ["an uploaded QuickTime video", { referenceVideos: [`media:refs/${hex}.mov`] }, null],
    ["an uploaded image", { referenceImages: [`media:refs/${hex}.jpg`] }, null],
    ["an uploaded audio clip with an image", { referenceImages: [`media:refs/${hex}.png`], referenceAudios: [`media:refs/${hex}.mp3`] }, null],
    ["a clip by its storage key", { referenceVideos: ["media:clips/g_abcdefghijklmnop/video.mp4"] }, "referenceVideos.0"],
    ["an input image by its key", { referenceImages: [`media:inputs/${hex}.png`] }, "referenceImages.0"],
    ["an image upload as a video", { referenceVideos: [`media:refs/${hex}.png`] }, "referenceVideos.0"],
    ["a short name", { referenceVideos: ["media:refs/abc.mp4"] }, "referenceVideos.0"],
    ["a path out of refs/", { referenceVideos: [`media:refs/../${hex}.mp4`] }, "referenceVideos.0"],
    ["upper-case hex", { referenceVideos: [`media:refs/${hex.toUpperCase()}.mp4`] }, "referenceVideos.0"],
  ] as const)("%s", (_name, refs, field) => {
    const errors = errorsOf(generationSpecSchema, { model: V20, prompt: "x", ...refs });
    if (field === null) return expect(errors).toBeNull();
    expect(Object.keys(errors ?? {})).toEqual([field]);
    expect(errors![field]!.join(" ")).toMatch(/must be an https:\/\/ URL/);
  });

  test("the upstream is never sent one: its schema refuses media: URLs", () => {
    const errors = errorsOf(seedanceVideoRequestSchema, { model: V20, content: [{ type: "text", text: "x" }, { type: "video_url", video_url: { url: `media:refs/${hex}.mp4` }, role: "reference_video" }] });
    expect(Object.keys(errors ?? {})).toContain("content.1.video_url.url");
  });

  test("a shown reference goes back to what a create takes; anything else stays as it is", () => {
    expect(resendableReference(`/api/media/refs/${hex}.mp4`, "video")).toBe(`media:refs/${hex}.mp4`);
    expect(resendableReference(`/api/media/refs/${hex}.wav`, "audio")).toBe(`media:refs/${hex}.wav`);
    expect(resendableReference("/api/media/clips/g_abcdefghijklmnop/video.mp4", "video")).toBe("clip:g_abcdefghijklmnop");
    expect(resendableReference("/api/media/clips/g_abcdefghijklmnop/video.mp4", "image")).toBe("/api/media/clips/g_abcdefghijklmnop/video.mp4");
    expect(resendableReference(`/api/media/refs/${hex}.png`, "video")).toBe(`/api/media/refs/${hex}.png`);
    expect(resendableReference(`/api/media/inputs/${hex}.png`, "image")).toBe(`/api/media/inputs/${hex}.png`);
    expect(resendableReference("https://cdn.example.com/a.mp4", "video")).toBe("https://cdn.example.com/a.mp4");
    const shown = { model: V20, prompt: "p", referenceImages: [`/api/media/refs/${hex}.png`], referenceVideos: ["/api/media/clips/g_x1/video.mp4"] };
    const resent = resendableReferences(shown);
    expect(resent).toEqual({ ...shown, referenceImages: [`media:refs/${hex}.png`], referenceVideos: ["clip:g_x1"] });
    // Every form it gives back passes the schema.
    expect(errorsOf(generationSpecSchema, resent)).toBeNull();
  });
});

describe("the route guard's binary body", () => {
  test("cannot be declared with a type a page elsewhere could send, nor together with JSON", () => {
    const handler = async () => new Response(null);
    expect(() => guardHandler({ access: "signed-in", binaryBody: ["text/plain" as BinaryBodyType] }, handler)).toThrow(TypeError);
    expect(() => guardHandler({ access: "signed-in", binaryBody: ["multipart/form-data" as BinaryBodyType] }, handler)).toThrow(TypeError);
    expect(() => guardHandler({ access: "signed-in", json: true, binaryBody: ["video/*"] }, handler)).toThrow(TypeError);
    expect(() => guardHandler({ access: "signed-in", binaryBody: ["video/*", "application/octet-stream"] }, handler)).not.toThrow();
  });

  test("the upload route is outside the proxy, which would cut its bodies at 10 MB", async () => {
    const { config } = await import("@/proxy");
    expect(new RegExp(`^${config.matcher[0]}$`).test("/api/references")).toBe(false);
    expect(new RegExp(`^${config.matcher[0]}$`).test("/api/references/x")).toBe(true);
  });
});
