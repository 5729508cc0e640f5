/**
 * Property-based: random and adversarial bodies thrown at the three ways in from outside
 * (POST /api/generations, the studio's server action, the upstream callback). Never a 500,
 * always a 4xx with field paths (or, for a valid body, a created clip), and nothing written to
 * the database or disk for a rejected request.
 */
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { insertGeneration } from "./support/seed";
import { resetEnvForTests } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { callbackSignature } from "@/lib/jobs/callback-url";
import { CALLBACK_MAX_BYTES, handleSeedanceCallback } from "@/lib/jobs/callback";
import { runFfmpeg } from "@/lib/media/ffmpeg";
import { MODEL_IDS } from "@/lib/seedance/models";
import { createTestPipeline, openTestDatabase, removeTempDirs, tempDir, type TestDatabase, type TestPipeline } from "./support/pipeline";

const state: { pipeline: TestPipeline | null } = { pipeline: null };

vi.mock("@/lib/app/context", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/app/context")>()),
  appContext: async () => state.pipeline!.ctx,
}));
// Outside a request there are no cookies(): the gate is tested in the browser suite.
vi.mock("@/lib/http/gate", () => ({
  requireActionSession: async () => ({ ip: "198.51.100.7" }),
  requestClient: async () => ({ ip: "198.51.100.7" }),
}));

const { GET: listGenerationsRoute, POST: postGeneration } = await import("@/app/api/generations/route");
const { POST: postCallback } = await import("@/app/api/callbacks/seedance/[id]/route");
const { createGenerationAction } = await import("@/app/(studio)/actions");

let database: TestDatabase;

async function snapshot() {
  const db = state.pipeline!.ctx.db;
  const count = async (table: string) => Number(((await db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as { rows: { n: number }[] }).rows[0]!.n);
  const files: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(state.pipeline!.storageDir);
  return {
    generations: await count("generations"),
    events: await count("generation_events"),
    shares: await count("shares"),
    files: files.sort(),
    // The latest change to any row (a rejected callback must not touch one).
    touched: String(((await db.execute(sql.raw("select coalesce(max(updated_at)::text, '') as t from generations"))) as unknown as { rows: { t: string }[] }).rows[0]!.t),
  };
}

const png = (name: string) => `data:image/png;base64,${fs.readFileSync(path.join("tests/fixtures", name)).toString("base64")}`;
const TOO_SMALL = png("too-small.png");
const CORRUPT_PNG = `data:image/png;base64,${Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]).toString("base64")}`;

/** Strings an attacker likes: injections, traversal, huge, unicode edge cases, lookalikes. */
const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "../../../etc/passwd",
    "media:inputs/../../secret.png",
    "<script>alert(1)</script>",
    "'; drop table generations; --",
    "__proto__",
    "constructor",
    "http://169.254.169.254/latest/meta-data/",
    "https://user:pw@example.com/a.png",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "data:text/html;base64,PHNjcmlwdD4=",
    "data:image/svg+xml;base64,PHN2Zz4=",
    "data:image/png;base64,!!!!",
    "data:image/png;base64,",
    TOO_SMALL,
    CORRUPT_PNG,
    "x".repeat(1001),
    "\u202e\u200b",
  ),
);
const nastyNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-1, 0, 2, 12, 13, 29, 289, 290, 3600, 1e309, Number.NaN, -0, 4_294_967_296));
const anyValue = fc.oneof(nasty, nastyNumber, fc.boolean(), fc.constant(null), fc.anything({ maxDepth: 2 }));

const contentItem = fc.oneof(
  fc.record({ type: fc.constant("text"), text: fc.oneof(nasty, anyValue) }, { requiredKeys: [] }),
  fc.record(
    {
      type: fc.constant("image_url"),
      image_url: fc.oneof(fc.record({ url: fc.oneof(nasty, anyValue) }), anyValue),
      role: fc.oneof(fc.constantFrom("first_frame", "last_frame", "middle"), anyValue),
    },
    { requiredKeys: ["type"] },
  ),
  anyValue,
);

