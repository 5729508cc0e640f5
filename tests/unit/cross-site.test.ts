/**
 * Cross-site writes to the JSON API. A web page elsewhere can make the owner's browser POST a
 * `text/plain` body (an HTML form with enctype="text/plain", or a "simple" fetch: no preflight)
 * with the studio's cookie, or with none when the gate is off. Such a request must create nothing.
 */
import { sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { insertGeneration } from "./support/seed";
import { startFakeUpstream, type FakeUpstream } from "./support/fake-upstream";
import { createTestPipeline, openTestDatabase, removeTempDirs, renderFixtureClip, tempDir, type TestDatabase, type TestPipeline } from "./support/pipeline";

const state: { pipeline: TestPipeline | null } = { pipeline: null };
vi.mock("@/lib/app/context", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/app/context")>()),
  appContext: async () => state.pipeline!.ctx,
  wakeExports: () => {},
}));

const { POST: postGeneration } = await import("@/app/api/generations/route");
const { POST: postStoryboard } = await import("@/app/api/storyboards/route");
const { PATCH: patchStoryboard } = await import("@/app/api/storyboards/[id]/route");
const { DELETE: deleteGeneration } = await import("@/app/api/generations/[id]/route");

const TOKEN = "sk-cross-site-test-1a2b3c";
const BODY = JSON.stringify({
  model: "doubao-seedance-1-0-pro-fast-251015",
  content: [{ type: "text", text: "A fox in snow" }],
  resolution: "480p",
  duration: 2,
});

let database: TestDatabase;
let fake: FakeUpstream;

beforeAll(async () => {
  process.env.DATA_DIR = tempDir("cross-site");
  process.env.RATE_LIMIT_PER_MINUTE = "0";
  resetEnvForTests();
  const clip = await renderFixtureClip();
  database = await openTestDatabase();
  fake = await startFakeUpstream({ token: TOKEN, clip: clip.video });
  state.pipeline = await createTestPipeline({ db: database.db, upstream: { baseUrl: fake.url, token: TOKEN }, trustedMediaOrigins: [fake.origin], callbacks: false });
});

beforeEach(async () => {
  await database.reset();
});

afterAll(async () => {
  await state.pipeline?.close();
  await fake?.close();
  await database?.close();
  delete process.env.DATA_DIR;
  delete process.env.RATE_LIMIT_PER_MINUTE;
  resetEnvForTests();
  await removeTempDirs();
});

const clips = async () =>
  Number(((await database.db.execute(sql.raw("select count(*)::int as n from generations"))) as unknown as { rows: { n: number }[] }).rows[0]!.n);

const create = (headers: Record<string, string>, body = BODY) =>
  postGeneration(new NextRequest("http://studio.test/api/generations", { method: "POST", body, headers: { host: "studio.test", ...headers } }));

describe("POST /api/generations", () => {
  test("a text/plain body (what an HTML form on any site can send) is refused with 415 and creates nothing", async () => {
    const response = await create({ "content-type": "text/plain" });
    expect(response.status).toBe(415);
    const body = (await response.json()) as { error: { code: string; fieldErrors: Record<string, string[]> } };
    // The coded error (so a browser can word it in Korean), with the header named as the field.
    expect(body.error.code).toBe("body_not_json_type");
    expect(body.error.fieldErrors["Content-Type"]?.[0]).toMatch(/application\/json/);
    expect(await clips()).toBe(0);
    expect(fake.count("create")).toBe(0);
  });

  test("a body with no Content-Type at all is refused too", async () => {
    const response = await postGeneration(new NextRequest("http://studio.test/api/generations", { method: "POST", body: new TextEncoder().encode(BODY) }));
    expect(response.status).toBe(415);
    expect(await clips()).toBe(0);
  });

  test.each([
    ["a foreign Origin", { origin: "https://evil.example", "content-type": "application/json" }],
    ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site", "content-type": "application/json" }],
    ["Sec-Fetch-Site: same-site (a sibling subdomain)", { "sec-fetch-site": "same-site", origin: "https://other.studio.test", "content-type": "application/json" }],
    ["an Origin of null (a sandboxed frame)", { origin: "null", "content-type": "application/json" }],
  ])("%s is refused with 403 and creates nothing", async (_name, headers) => {
    const response = await create(headers);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("cross_site");
    expect(await clips()).toBe(0);
    expect(fake.count("create")).toBe(0);
  });

  test("the studio's own page (same origin) and a script (no Origin) still create clips", async () => {
    const fromPage = await create({ origin: "http://studio.test", "sec-fetch-site": "same-origin", "content-type": "application/json" });
    expect(fromPage.status).toBe(201);
    const fromScript = await create({ "content-type": "application/json; charset=utf-8" });
    expect(fromScript.status).toBe(201);
    expect(await clips()).toBe(2);
  });
});

