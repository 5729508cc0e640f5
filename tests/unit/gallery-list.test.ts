import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generations } from "@/lib/db/schema";
import { getOne, listPage } from "@/lib/generations/read";
import { setFavorite } from "@/lib/generations/favorite";
import { eq } from "drizzle-orm";
import type { AppContext } from "@/lib/context";
import { openTestDatabase, type TestDatabase } from "./support/pipeline";

// The gallery's cursor pages (infinite scroll) and filters, on the real schema and migrations.
let database: TestDatabase;
let ctx: AppContext;
const base = Date.UTC(2026, 10, 1);

beforeAll(async () => {
  database = await openTestDatabase();
  await database.reset();
  ctx = { db: database.db } as AppContext;
  const rows = Array.from({ length: 60 }, (_, i) => ({
    id: `g_list_${String(i).padStart(3, "0")}`,
    model: i % 3 === 0 ? "doubao-seedance-1-5-pro-251215" : "doubao-seedance-1-0-pro-250528",
    prompt: i % 5 === 0 ? `A 100% red balloon number ${i}` : `Clip number ${i}`,
    status: (i % 4 === 0 ? "failed" : "succeeded") as "failed" | "succeeded",
    request: { model: "doubao-seedance-1-0-pro-250528", prompt: `Clip ${i}` } as never,
    // Pairs share a timestamp so the id breaks ties.
    createdAt: new Date(base + Math.floor(i / 2) * 1000),
  }));
  await database.db.insert(generations).values(rows);
});

afterAll(async () => {
  await database.close();
});

describe("GET /api/generations pages", () => {
  test("walks every row once, newest first, across cursor pages", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await listPage(ctx, { limit: "24", cursor });
      seen.push(...result.items.map((g) => g.id));
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
    expect(seen[0]).toBe("g_list_059");
    expect(seen.at(-1)).toBe("g_list_000");
  });

  test.each([
    ["status", { status: "failed" }, 15],
    ["several statuses", { status: "failed,succeeded" }, 60],
    ["model", { model: "doubao-seedance-1-5-pro-251215" }, 20],
    ["prompt search, with % taken literally", { q: "100% red" }, 12],
    ["prompt words in any order, not one substring", { q: "balloon 100%" }, 12],
    ["a word and a model", { q: "balloon 1-5-pro" }, 4],
  ])("filters by %s", async (_name, query, expected) => {
    const result = await listPage(ctx, { limit: "100", ...query });
    expect(result.items).toHaveLength(expected);
  });

  test.each([
    ["a bad status", { status: "nope" }],
    ["a bad limit", { limit: "1000" }],
    ["a forged cursor", { cursor: "not-a-cursor" }],
  ])("refuses %s with a field error", async (_name, query) => {
    await expect(listPage(ctx, query)).rejects.toMatchObject({ kind: "invalid" });
  });
});

describe("search by seed, and favourites", () => {
  test("a number finds the clip made with that seed, exactly", async () => {
    await database.db.update(generations).set({ seedUsed: 424242 }).where(eq(generations.id, "g_list_007"));
    const exact = await listPage(ctx, { limit: "100", q: "424242" });
    expect(exact.items.map((g) => g.id)).toEqual(["g_list_007"]);
    expect((await listPage(ctx, { limit: "100", q: "4242" })).items).toHaveLength(0);
  });

  test("a starred clip is found by the favourites filter, and leaves it when unstarred", async () => {
    const starred = await setFavorite(ctx, { id: "g_list_011", favorite: true });
    expect(starred.favorite).toBe(true);
    expect((await listPage(ctx, { limit: "100", favorite: "1" })).items.map((g) => g.id)).toEqual(["g_list_011"]);
    await setFavorite(ctx, { id: "g_list_011", favorite: false });
    expect((await listPage(ctx, { limit: "100", favorite: "1" })).items).toHaveLength(0);
  });

  test("starring a clip that is gone is a not-found error", async () => {
    await expect(setFavorite(ctx, { id: "g_nope", favorite: true })).rejects.toMatchObject({ code: "generation_not_found" });
  });
});

describe("the hot lists' own row mapper", () => {
  test("gives every field exactly as drizzle's mapping of the same row does", async () => {
    // A row with every kind of column set: dates, JSON, numbers, booleans, nulls.
    const at = new Date(Date.UTC(2026, 11, 2, 23, 3, 30, 123));
    await database.db.insert(generations).values({
      id: "g_list_full",
      model: "doubao-seedance-1-5-pro-251215",
      prompt: "Every column",
      status: "succeeded",
      request: { model: "doubao-seedance-1-5-pro-251215", prompt: "Every column", ratio: "9:16", duration: 4, firstFrame: "media:inputs/abc.png" } as never,
      createdAt: new Date(Date.UTC(2027, 0, 1)),
      updatedAt: at,
      submittedAt: at,
      succeededAt: new Date(at.getTime() + 61_000),
      videoKey: "clips/g_list_full/video.mp4",
      videoBytes: 2_400_000,
      width: 720,
      height: 1280,
      durationSec: 4.04,
      hasAudio: true,
      usage: { completionTokens: 108_000, totalTokens: 108_000 },
      errorParams: { seconds: 3 },
      favorite: true,
    });
    try {
      const [first] = (await listPage(ctx, { limit: "1" })).items;
      const viaDrizzle = await getOne(ctx, "g_list_full");
      expect(first).toEqual(viaDrizzle);
      expect(first).toMatchObject({ createdAt: "2027-01-01T00:00:00.000Z", updatedAt: at.toISOString(), duration: 4.04, hasAudio: true, favorite: true, request: { firstFrame: "/api/media/inputs/abc.png" } });
      expect(first!.timestamps).toEqual({ submittedAt: at.toISOString(), succeededAt: "2026-12-02T23:04:31.123Z" });
    } finally {
      await database.db.delete(generations).where(eq(generations.id, "g_list_full"));
    }
  });
});
