/**
 * The two media routes, called in-process: the studio's own files (`/api/media/...`) and a share's
 * (`/api/shares/<id>/<n>/<file>`). What a creator and a visitor rely on: paths that cannot name a
 * file are a 404 (never a 500), the studio's clips are never handed to a shared cache, a share's
 * media stops being served from caches soon after the link is revoked, and conditional requests
 * are answered as browsers and proxies send them.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { MODEL_IDS } from "@/lib/seedance/models";
import { createShare, revokeShare } from "@/lib/shares/service";
import { createTestPipeline, openTestDatabase, removeTempDirs, type TestDatabase, type TestPipeline } from "./support/pipeline";
import { insertGeneration } from "./support/seed";

const state: { pipeline: TestPipeline | null } = { pipeline: null };

vi.mock("@/lib/app/context", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/app/context")>()),
  appContext: async () => state.pipeline!.ctx,
}));
// Outside a request there are no cookies(): the gate itself is tested in the browser suite.
vi.mock("@/lib/http/gate", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/http/gate")>()),
  requestClient: async () => ({ ip: "198.51.100.7" }),
}));

const media = await import("@/app/api/media/[...key]/route");
const shareMedia = await import("@/app/api/shares/[shareId]/[index]/[file]/route");

let database: TestDatabase;
const VIDEO = Buffer.alloc(4096, 7);

// The handlers read their params; the URL's path only has to be a URL (a lone surrogate cannot be encoded).
const pathOf = (parts: string[]) => parts.map((p) => (p.isWellFormed() ? encodeURIComponent(p) : "_")).join("/");
const studioFile = (parts: string[], init: RequestInit = {}) =>
  media[(init.method as "GET" | "HEAD" | undefined) ?? "GET"](new Request(`http://studio.test/api/media/${pathOf(parts)}`, init) as never, {
    params: Promise.resolve({ key: parts }),
  } as never);
const sharedFile = (shareId: string, index: string, file: string, init: RequestInit = {}) =>
  shareMedia[(init.method as "GET" | "HEAD" | undefined) ?? "GET"](new Request(`http://studio.test/api/shares/${pathOf([shareId, index, file])}`, init) as never, {
    params: Promise.resolve({ shareId, index, file }),
  } as never);

async function seedClip(id = "g_clip1") {
  const { ctx } = state.pipeline!;
  await ctx.storage.put(`clips/${id}/video.mp4`, VIDEO);
  await insertGeneration({
    db: ctx.db,
    row: { id, model: MODEL_IDS[0], prompt: "a fox", request: { model: MODEL_IDS[0], prompt: "a fox" }, status: "succeeded", videoKey: `clips/${id}/video.mp4` },
  });
  return id;
}

beforeAll(async () => {
  process.env.LOG_LEVEL = "silent";
  resetEnvForTests();
  database = await openTestDatabase();
  state.pipeline = await createTestPipeline({ db: database.db, upstream: { baseUrl: "http://127.0.0.1:9", token: "sk-unused" }, trustedMediaOrigins: [], callbacks: false });
});

afterAll(async () => {
  await state.pipeline?.close();
  await database?.close();
  await removeTempDirs();
  delete process.env.STUDIO_PASSWORD;
  resetEnvForTests();
});

beforeEach(async () => {
  await database.reset();
  delete process.env.STUDIO_PASSWORD;
  resetEnvForTests();
});

describe("paths that cannot name a file", () => {
  it.each([
    ["a NUL in a clip id", ["clips", "g_\u0000", "video.mp4"]],
    ["a NUL in a film id", ["films", "\u0000", "film.mp4"]],
    ["a NUL in an input name", ["inputs", "a\u0000.png"]],
    ["a lone surrogate in a clip id", ["clips", "g_\ud800", "video.mp4"]],
    ["what a lenient decoder makes of invalid UTF-8", ["clips", "g_\ufffd", "video.mp4"]],
    ["a non-ASCII clip id", ["clips", "g_é", "video.mp4"]],
    ["traversal", ["clips", "..", "video.mp4"]],
  ])("studio media: %s is a 404", async (_name, parts) => {
    const response = await studioFile(parts);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("media_not_found");
  });

  it.each([
    ["a NUL in the share id", "\u0000".repeat(22), "0", "video.mp4"],
    ["a lone surrogate in the share id", "\ud800".repeat(22), "0", "video.mp4"],
    ["a NUL in the index", "a".repeat(22), "\u0000", "video.mp4"],
    ["a NUL in the file name", "a".repeat(22), "0", "video\u0000.mp4"],
  ])("share media: %s is a 404", async (_name, shareId, index, file) => {
    const response = await sharedFile(shareId, index, file);
    expect(response.status).toBe(404);
  });
});

describe("cache policy", () => {
  it.each([
    ["without a password", undefined],
    ["behind the sign-in gate", "hunter2-but-longer"],
  ])("the studio's own media is for the creator's browser only (%s)", async (_name, password) => {
    if (password) process.env.STUDIO_PASSWORD = password;
    resetEnvForTests();
    const id = await seedClip();
    const response = await studioFile(["clips", id, "video.mp4"]);
    expect(response.status).toBe(200);
    const cacheControl = response.headers.get("cache-control") ?? "";
    expect(cacheControl).toMatch(/\bprivate\b/);
    expect(cacheControl).not.toMatch(/\bpublic\b/);
  });

  it("a share's media may be cached a minute at most, so a revoked link stops playing soon after", async () => {
    const id = await seedClip();
    const share = await createShare(state.pipeline!.ctx, { input: { generationIds: [id] } });
    const response = await sharedFile(share.id, "0", "video.mp4");
    expect(response.status).toBe(200);
    const cacheControl = response.headers.get("cache-control") ?? "";
    const maxAge = Number(/max-age=(\d+)/.exec(cacheControl)?.[1] ?? Number.NaN);
    expect(maxAge).toBeLessThanOrEqual(60);
    expect(cacheControl).not.toMatch(/immutable|stale-while-revalidate|stale-if-error/);

    // A cache revalidating after the minute hears that the link is gone.
    const etag = response.headers.get("etag")!;
    await revokeShare(state.pipeline!.ctx, { id: share.id });
    const again = await sharedFile(share.id, "0", "video.mp4", { headers: { "if-none-match": etag } });
    expect(again.status).toBe(404);
  });

  it("a 304 carries the same policy as the answer it stands for", async () => {
    const id = await seedClip();
    const first = await studioFile(["clips", id, "video.mp4"]);
    const notModified = await studioFile(["clips", id, "video.mp4"], { headers: { "if-none-match": first.headers.get("etag")! } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("cache-control")).toBe(first.headers.get("cache-control"));
  });
});

describe("conditional requests", () => {
  it.each([
    ["the tag itself", (etag: string) => etag, 304],
    ["the weak form a proxy sends (W/)", (etag: string) => `W/${etag}`, 304],
    ["a list holding the tag", (etag: string) => `"older", ${etag}`, 304],
    ["a list holding the weak tag, no spaces", (etag: string) => `W/"older",W/${etag}`, 304],
    ["*", () => "*", 304],
    ["another tag", () => `"older"`, 200],
    ["a list without the tag", () => `"a", W/"b"`, 200],
  ])("If-None-Match with %s", async (_name, header, status) => {
    const id = await seedClip();
    const etag = (await studioFile(["clips", id, "video.mp4"])).headers.get("etag")!;
    const response = await studioFile(["clips", id, "video.mp4"], { headers: { "if-none-match": header(etag) } });
    expect(response.status).toBe(status);
  });

  it("If-Range with a weak tag sends the whole file (a range needs a strong match)", async () => {
    const id = await seedClip();
    const etag = (await studioFile(["clips", id, "video.mp4"])).headers.get("etag")!;
    const strong = await studioFile(["clips", id, "video.mp4"], { headers: { range: "bytes=0-9", "if-range": etag } });
    expect(strong.status).toBe(206);
    const weak = await studioFile(["clips", id, "video.mp4"], { headers: { range: "bytes=0-9", "if-range": `W/${etag}` } });
    expect(weak.status).toBe(200);
  });

  it("HEAD answers with the headers of GET and no body", async () => {
    const id = await seedClip();
    const response = await studioFile(["clips", id, "video.mp4"], { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe(String(VIDEO.length));
    expect(response.headers.get("etag")).toBeTruthy();
    expect(response.body).toBeNull();
  });
});