/** Wire bodies near the valid shape, with every field liable to be wrong or hostile. */
const wireBody = fc.record(
  {
    model: fc.oneof(fc.constantFrom(...MODEL_IDS), nasty),
    content: fc.oneof(fc.array(contentItem, { maxLength: 5 }), anyValue),
    resolution: fc.oneof(fc.constantFrom("480p", "720p", "1080p", "4k"), anyValue),
    ratio: fc.oneof(fc.constantFrom("16:9", "adaptive", "2:1"), anyValue),
    duration: fc.oneof(nastyNumber, anyValue),
    frames: nastyNumber,
    seed: nastyNumber,
    camerafixed: anyValue,
    watermark: anyValue,
    generate_audio: anyValue,
    service_tier: fc.oneof(fc.constantFrom("default", "flex", "turbo"), anyValue),
    return_last_frame: anyValue,
    execution_expires_after: nastyNumber,
    callback_url: nasty,
    async: anyValue,
    __proto__: anyValue,
  },
  { requiredKeys: [] },
);

/** Specs (the form's shape) near the valid one. */
const specBody = fc.record(
  {
    model: fc.oneof(fc.constantFrom(...MODEL_IDS), nasty),
    prompt: fc.oneof(nasty, anyValue, fc.constant("A fox [sim:500] --resolution 9000p --seed -5 --dur 99")),
    firstFrame: fc.oneof(nasty, anyValue),
    lastFrame: fc.oneof(nasty, anyValue),
    resolution: anyValue,
    duration: nastyNumber,
    seed: nastyNumber,
    fps: nastyNumber,
    extra: anyValue,
  },
  { requiredKeys: [] },
);

function assertFieldPaths(fieldErrors: unknown) {
  expect(fieldErrors).toBeTypeOf("object");
  const entries = Object.entries(fieldErrors as Record<string, unknown>);
  expect(entries.length).toBeGreaterThan(0);
  for (const [key, messages] of entries) {
    expect(key.length).toBeGreaterThan(0);
    // English in JSON answers; coded (rendered by the form in the creator's language) in action results.
    const said = (m: unknown) => (typeof m === "string" ? m.length > 0 : typeof (m as { code?: unknown })?.code === "string");
    expect(Array.isArray(messages) && messages.every(said)).toBe(true);
  }
}

