/**
 * Storyboards on the same rails as clips: every export step is a `storyboard` event on the one
 * event stream (logged for Last-Event-ID, broadcast to the bus), through one status gate; and a
 * deleted storyboard leaves no film files in storage.
 */
import { eq } from "drizzle-orm";
import { createTranslator } from "next-intl";
import { renderError, type ErrorTranslator } from "@/lib/errors/render";
import ko from "@/lib/i18n/messages/ko.json";
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { generationEvents, generations, storyboards } from "@/lib/db/schema";
import type { StoryboardDto } from "@/lib/dto/storyboard";
import type { StoryboardEvent } from "@/lib/jobs/events";
import { runStoryboardExports, sweepExportLeftovers } from "@/lib/storyboards/export";
import { filmKeys } from "@/lib/storage/keys";

const filmKey = (id: string) => filmKeys(id).film;
const filmPosterKey = (id: string) => filmKeys(id).poster;
import { createStoryboard, deleteStoryboard, getStoryboard, requestExport } from "@/lib/storyboards/service";
import { insertGeneration } from "./support/seed";
import { createTestPipeline, openTestDatabase, removeTempDirs, type TestDatabase, type TestPipeline } from "./support/pipeline";

const state: { pipeline: TestPipeline | null } = { pipeline: null };
// The route runs outside Next's request scope here: `connection()` has nothing to wait for.
vi.mock("next/server", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/server")>()), connection: async () => undefined }));
vi.mock("@/lib/app/context", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/app/context")>()),
  appContext: async () => state.pipeline!.ctx,
  wakeExports: () => {},
}));
const { GET: eventStream } = await import("@/app/api/generations/events/route");

let database: TestDatabase;
let pipeline: TestPipeline;
const seen: StoryboardEvent[] = [];

beforeAll(async () => {
  database = await openTestDatabase();
  pipeline = await createTestPipeline({ db: database.db, upstream: { baseUrl: "http://127.0.0.1:9", token: "unused" }, trustedMediaOrigins: [], callbacks: false });
  state.pipeline = pipeline;
  pipeline.ctx.bus.subscribeStoryboards((event) => seen.push(event));
});

beforeEach(async () => {
  await database.reset();
  await database.db.delete(storyboards);
  seen.length = 0;
});

afterAll(async () => {
  await pipeline?.close();
  await database?.close();
  await removeTempDirs();
});

/** A finished clip row (its file is never read by these tests). */
async function finishedClip(id: string) {
  await insertGeneration({
    db: database.db,
    row: { id, status: "succeeded", model: "doubao-seedance-1-0-pro-250528", prompt: `clip ${id}`, request: { model: "doubao-seedance-1-0-pro-250528", prompt: `clip ${id}` } as never, videoKey: `clips/${id}/video.mp4`, durationSec: 2 },
  });
}

/** A storyboard whose film is stored, as an export leaves it. */
async function exportedStoryboard(clipId: string) {
  await finishedClip(clipId);
  const board = await createStoryboard(pipeline.ctx, { generationIds: [clipId] });
  await pipeline.ctx.storage.put(filmKey(board.id), Buffer.from("film bytes"));
  await pipeline.ctx.storage.put(filmPosterKey(board.id), Buffer.from("poster bytes"));
  await database.db
    .update(storyboards)
    .set({ exportStatus: "succeeded", filmKey: filmKey(board.id), filmPosterKey: filmPosterKey(board.id), exportFinishedAt: new Date() })
    .where(eq(storyboards.id, board.id));
  return board;
}

/** Reads an SSE response until `done` says it has what it needs; returns the events read. */
async function readEvents(response: Response, done: (events: { id: number; type: string; data: unknown }[]) => boolean) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: { id: number; type: string; data: unknown }[] = [];
  let text = "";
  const deadline = Date.now() + 5000;
  while (!done(events)) {
    if (Date.now() > deadline) throw new Error(`stream ended early: ${JSON.stringify(events)}`);
    const { value, done: ended } = await reader.read();
    if (ended) break;
    text += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = text.indexOf("\n\n")) >= 0) {
      const block = text.slice(0, cut);
      text = text.slice(cut + 2);
      const field = (name: string) => block.split("\n").find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2);
      if (field("event")) events.push({ id: Number(field("id")), type: field("event")!, data: JSON.parse(field("data")!) });
    }
  }
  await reader.cancel();
  return events;
}

