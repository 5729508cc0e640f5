/**
 * An Idempotency-Key names one request. Sent again with the same request (a retry after a lost
 * answer), it returns the first clip and creates nothing; sent with a different request, it is a
 * 422 that says so, instead of silently answering with a clip the caller did not ask for.
 * "The same request" is the same spec once parsed: key order, inline flags and the base64
 * wrapping of an image do not matter; the image's bytes do.
 */
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { createTestPipeline, openTestDatabase, removeTempDirs, type TestDatabase, type TestPipeline } from "./support/pipeline";

const state: { pipeline: TestPipeline | null } = { pipeline: null };

vi.mock("@/lib/app/context", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/app/context")>()),
  appContext: async () => state.pipeline!.ctx,
}));
vi.mock("@/lib/http/gate", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/http/gate")>()),
  requireActionSession: async () => ({ ip: "198.51.100.7" }),
  requestClient: async () => ({ ip: "198.51.100.7" }),
}));

const { POST } = await import("@/app/api/generations/route");
const { createGenerationAction } = await import("@/app/(studio)/actions");

let database: TestDatabase;
const MODEL = "doubao-seedance-1-0-pro-fast-251015";
const image = (name: string) => fs.readFileSync(path.join("tests/fixtures", name)).toString("base64");
const FIRST = image("first-frame.png");
const OTHER = image("last-frame.jpg");

const post = (body: unknown, key = "retry-key-0001") =>
  POST(new NextRequest("http://studio.test/api/generations", { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", "idempotency-key": key } }));
const wire = (over: Record<string, unknown> = {}, content: unknown[] = [{ type: "text", text: "a fox in the snow" }]) => ({ model: MODEL, resolution: "480p", duration: 5, content, ...over });
const withImage = (base64: string, text = "a fox in the snow") => [{ type: "text", text }, { type: "image_url", image_url: { url: `data:image/png;base64,${base64}` }, role: "first_frame" }];

async function rowCount(): Promise<number> {
  const result = (await state.pipeline!.ctx.db.execute(sql.raw("select count(*)::int as n from generations"))) as unknown as { rows: { n: number }[] };
  return Number(result.rows[0]!.n);
}

beforeAll(async () => {
  process.env.RATE_LIMIT_PER_MINUTE = "0";
  process.env.MAX_UNFINISHED_TASKS = "0";
  process.env.DAILY_CLIP_LIMIT = "0";
  process.env.LOG_LEVEL = "silent";
  resetEnvForTests();
  database = await openTestDatabase();
  // Nobody listens upstream: creates stay queued, which is all these tests need.
  state.pipeline = await createTestPipeline({ db: database.db, upstream: { baseUrl: "http://127.0.0.1:9", token: "sk-unused" }, trustedMediaOrigins: [], callbacks: false });
});

afterAll(async () => {
  await state.pipeline?.close();
  await database?.close();
  await removeTempDirs();
  resetEnvForTests();
});

beforeEach(async () => {
  await database.reset();
});

describe("the JSON API's Idempotency-Key", () => {
  it.each<[string, unknown]>([
    ["the same body", wire()],
    ["the same body, keys in another order", { content: [{ text: "a fox in the snow", type: "text" }], duration: 5, resolution: "480p", model: MODEL }],
    ["the same prompt with surrounding spaces (trimmed the same)", wire({}, [{ type: "text", text: "  a fox in the snow " }])],
  ])("%s returns the first clip, creating nothing", async (_name, again) => {
    const first = await post(wire());
    expect(first.status).toBe(201);
    const id = (await first.json()).id;
    const retry = await post(again);
    expect(retry.status).toBe(200);
    expect((await retry.json()).id).toBe(id);
    expect(await rowCount()).toBe(1);
  });

  it.each<[string, unknown, string?]>([
    ["another prompt", wire({}, [{ type: "text", text: "a whale in the sea" }])],
    ["another duration", wire({ duration: 6 })],
    ["a parameter added", wire({ seed: 42 })],
    ["another model", wire({ model: "doubao-seedance-1-0-pro-250528" })],
  ])("with %s is a 422 naming the key, creating nothing", async (_name, other) => {
    expect((await post(wire())).status).toBe(201);
    const response = await post(other);
    expect(response.status).toBe(422);
    const json = await response.json();
    expect(json.error.fieldErrors["Idempotency-Key"]?.[0]).toMatch(/already used for a different request/);
    expect(await rowCount()).toBe(1);
  });

  it("compares images by their bytes: the same image, wrapped differently, is the same request; another image is not", async () => {
    const first = await post(wire({}, withImage(FIRST)));
    expect(first.status).toBe(201);
    const wrapped = FIRST.replace(/(.{76})/g, "$1\n");
    const same = await post(wire({}, withImage(wrapped)));
    expect(same.status).toBe(200);
    expect((await same.json()).id).toBe((await first.json()).id);
    const other = await post(wire({}, [{ type: "text", text: "a fox in the snow" }, { type: "image_url", image_url: { url: `data:image/jpeg;base64,${OTHER}` }, role: "first_frame" }]));
    expect(other.status).toBe(422);
    const none = await post(wire());
    expect(none.status).toBe(422);
    expect(await rowCount()).toBe(1);
  });
});

describe("the form's action", () => {
  it("answers a reused key with another spec as a 422 kind, creating nothing", async () => {
    const spec = { model: MODEL, prompt: "a fox", resolution: "480p", duration: 5 } as const;
    const first = await createGenerationAction({ spec, idempotencyKey: "form-key-00001" } as Parameters<typeof createGenerationAction>[0]);
    expect(first.ok).toBe(true);
    const again = await createGenerationAction({ spec, idempotencyKey: "form-key-00001" } as Parameters<typeof createGenerationAction>[0]);
    expect(again.ok && first.ok && again.data.id === first.data.id).toBe(true);
    const other = await createGenerationAction({ spec: { ...spec, prompt: "a whale" }, idempotencyKey: "form-key-00001" } as Parameters<typeof createGenerationAction>[0]);
    expect(other.ok).toBe(false);
    if (!other.ok) expect(other.kind).toBe("unprocessable");
    expect(await rowCount()).toBe(1);
  });
});