beforeAll(async () => {
  process.env.RATE_LIMIT_PER_MINUTE = "0";
  process.env.MAX_UNFINISHED_TASKS = "0";
  process.env.DAILY_CLIP_LIMIT = "0";
  process.env.LOG_LEVEL = "silent";
  resetEnvForTests();
  database = await openTestDatabase();
  // An upstream nobody listens on: a rejected request must never get that far.
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

describe("POST /api/generations", () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    postGeneration(new NextRequest("http://studio.test/api/generations", { method: "POST", body, headers: { "content-type": "application/json", ...headers } }));

  it("answers hostile wire bodies with 4xx and field paths, writing nothing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(wireBody, anyValue), async (body) => {
        const before = await snapshot();
        const response = await post(JSON.stringify(body) ?? "null");
        expect(response.status).not.toBe(500);
        if (response.status >= 400) {
          expect(response.status).toBeLessThan(500);
          const json = await response.json();
          expect(json.error.kind).toMatch(/invalid|too_large/);
          assertFieldPaths(json.error.fieldErrors);
          expect(await snapshot()).toEqual(before);
        } else {
          expect([200, 201]).toContain(response.status);
        }
      }),
      { numRuns: 250 },
    );
  });

  it("answers raw garbage (not JSON, truncated, huge, bad keys) with 4xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.constantFrom("{", '{"model":', "[1,2", "\u0000", '{"__proto__":{"polluted":1}}', "null", "1e999")),
        fc.option(fc.string({ maxLength: 200 }), { nil: undefined }),
        async (raw, key) => {
          const before = await snapshot();
          const response = await post(raw, key === undefined ? {} : { "idempotency-key": key.replace(/[^\x20-\x7e]/g, "") });
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          assertFieldPaths((await response.json()).error.fieldErrors);
          expect(await snapshot()).toEqual(before);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        },
      ),
      { numRuns: 150 },
    );
  });

  it("refuses bodies over the cap with 413 before reading them whole", async () => {
    const big = JSON.stringify({ model: MODEL_IDS[0], content: [{ type: "text", text: "x".repeat(46 * 1024 * 1024) }] });
    const response = await post(big);
    expect(response.status).toBe(413);
    assertFieldPaths((await response.json()).error.fieldErrors);
    const declared = await post("{}", { "content-length": String(100 * 1024 * 1024) });
    expect(declared.status).toBe(413);
  });

  it("names the limit that failed: prompt length, image count, image bytes and pixels, https only", async () => {
    const base = { model: "doubao-seedance-1-0-pro-fast-251015", resolution: "480p", duration: 5 };
    const cases: [unknown, number, string][] = [
      [{ ...base, content: [{ type: "text", text: "x".repeat(1001) }] }, 400, "content.0.text"],
      [{ ...base, content: [{ type: "text", text: "a" }, ...Array(3).fill({ type: "image_url", image_url: { url: "https://example.com/a.png" } })] }, 400, "content.2.role"],
      [{ ...base, content: [{ type: "text", text: "a" }, { type: "image_url", image_url: { url: "http://example.com/a.png" } }] }, 400, "content.1.image_url.url"],
      [{ ...base, content: [{ type: "text", text: "a" }, { type: "image_url", image_url: { url: `data:image/png;base64,${"A".repeat(41 * 1024 * 1024)}` } }] }, 400, "content.1.image_url.url"],
      [{ ...base, content: [{ type: "text", text: "a" }, { type: "image_url", image_url: { url: TOO_SMALL } }] }, 400, "firstFrame"],
      [{ ...base, content: [{ type: "text", text: "a" }, { type: "image_url", image_url: { url: CORRUPT_PNG } }] }, 400, "firstFrame"],
    ];
    for (const [body, status, field] of cases) {
      const before = await snapshot();
      const response = await post(JSON.stringify(body));
      const json = await response.json();
      expect(response.status, field).toBe(status);
      expect(Object.keys(json.error.fieldErrors), field).toContain(field);
      expect(await snapshot()).toEqual(before);
    }
  });
});

describe("the studio's server action", () => {
  it("returns a 4xx kind with field paths for hostile input, writing nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ spec: fc.oneof(specBody, anyValue), idempotencyKey: fc.oneof(fc.uuid(), nasty, anyValue), parentId: fc.oneof(nasty, anyValue) }, { requiredKeys: [] }),
          anyValue,
        ),
        async (input) => {
          const before = await snapshot();
          const result = await createGenerationAction(input as Parameters<typeof createGenerationAction>[0]);
          if (!result.ok) {
            expect(result.kind).not.toBe("internal");
            // The status the JSON API would answer for the same kind.
            const { httpStatus: status } = new AppError(result.code, result.params as never);
            expect(status).toBeGreaterThanOrEqual(400);
            expect(status).toBeLessThan(500);
            assertFieldPaths(result.fieldErrors);
            expect(await snapshot()).toEqual(before);
          }
        },
      ),
      { numRuns: 250 },
    );
  });
});