describe("deleting a storyboard", () => {
  test("removes its film and poster from storage, and nothing of another storyboard", async () => {
    const gone = await exportedStoryboard("gen_del_a");
    const kept = await exportedStoryboard("gen_del_b");
    expect((await pipeline.ctx.storage.list(`films/${gone.id}/`)).map((o) => o.key).sort()).toEqual([filmKey(gone.id), filmPosterKey(gone.id)]);

    await deleteStoryboard(pipeline.ctx, { id: gone.id });

    expect(await pipeline.ctx.storage.list(`films/${gone.id}/`)).toEqual([]);
    expect(await pipeline.ctx.storage.stat(filmKey(gone.id))).toBeNull();
    const lookup = await getStoryboard(pipeline.ctx, { id: gone.id }).catch((error: unknown) => error);
    expect((lookup as { kind?: string }).kind).toBe("not_found");
    expect(await pipeline.ctx.storage.stat(filmKey(kept.id))).not.toBeNull();
    expect(await pipeline.ctx.storage.stat(filmPosterKey(kept.id))).not.toBeNull();
  });

  test("film files of a storyboard that no longer exists are removed by the export loop's sweep", async () => {
    const kept = await exportedStoryboard("gen_sweep_a");
    // A delete that crashed between the row and its files.
    await pipeline.ctx.storage.put(filmKey("sb_orphan"), Buffer.from("film bytes"));

    await sweepExportLeftovers(pipeline.ctx);

    expect(await pipeline.ctx.storage.list("films/sb_orphan/")).toEqual([]);
    expect(await pipeline.ctx.storage.stat(filmKey(kept.id))).not.toBeNull();
  });
});

describe("export status changes are storyboard events on the one stream", () => {
  test("each step of an export is broadcast and logged in order, newer states with later updatedAt", async () => {
    await finishedClip("gen_ev_a");
    const board = await createStoryboard(pipeline.ctx, { generationIds: ["gen_ev_a"] });
    const queued = await requestExport(pipeline.ctx, { id: board.id });
    expect(queued.export.status).toBe("queued");
    // The clip goes away before the loop takes the export: it fails, with a reason a creator can act on.
    await database.db.delete(generations).where(eq(generations.id, "gen_ev_a"));
    expect(await runStoryboardExports(pipeline.ctx)).toBe(1);

    const mine = seen.filter((e) => e.storyboard.id === board.id);
    expect(mine.map((e) => e.storyboard.export.status)).toEqual(["queued", "running", "failed"]);
    // Coded, so the panel words it in the creator's language (the Korean catalogue's entry here).
    const failure = mine.at(-1)!.storyboard.export.error!;
    expect(failure.message).toBe("A clip of this storyboard is missing or not finished.");
    const korean = renderError(createTranslator({ locale: "ko", messages: ko }) as unknown as ErrorTranslator, failure);
    expect(korean).toBe(ko.errors[failure.code as keyof typeof ko.errors]);
    expect(korean).toMatch(/[\uac00-\ud7a3]/);
    const stamps = mine.map((e) => e.storyboard.updatedAt);
    expect([...stamps].sort()).toEqual(stamps);
    expect(new Set(stamps).size).toBe(stamps.length);
    // The answer to "Export film" is the queued event's state: the newer events replace it.
    expect(mine[0]!.storyboard).toEqual(queued);

    // Logged in the one events table, so Last-Event-ID replays them beside clips' events.
    const logged = await database.db.select().from(generationEvents).where(eq(generationEvents.generationId, board.id)).orderBy(generationEvents.id);
    expect(logged.map((e) => e.id)).toEqual(mine.map((e) => e.eventId));
    expect(logged.map((e) => e.payload)).toEqual(mine.map((e) => ({ storyboard: e.storyboard })));
    // What the API answers now is the last event's state.
    expect(await getStoryboard(pipeline.ctx, { id: board.id })).toEqual(mine.at(-1)!.storyboard);
  });

  test("a second Export while one is queued changes nothing and sends no event", async () => {
    await finishedClip("gen_ev_b");
    const board = await createStoryboard(pipeline.ctx, { generationIds: ["gen_ev_b"] });
    const first = await requestExport(pipeline.ctx, { id: board.id });
    const again = await requestExport(pipeline.ctx, { id: board.id });
    expect(again).toEqual(first);
    expect(seen.filter((e) => e.storyboard.id === board.id)).toHaveLength(1);
  });

  test("the SSE stream sends storyboard events beside generation events and replays them after Last-Event-ID", async () => {
    await finishedClip("gen_ev_c");
    const board = await createStoryboard(pipeline.ctx, { generationIds: ["gen_ev_c"] });
    const [before] = await database.db.select().from(generationEvents).orderBy(generationEvents.id);
    const cursor = before?.id ?? 0;
    await requestExport(pipeline.ctx, { id: board.id });
    await database.db.delete(generations).where(eq(generations.id, "gen_ev_c"));
    await runStoryboardExports(pipeline.ctx);

    // A browser that was away since `cursor` gets what it missed, in order.
    const controller = new AbortController();
    const response = await eventStream(
      new Request(`http://studio.test/api/generations/events`, { headers: { "last-event-id": String(cursor) }, signal: controller.signal }) as never,
      { params: Promise.resolve({}) } as never,
    );
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = await readEvents(response, (got) => got.filter((e) => e.type === "storyboard").length >= 3);
    controller.abort();
    const replayed = events.filter((e) => e.type === "storyboard");
    expect(replayed.map((e) => (e.data as StoryboardDto).export.status)).toEqual(["queued", "running", "failed"]);
    expect(replayed.map((e) => e.id)).toEqual(seen.filter((e) => e.storyboard.id === board.id).map((e) => e.eventId));
  });
});
