/**
 * A film export after a crash: an export left "running" by a process that is gone is taken over
 * at once, pressing Export on a stuck export queues it again, and what the crash left (the work
 * folder in the temp folder, a half-written film in storage) is swept when the loop starts.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { generations, storyboards } from "@/lib/db/schema";
import { probeMedia } from "@/lib/media/probe";
import { renderClip } from "@/lib/simulator/render";
import { runStoryboardExports, sweepExportLeftovers } from "@/lib/storyboards/export";
import { createStoryboard, getStoryboard, requestExport } from "@/lib/storyboards/service";
import { createTestPipeline, openTestDatabase, removeTempDirs, tempDir, type TestDatabase, type TestPipeline } from "./support/pipeline";

let database: TestDatabase;
let pipeline: TestPipeline;
let boardId: string;
/** The pid of a process that has exited. */
let deadPid: number;
const host = os.hostname();

async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.on("exit", resolve));
  return child.pid!;
}

beforeAll(async () => {
  database = await openTestDatabase();
  pipeline = await createTestPipeline({ db: database.db, upstream: { baseUrl: "http://127.0.0.1:9", token: "unused" }, trustedMediaOrigins: [], callbacks: false });
  const { videoPath } = await renderClip({
    outDir: tempDir("recovery-clip"),
    width: 864,
    height: 480,
    durationSec: 1,
    prompt: "recovery clip",
    seed: 5,
    cameraFixed: true,
    watermark: false,
    audio: false,
    lastFramePng: false,
  });
  const info = await probeMedia(videoPath);
  const stored = await pipeline.ctx.storage.put("clips/gen_r/video.mp4", fs.createReadStream(videoPath));
  await database.db.insert(generations).values({
    id: "gen_r",
    status: "succeeded",
    model: "doubao-seedance-1-0-pro-250528",
    prompt: "recovery clip",
    request: { model: "doubao-seedance-1-0-pro-250528", prompt: "recovery clip" } as never,
    videoKey: stored.key,
    videoBytes: stored.bytes,
    width: info.width,
    height: info.height,
    durationSec: info.durationSec,
    fps: info.fps,
    hasAudio: info.hasAudio,
  });
  boardId = (await createStoryboard(pipeline.ctx, { generationIds: ["gen_r"] })).id;
  deadPid = await exitedPid();
}, 120_000);

afterAll(async () => {
  await pipeline?.close();
  await database?.close();
  await removeTempDirs();
});

/** The storyboard as a crash left it: running, under `owner`'s lease. */
async function crashedWhileRunning(owner: string, leaseUntil = new Date(Date.now() + 10 * 60_000)) {
  await database.db
    .update(storyboards)
    .set({ exportStatus: "running", leaseOwner: owner, leaseUntil, exportAttempts: 1, exportRequestedAt: new Date() })
    .where(eq(storyboards.id, boardId));
}

const boardRow = async () => (await database.db.select().from(storyboards).where(eq(storyboards.id, boardId)))[0]!;

beforeEach(async () => {
  await database.db.update(storyboards).set({ exportStatus: "none", leaseOwner: null, leaseUntil: null }).where(eq(storyboards.id, boardId));
});

describe("an export a crash left running", () => {
  test("is taken over at once when its process is gone (a dead pid, or a previous process with our pid), never when it still runs", async () => {
    for (const owner of [`${host}:${deadPid}:0123abcd`, `${host}:${process.pid}:0badc0de`]) {
      await crashedWhileRunning(owner);
      expect(await runStoryboardExports(pipeline.ctx), owner).toBe(1);
      const row = await boardRow();
      expect(row, owner).toMatchObject({ exportStatus: "succeeded", leaseOwner: null });
      expect(await pipeline.ctx.storage.stat(row.filmKey!)).not.toBeNull();
    }

    // A live process of this host (our parent) holds it: left alone, also by Export.
    await crashedWhileRunning(`${host}:${process.ppid}:0123abcd`);
    expect(await runStoryboardExports(pipeline.ctx)).toBe(0);
    expect((await requestExport(pipeline.ctx, { id: boardId })).export).toMatchObject({ status: "running", stuck: false });
  }, 120_000);

  test("pressing Export on a stuck export queues it again; on a live one it changes nothing", async () => {
    const cases = [
      { owner: `${host}:${deadPid}:0123abcd`, leaseUntil: new Date(Date.now() + 10 * 60_000), stuck: true },
      { owner: "another-host:4242:0123abcd", leaseUntil: new Date(Date.now() - 1000), stuck: true },
      { owner: "another-host:4242:0123abcd", leaseUntil: new Date(Date.now() + 60_000), stuck: false },
    ];
    for (const { owner, leaseUntil, stuck } of cases) {
      await crashedWhileRunning(owner, leaseUntil);
      expect((await getStoryboard(pipeline.ctx, { id: boardId })).export.stuck, owner).toBe(stuck);
      const after = await requestExport(pipeline.ctx, { id: boardId });
      expect(after.export.status, owner).toBe(stuck ? "queued" : "running");
      expect(after.export.stuck).toBe(false);
    }
  });
});

describe("what a crashed export leaves behind", () => {
  test("work folders of gone processes and stale half-written films are swept; live ones stay", async () => {
    const tmp = os.tmpdir();
    const folder = (tag: string) => {
      const dir = fs.mkdtempSync(path.join(tmp, `seedance-film-${tag}-`));
      fs.writeFileSync(path.join(dir, "film.mp4"), "partial");
      return dir;
    };
    const longAgo = new Date(Date.now() - process.uptime() * 1000 - 3600_000);
    const deadProcess = folder(String(deadPid));
    const previousProcess = folder(String(process.pid));
    fs.utimesSync(previousProcess, longAgo, longAgo);
    const liveProcess = folder(String(process.ppid));
    const thisProcess = folder(String(process.pid));

    const stale = "films/sb_crashed/film.mp4.a1b2c3d4e5f6.part";
    const fresh = "films/sb_writing/film.mp4.f6e5d4c3b2a1.part";
    const film = "films/sb_done/film.mp4";
    // Storyboards that exist: the sweep removes every film of one that does not (a delete cut short).
    await database.db.insert(storyboards).values(["sb_crashed", "sb_writing", "sb_done"].map((id) => ({ id, items: [] }))).onConflictDoNothing();
    for (const key of [stale, fresh, film]) await pipeline.ctx.storage.put(key, Buffer.from("bytes"));
    for (const key of [stale, film]) fs.utimesSync(path.join(pipeline.storageDir, key), longAgo, longAgo);

    try {
      await sweepExportLeftovers(pipeline.ctx);
      expect(fs.existsSync(deadProcess)).toBe(false);
      expect(fs.existsSync(previousProcess)).toBe(false);
      expect(fs.existsSync(liveProcess)).toBe(true);
      expect(fs.existsSync(thisProcess)).toBe(true);
      expect(await pipeline.ctx.storage.stat(stale)).toBeNull();
      expect(await pipeline.ctx.storage.stat(fresh)).not.toBeNull();
      expect(await pipeline.ctx.storage.stat(film)).not.toBeNull();
    } finally {
      for (const dir of [deadProcess, previousProcess, liveProcess, thisProcess]) fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