describe("the upstream callback", () => {
  it("never fails, never changes anything for a bad signature or a body that does not match", async () => {
    const { ctx } = state.pipeline!;
    await insertGeneration({
      db: ctx.db,
      row: { id: "g_target", model: MODEL_IDS[0], prompt: "p", request: { model: MODEL_IDS[0], prompt: "p" }, status: "submitted", upstreamTaskId: "task-1" },
    });
    const goodSig = callbackSignature(ctx.config.callbackSecret, "g_target", Math.floor(Date.now() / 1000) + 3600);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constant("g_target"), nasty),
        fc.oneof(fc.constant(goodSig), nasty, fc.constant(null)),
        fc.oneof(
          fc.json(),
          nasty,
          fc.record({ success: anyValue, task_id: fc.oneof(fc.constant("task-2"), nasty), data: anyValue, video_url: nasty }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
        ),
        async (id, signature, rawBody) => {
          const before = await snapshot();
          // Taken (200/202), or refused with a coded error: anything else thrown is a bug.
          const status = await handleSeedanceCallback(ctx, { id, signature, rawBody }).then(
            (taken) => taken.status as number,
            (error: unknown) => {
              if (!(error instanceof AppError)) throw error;
              return error.httpStatus;
            },
          );
          expect(status).toBeLessThan(500);
          if (status >= 400) expect(await snapshot()).toEqual(before);
          if (signature !== goodSig || id !== "g_target") expect(status).toBe(401);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("the route caps the body (413) and answers garbage with 4xx", async () => {
    const call = (id: string, body: string, sig = "x") =>
      postCallback(new Request(`http://studio.test/api/callbacks/seedance/${encodeURIComponent(id)}?sig=${encodeURIComponent(sig)}`, { method: "POST", body }), {
        params: Promise.resolve({ id }),
      });
    expect((await call("g_x", "x".repeat(CALLBACK_MAX_BYTES + 1))).status).toBe(413);
    await fc.assert(
      fc.asyncProperty(nasty, fc.string(), nasty, async (id, body, sig) => {
        const response = await call(id, body, sig);
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 100 },
    );
  });
});

/** Text PostgreSQL cannot store (NUL) or UTF-8 cannot encode (half of a surrogate pair). */
const UNSTORABLE: [string, string][] = [
  ["a NUL", "a fox\u0000 in the snow"],
  ["a lone high surrogate", "a fox \ud83d in the snow"],
  ["a lone low surrogate", "a fox \ude00 in the snow"],
  ["a reversed pair", "a fox \ude00\ud83d in the snow"],
];

describe("text that cannot be stored", () => {
  const base = { model: "doubao-seedance-1-0-pro-fast-251015", resolution: "480p", duration: 5 };

  it.each(UNSTORABLE)("a prompt with %s is a 400 on the prompt's path from the API, writing nothing", async (_name, text) => {
    const before = await snapshot();
    const response = await postGeneration(
      new NextRequest("http://studio.test/api/generations", { method: "POST", body: JSON.stringify({ ...base, content: [{ type: "text", text }] }), headers: { "content-type": "application/json" } }),
    );
    expect(response.status).toBe(400);
    const json = await response.json();
    expect(json.error.fieldErrors["content.0.text"]?.[0]).toMatch(/cannot be sent/);
    expect(await snapshot()).toEqual(before);
  });

  it.each(UNSTORABLE)("a prompt with %s is a field error on prompt from the form's action, writing nothing", async (_name, text) => {
    const before = await snapshot();
    const result = await createGenerationAction({ spec: { model: base.model, prompt: text, resolution: "480p", duration: 5 }, idempotencyKey: "key-unstorable-1" } as Parameters<typeof createGenerationAction>[0]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.kind).toBe("invalid");
    expect(result.fieldErrors?.prompt?.[0]).toMatchObject({ code: "prompt_unstorable" });
    expect(await snapshot()).toEqual(before);
  });

  const list = (query: string) => listGenerationsRoute(new NextRequest(`http://studio.test/api/generations?${query}`));
  const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

  it.each([
    ["a NUL in the search", `q=${encodeURIComponent("fox\u0000")}`, "q"],
    ["a cursor whose id holds a NUL", `cursor=${cursorOf(["2026-01-01T00:00:00.000Z", "g_\u0000"])}`, "cursor"],
    ["a cursor whose id holds a lone surrogate", `cursor=${cursorOf(["2026-01-01T00:00:00.000Z", "g_\ud800"])}`, "cursor"],
    ["a cursor whose id is not a string", `cursor=${cursorOf(["2026-01-01T00:00:00.000Z", 42])}`, "cursor"],
    ["a cursor that is not base64url JSON", `cursor=${encodeURIComponent("\u0000")}`, "cursor"],
  ])("the list answers %s with a 400 on %s", async (_name, query, field) => {
    const response = await list(query);
    expect(response.status).toBe(400);
    expect(Object.keys((await response.json()).error.fieldErrors)).toContain(field);
  });

  it("the list still finds clips by an ordinary search and pages with its own cursors", async () => {
    const { ctx } = state.pipeline!;
    for (const [id, prompt, at] of [["g_a", "a red fox", "2026-01-01T00:00:01Z"], ["g_b", "a red fox again", "2026-01-01T00:00:02Z"], ["g_c", "a blue whale", "2026-01-01T00:00:03Z"]] as const) {
      await insertGeneration({ db: ctx.db, row: { id, model: MODEL_IDS[0], prompt, request: { model: MODEL_IDS[0], prompt }, status: "queued", createdAt: new Date(at) } });
    }
    const first = await (await list("q=fox&limit=1")).json();
    expect(first.items.map((g: { id: string }) => g.id)).toEqual(["g_b"]);
    const second = await (await list(`q=fox&limit=1&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((g: { id: string }) => g.id)).toEqual(["g_a"]);
  });
});

describe("images whose header promises more than the file holds", () => {
  /** A test pattern at `size`, encoded as `ext`, cut to `keep` of its bytes. */
  async function truncated(size: string, ext: "png" | "jpg" | "webp", keep: number): Promise<string> {
    const file = path.join(tempDir("truncated"), `pattern.${ext}`);
    await runFfmpeg(["-f", "lavfi", "-i", `testsrc=size=${size}`, "-frames:v", "1", "-update", "1", "-y", file]);
    const bytes = fs.readFileSync(file);
    const mime = ext === "jpg" ? "image/jpeg" : `image/${ext}`;
    return `data:${mime};base64,${bytes.subarray(0, Math.floor(bytes.length * keep)).toString("base64")}`;
  }

  it.each([
    ["a 6000×6000 PNG cut in half", "6000x6000", "png", 0.5],
    ["a 6000×6000 JPEG cut in half", "6000x6000", "jpg", 0.5],
    ["a 1280×720 JPEG missing its last 5%", "1280x720", "jpg", 0.95],
  ] as const)("%s is refused on its field, writing nothing", async (_name, size, ext, keep) => {
    const url = await truncated(size, ext, keep);
    const before = await snapshot();
    const body = { model: "doubao-seedance-1-0-pro-fast-251015", resolution: "480p", duration: 5, content: [{ type: "text", text: "a fox" }, { type: "image_url", image_url: { url }, role: "first_frame" }] };
    const response = await postGeneration(new NextRequest("http://studio.test/api/generations", { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } }));
    expect(response.status).toBe(400);
    expect((await response.json()).error.fieldErrors.firstFrame?.[0]).toMatch(/could not be read/);
    expect(await snapshot()).toEqual(before);
  });

  it("the same images whole are accepted", async () => {
    for (const [size, ext] of [["6000x6000", "png"], ["1280x720", "jpg"]] as const) {
      const url = await truncated(size, ext, 1);
      const body = { model: "doubao-seedance-1-0-pro-fast-251015", resolution: "480p", duration: 5, content: [{ type: "text", text: "a fox" }, { type: "image_url", image_url: { url }, role: "first_frame" }] };
      const response = await postGeneration(new NextRequest("http://studio.test/api/generations", { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } }));
      expect([200, 201], `${size} ${ext}`).toContain(response.status);
    }
  });
});
