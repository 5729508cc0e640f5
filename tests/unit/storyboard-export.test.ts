/**
 * Storyboards: a three-clip "Continue from last frame" chain (two landscape clips and one
 * portrait, only the middle one with sound) becomes a storyboard, is trimmed and exported
 * through the durable export job, and the film is checked with ffprobe.
 */
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generations, storyboards } from "@/lib/db/schema";
import { runFfmpeg } from "@/lib/media/ffmpeg";
import { probeMedia } from "@/lib/media/probe";
import { renderClip } from "@/lib/simulator/render";
import { runStoryboardExports, startExportLoop } from "@/lib/storyboards/export";
import { FILM_FPS } from "@/lib/storyboards/film";
import { createFilmShare, getActiveShare } from "@/lib/shares/service";
import { getStoryboard, requestExport, storyboardFromChain, updateStoryboard } from "@/lib/storyboards/service";
import { createTestPipeline, openTestDatabase, removeTempDirs, tempDir, waitFor, type TestDatabase, type TestPipeline } from "./support/pipeline";

const FRAME = 1 / FILM_FPS;
let database: TestDatabase;
let pipeline: TestPipeline;

const CLIPS = [
  { id: "gen_a", width: 864, height: 480, audio: false, parentId: null },
  { id: "gen_b", width: 864, height: 480, audio: true, parentId: "gen_a" },
  { id: "gen_c", width: 480, height: 864, audio: false, parentId: "gen_b" },
] as const;

beforeAll(async () => {
  database = await openTestDatabase();
  pipeline = await createTestPipeline({ db: database.db, upstream: { baseUrl: "http://127.0.0.1:9", token: "unused" }, trustedMediaOrigins: [], callbacks: false });
  const work = tempDir("story-clips");
  for (const [i, clip] of CLIPS.entries()) {
    const dir = path.join(work, clip.id);
    const { videoPath } = await renderClip({
      outDir: dir,
      width: clip.width,
      height: clip.height,
      durationSec: 2,
      prompt: `storyboard clip ${i}`,
      seed: 11 + i,
      cameraFixed: true,
      watermark: false,
      audio: clip.audio,
      lastFramePng: false,
    });
    const info = await probeMedia(videoPath);
    const key = `clips/${clip.id}/video.mp4`;
    const stored = await pipeline.ctx.storage.put(key, fs.createReadStream(videoPath));
    await database.db.insert(generations).values({
      id: clip.id,
      status: "succeeded",
      model: "doubao-seedance-1-0-pro-250528",
      prompt: `storyboard clip ${i}`,
      request: { model: "doubao-seedance-1-0-pro-250528", prompt: `storyboard clip ${i}` } as never,
      parentId: clip.parentId,
      videoKey: stored.key,
      videoBytes: stored.bytes,
      width: info.width,
      height: info.height,
      durationSec: info.durationSec,
      fps: info.fps,
      hasAudio: info.hasAudio,
      createdAt: new Date(Date.now() + i * 1000),
    });
  }
}, 180_000);

afterAll(async () => {
  await pipeline?.close();
  await database?.close();
  await removeTempDirs();
});