describe("storyboards and deletes", () => {
  test("a text/plain storyboard POST is refused; a cross-site PATCH and DELETE are refused", async () => {
    const { row: clip } = await insertGeneration({
      db: database.db,
      row: { id: "g_cross_site", model: "doubao-seedance-1-0-pro-250528", prompt: "A fox", request: { model: "doubao-seedance-1-0-pro-250528", prompt: "A fox" }, status: "succeeded" },
    });
    const made = await postStoryboard(
      new NextRequest("http://studio.test/api/storyboards", { method: "POST", body: JSON.stringify({ generationIds: [clip.id] }), headers: { "content-type": "text/plain" } }),
    );
    expect(made.status).toBe(415);
    const patched = await patchStoryboard(
      new NextRequest("http://studio.test/api/storyboards/sb_x", { method: "PATCH", body: "{}", headers: { "content-type": "application/json", origin: "https://evil.example" } }),
      { params: Promise.resolve({ id: "sb_x" }) },
    );
    expect(patched.status).toBe(403);
    const deleted = await deleteGeneration(new NextRequest(`http://studio.test/api/generations/${clip.id}`, { method: "DELETE", headers: { "sec-fetch-site": "cross-site" } }), {
      params: Promise.resolve({ id: clip.id }),
    });
    expect(deleted.status).toBe(403);
    expect(await clips()).toBe(1);
  });
});

describe("server actions", () => {
  test("a server action posted from another site gets a clear 403 from the proxy (Next itself would answer 500); the studio's own goes on", async () => {
    const { proxy } = await import("@/proxy");
    const action = (headers: Record<string, string>) =>
      proxy(new NextRequest("http://studio.test/", { method: "POST", body: "[]", headers: { host: "studio.test", "next-action": "abc123", "content-type": "text/plain;charset=UTF-8", ...headers } }));
    const foreign = action({ origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: { kind: "forbidden", code: "cross_site", message: expect.stringMatching(/other sites/) } });
    const own = action({ origin: "http://studio.test", "sec-fetch-site": "same-origin" });
    expect(own.headers.get("x-middleware-next")).toBe("1");
  });
});

describe("paths no route can serve", () => {
  test.each(["/v/%FF", "/g/%ED%A0%80", "/api/media/clips/%FF/video.mp4", "/api/shares/%C0%AF/0/video.mp4", "/api/generations/%00", "/api/simulator/%FF", "/api/simulator/files/%FF"])(
    "%s is a coded 400 from the proxy, before Next's decoder can answer 500",
    async (pathname) => {
      const { proxy, config } = await import("@/proxy");
      // The proxy only sees what its matcher lets in: the simulator's sub-paths must be among them.
      expect(new RegExp(`^${config.matcher[0]}$`).test(pathname)).toBe(true);
      const response = proxy(new NextRequest(`http://studio.test${pathname}`));
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { kind: "invalid", code: "path_invalid" } });
    },
  );

  test("the simulator's create, whose bodies carry base64 images, stays outside the proxy", async () => {
    const { config } = await import("@/proxy");
    expect(new RegExp(`^${config.matcher[0]}$`).test("/api/simulator/seedance/videos")).toBe(false);
  });

  test("an ordinary path with encoded Hangul goes on", async () => {
    const { proxy } = await import("@/proxy");
    const response = proxy(new NextRequest("http://studio.test/v/%ED%95%9C"));
    expect(response.status).not.toBe(400);
  });
});
