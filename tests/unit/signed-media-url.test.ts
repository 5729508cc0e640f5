/**
 * Signed media links (lib/security/signed-media-url.ts) and the media route's signed access: the
 * upstream fetching a reference has no session, so a valid link opens exactly its one object,
 * with the sign-in gate on; anything else about it is refused.
 */
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { checkMediaSignature, mediaSignature, MEDIA_URL_MARGIN_SEC, signedMediaUrl } from "@/lib/security/signed-media-url";
import { createTestPipeline, openTestDatabase, removeTempDirs, type TestDatabase, type TestPipeline } from "./support/pipeline";

const SECRET = "s".repeat(43);
const KEY = "refs/0f0e.mp4";
const NOW = Date.UTC(2026, 11, 2, 1, 0, 0);

describe("checkMediaSignature", () => {
  const exp = NOW / 1000 + 600;
  test("a signature for the key, before its expiry, is valid", () => {
    expect(checkMediaSignature(SECRET, KEY, mediaSignature(SECRET, KEY, exp), NOW)).toBe("valid");
  });
  test("after its expiry it is expired", () => {
    expect(checkMediaSignature(SECRET, KEY, mediaSignature(SECRET, KEY, exp), NOW + 601_000)).toBe("expired");
  });
  test("a tampered mac or a moved expiry is invalid", () => {
    const sig = mediaSignature(SECRET, KEY, exp);
    const flipped = `${sig.slice(0, -1)}${sig.endsWith("A") ? "B" : "A"}`;
    expect(checkMediaSignature(SECRET, KEY, flipped, NOW)).toBe("invalid");
    expect(checkMediaSignature(SECRET, KEY, sig.replace(String(exp), String(exp + 86_400)), NOW)).toBe("invalid");
    expect(checkMediaSignature(SECRET, KEY, null, NOW)).toBe("invalid");
    expect(checkMediaSignature(SECRET, KEY, "garbage", NOW)).toBe("invalid");
  });
  test("it opens no other key, and no key through a traversal", () => {
    const sig = mediaSignature(SECRET, KEY, exp);
    expect(checkMediaSignature(SECRET, "refs/0f0f.mp4", sig, NOW)).toBe("invalid");
    expect(checkMediaSignature(SECRET, `${KEY}/../../clips/g_x/video.mp4`, sig, NOW)).toBe("invalid");
    expect(checkMediaSignature("another-secret-".padEnd(43, "x"), KEY, sig, NOW)).toBe("invalid");
  });
  test("the URL lasts the task's lifetime plus the margin", () => {
    const url = new URL(signedMediaUrl({ baseUrl: "https://studio.example.com/", secret: SECRET, key: KEY, lifetimeSec: 172_800, now: NOW }));
    expect(url.pathname).toBe("/api/media/refs/0f0e.mp4");
    const sig = url.searchParams.get("sig")!;
    expect(Number(sig.split(".")[0])).toBe(NOW / 1000 + 172_800 + MEDIA_URL_MARGIN_SEC);
    expect(checkMediaSignature(SECRET, KEY, sig, NOW + 172_800_000)).toBe("valid");
  });
});

// -------------------------------------------------------------------------------------------
// The route, in-process, with STUDIO_PASSWORD on and no session

const state: { pipeline: TestPipeline | null } = { pipeline: null };
vi.mock("@/lib/app/context", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/app/context")>()),
  appContext: async () => state.pipeline!.ctx,
}));
vi.mock("next/server", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/server")>()), connection: async () => {} }));

const media = await import("@/app/api/media/[...key]/route");
let database: TestDatabase;
const BYTES = Buffer.from("reference video bytes");

function get(parts: string[], sig?: string | null) {
  const query = sig === undefined ? "" : `?sig=${encodeURIComponent(sig ?? "")}`;
  return media.GET(new Request(`http://studio.test/api/media/${parts.join("/")}${query}`) as never, { params: Promise.resolve({ key: parts }) } as never);
}

describe("the media route's signed access", () => {
  beforeAll(async () => {
    process.env.LOG_LEVEL = "silent";
    process.env.STUDIO_PASSWORD = "correct horse battery staple";
    resetEnvForTests();
    database = await openTestDatabase();
    state.pipeline = await createTestPipeline({ db: database.db, upstream: { baseUrl: "http://127.0.0.1:9", token: "sk-unused" }, trustedMediaOrigins: [], callbacks: false });
    await state.pipeline.ctx.storage.put(KEY, BYTES);
    await state.pipeline.ctx.storage.put("refs/other.mp4", Buffer.from("another object"));
  });
  afterAll(async () => {
    await state.pipeline?.close();
    await database?.close();
    await removeTempDirs();
    delete process.env.STUDIO_PASSWORD;
    resetEnvForTests();
  });

  const sigFor = (key: string, lifetimeSec = 3600) =>
    new URL(signedMediaUrl({ baseUrl: "http://studio.test", secret: state.pipeline!.ctx.config.callbackSecret, key, lifetimeSec })).searchParams.get("sig")!;

  test("a valid signature opens its object without a session", async () => {
    const response = await get(KEY.split("/"), sigFor(KEY));
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(BYTES)).toBe(true);
  });
  test("without a signature the gate asks for a session", async () => {
    expect((await get(KEY.split("/"))).status).toBe(401);
  });
  test("a tampered, foreign or expired signature is a 403", async () => {
    const sig = sigFor(KEY);
    const tampered = await get(KEY.split("/"), `${sig.slice(0, -2)}xx`);
    expect(tampered.status).toBe(403);
    expect(((await tampered.json()) as { error: { code: string } }).error.code).toBe("media_link_invalid");
    expect((await get(["refs", "other.mp4"], sig)).status).toBe(403);
    const expired = mediaSignature(state.pipeline!.ctx.config.callbackSecret, KEY, Math.floor(Date.now() / 1000) - 5);
    const answer = await get(KEY.split("/"), expired);
    expect(answer.status).toBe(403);
    expect(await answer.json()).toMatchObject({ error: { code: "media_link_expired", message: expect.stringMatching(/expired/) } });
  });
  test("the proxy lets a signed media link through to the route (which checks it) and stops an unsigned one", async () => {
    const { NextRequest } = await import("next/server");
    const { proxy } = await import("@/proxy");
    const signed = proxy(new NextRequest(`http://studio.test/api/media/${KEY}?sig=${sigFor(KEY)}`));
    expect(signed.headers.get("x-middleware-next")).toBe("1");
    expect(proxy(new NextRequest(`http://studio.test/api/media/${KEY}`)).status).toBe(401);
    // Only media: a sig on another API path opens nothing.
    expect(proxy(new NextRequest("http://studio.test/api/generations/g_x?sig=1.x")).status).toBe(401);
  });

  test("a traversal in the path names no file", async () => {
    expect((await get(["refs", "..", "clips", "x", "video.mp4"], sigFor("refs/../clips/x/video.mp4"))).status).toBe(404);
  });
});