describe("storyboards", () => {
  it("makes one storyboard from a chain, whichever clip of it is asked", async () => {
    const fromMiddle = await storyboardFromChain(pipeline.ctx, { generationId: "gen_b" });
    expect(fromMiddle.items.map((i) => i.generationId)).toEqual(["gen_a", "gen_b", "gen_c"]);
    const fromLast = await storyboardFromChain(pipeline.ctx, { generationId: "gen_c" });
    expect(fromLast.id).toBe(fromMiddle.id);
  });

  it("exports the trimmed chain with hard cuts: sum of the parts, first clip's size, one audio stream", async () => {
    const board = await storyboardFromChain(pipeline.ctx, { generationId: "gen_a" });
    await updateStoryboard(pipeline.ctx, { id: board.id, input: {
      crossfadeSec: 0,
      items: [
        { generationId: "gen_a", trimStart: 0.5, trimEnd: 1.75 },
        { generationId: "gen_b", trimStart: 0.25, trimEnd: 1.5 },
        { generationId: "gen_c", trimStart: 0, trimEnd: 1 },
      ],
    } });
    await requestExport(pipeline.ctx, { id: board.id });
    // Through the job loop, as the app runs it.
    const loop = startExportLoop(pipeline.ctx, { idleMs: 50 });
    try {
      await waitFor(async () => (await getStoryboard(pipeline.ctx, { id: board.id })).export.status === "succeeded", { timeoutMs: 120_000, message: "export" });
    } finally {
      await loop.stop();
    }
    const done = await getStoryboard(pipeline.ctx, { id: board.id });
    const [row] = await database.db.select().from(storyboards).where(eq(storyboards.id, board.id));
    const info = await probeMedia(path.join(pipeline.storageDir, row!.filmKey!));
    console.log("hard-cut film", info);
    const expected = 1.25 + 1.25 + 1;
    expect(Math.abs(info.durationSec - expected)).toBeLessThanOrEqual(FRAME + 1e-6);
    expect([info.width, info.height]).toEqual([864, 480]);
    expect(info.hasAudio).toBe(true);
    expect(info.videoCodec).toBe("h264");
    expect(done.export.film?.width).toBe(864);
    expect(done.export.film?.hasAudio).toBe(true);
    expect(await pipeline.ctx.storage.stat(row!.filmPosterKey!)).not.toBeNull();
    // The portrait clip (the last part, from 2.5 s) is letterboxed: black bars left and right, the picture in the middle.
    const luma = async (crop: string) => {
      const { stdout } = await runFfmpeg(["-ss", "3.1", "-i", path.join(pipeline.storageDir, row!.filmKey!), "-frames:v", "1", "-vf", `${crop},scale=1:1`, "-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"]);
      return stdout.charCodeAt(0);
    };
    expect(await luma("crop=200:480:0:0")).toBeLessThan(30);
    expect(await luma("crop=200:480:664:0")).toBeLessThan(30);
    console.log("letterbox luma: left", await luma("crop=200:480:0:0"), "centre", await luma("crop=200:480:332:0"));
    // Shareable: a film share resolves to the film for the share pages and media route.
    const share = await createFilmShare(pipeline.ctx, { storyboardId: board.id });
    expect(share.path).toMatch(/^\/v\//);
    const found = await getActiveShare(pipeline.ctx, { id: share.id });
    expect(found?.rows[0]?.videoKey).toBe(row!.filmKey);
  }, 180_000);

  it("exports with crossfades (minus one fade per cut) and resumes an export a crashed instance left running", async () => {
    const board = await storyboardFromChain(pipeline.ctx, { generationId: "gen_a" });
    await updateStoryboard(pipeline.ctx, { id: board.id, input: { crossfadeSec: 0.5 } });
    await requestExport(pipeline.ctx, { id: board.id });
    // Another instance claimed it and died: its lease has run out.
    await database.db
      .update(storyboards)
      .set({ exportStatus: "running", leaseOwner: "dead-instance", leaseUntil: new Date(Date.now() - 1000), exportAttempts: 1 })
      .where(eq(storyboards.id, board.id));
    expect(await runStoryboardExports(pipeline.ctx)).toBe(1);
    const [row] = await database.db.select().from(storyboards).where(eq(storyboards.id, board.id));
    expect(row!.exportStatus).toBe("succeeded");
    const info = await probeMedia(path.join(pipeline.storageDir, row!.filmKey!));
    console.log("crossfade film", info);
    const expected = 1.25 + 1.25 + 1 - 2 * 0.5;
    expect(Math.abs(info.durationSec - expected)).toBeLessThanOrEqual(FRAME + 1e-6);
    expect([info.width, info.height]).toEqual([864, 480]);
    expect(info.hasAudio).toBe(true);
  }, 180_000);

  it("renews its lease while ffmpeg works: another instance never takes a long export as abandoned", async () => {
    const other = await createTestPipeline({ db: database.db, upstream: { baseUrl: "http://127.0.0.1:9", token: "unused" }, trustedMediaOrigins: [], callbacks: false, storageDir: pipeline.storageDir });
    try {
      const board = await storyboardFromChain(pipeline.ctx, { generationId: "gen_a" });
      await updateStoryboard(pipeline.ctx, { id: board.id, input: { crossfadeSec: 0.25 } });
      await requestExport(pipeline.ctx, { id: board.id });
      // Short enough that the export outlives it several times, long enough that a loaded CI
      // machine's event-loop lag does not let a renewal come late.
      const leaseMs = 250;
      const started = Date.now();
      let finished = false;
      const running = runStoryboardExports(pipeline.ctx, { leaseMs }).finally(() => (finished = true));
      let checks = 0;
      while (!finished) {
        await new Promise((r) => setTimeout(r, leaseMs / 2));
        if (finished) break;
        // Long past the first lease, the other instance still finds nothing to take.
        expect(await runStoryboardExports(other.ctx, { leaseMs })).toBe(0);
        checks++;
      }
      expect(await running).toBe(1);
      // The export outlived its first lease, so the renewals were what kept it.
      expect(Date.now() - started).toBeGreaterThan(leaseMs);
      expect(checks).toBeGreaterThan(1);
      const [row] = await database.db.select().from(storyboards).where(eq(storyboards.id, board.id));
      expect(row).toMatchObject({ exportStatus: "succeeded", exportAttempts: 1, leaseOwner: null });
    } finally {
      await other.close();
    }
  }, 180_000);

  it("refuses changes while an export is queued", async () => {
    const board = await storyboardFromChain(pipeline.ctx, { generationId: "gen_a" });
    await requestExport(pipeline.ctx, { id: board.id });
    await expect(updateStoryboard(pipeline.ctx, { id: board.id, input: { crossfadeSec: 0 } })).rejects.toThrow(/export/);
    await runStoryboardExports(pipeline.ctx);
  }, 180_000);
});
