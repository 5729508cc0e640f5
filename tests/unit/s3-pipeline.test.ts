/**
 * The pipeline on the S3 store, no local path anywhere: a finished clip is copied from the
 * upstream into the bucket, probed and framed by ffmpeg from a spooled copy (poster, extracted
 * last frame, or the upstream's own last frame), and a storyboard film is stitched from clips in
 * the bucket and stored there; the temporary copies are gone afterwards and nothing is written
 * under the instance's own media folder.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createGeneration } from "@/lib/generations/create";
import { probeMedia } from "@/lib/media/probe";
import type { GenerationSpec } from "@/lib/seedance/schema";
import { runStoryboardExports } from "@/lib/storyboards/export";
import { createStoryboard, getStoryboard, requestExport } from "@/lib/storyboards/service";
import { startFakeUpstream, type FakeUpstream } from "./support/fake-upstream";
import { createTestPipeline, getRow, openTestDatabase, removeTempDirs, renderFixtureClip, waitFor, type FixtureClip, type TestDatabase, type TestPipeline } from "./support/pipeline";
import { startS3Server, type TestS3Server } from "./support/s3-server";

const TOKEN = "sk-s3-pipeline-7c8d9e0f";
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const spec = (over: Partial<GenerationSpec> = {}): GenerationSpec => ({
  model: "doubao-seedance-1-0-pro-250528",
  prompt: "A fox in the snow",
  resolution: "480p",
  ratio: "16:9",
  duration: 2,
  ...over,
});

/** This process's temporary folders (spooled objects, extracted frames, film work; each named with the pid). */
const ourTempDirs = () => fs.readdirSync(os.tmpdir()).filter((name) => new RegExp(`^seedance-(s3|frames|film)-${process.pid}-`).test(name)).sort();

let tdb: TestDatabase;
let clip: FixtureClip;
let fake: FakeUpstream;
let s3: TestS3Server;
let p: TestPipeline;

beforeAll(async () => {
  [tdb, clip, s3] = await Promise.all([openTestDatabase(), renderFixtureClip(), startS3Server()]);
  await tdb.reset();
  fake = await startFakeUpstream({ token: TOKEN, clip: clip.video, lastFrame: clip.lastFrame });
  p = await createTestPipeline({ db: tdb.db, upstream: { baseUrl: fake.url, token: TOKEN }, trustedMediaOrigins: [fake.origin], callbacks: false });
  p.ctx.storage = s3.store({ prefix: "pipeline" });
});

afterAll(async () => {
  await p?.close();
  await fake?.close();
  await s3?.close();
  await tdb?.close();
  await removeTempDirs();
});

test("clips land in the bucket with poster and last frame, and a film is stitched from the bucket into it", async () => {
  const tempBefore = ourTempDirs();
  fake.autoComplete = { afterQueries: 1 };
  p.startWorker();
  const own = await createGeneration(p.ctx, { spec: spec() });
  const upstreamFrame = await createGeneration(p.ctx, { spec: spec({ prompt: "A heron", return_last_frame: true }) });
  const done = async (id: string) =>
    waitFor(async () => {
      const row = await getRow(tdb.db, id);
      return row.status === "succeeded" || row.status === "failed" ? row : null;
    }, { timeoutMs: 30_000, message: `${id} to finish` });
  const [a, b] = [await done(own.row.id), await done(upstreamFrame.row.id)];

  for (const row of [a, b]) {
    expect(row.status).toBe("succeeded");
    expect(row.videoSha256).toBe(sha256(clip.video));
    expect([row.width, row.height]).toEqual([864, 480]);
    const stored = await p.ctx.storage.stat(row.videoKey!);
    expect(stored?.bytes).toBe(clip.video.length);
    expect((await p.ctx.storage.stat(row.posterKey!))?.bytes).toBeGreaterThan(1000);
    expect((await p.ctx.storage.stat(row.lastFrameKey!))?.bytes).toBeGreaterThan(1000);
  }
  expect(a.lastFrameKey).toBe(`clips/${a.id}/last-frame.png`); // extracted by ffmpeg from the spooled copy
  expect(b.lastFrameKey).toBe(`clips/${b.id}/last-frame-upstream.png`); // the upstream's, copied within the bucket
  expect((await p.ctx.storage.list(`clips/${b.id}/`)).map((o) => o.key).sort()).toEqual(
    [`clips/${b.id}/last-frame-upstream.png`, `clips/${b.id}/poster.jpg`, `clips/${b.id}/video.mp4`],
  );
  expect([...fake.tasks.values()].map((t) => fake.downloads(t.videoFile))).toEqual([1, 1]);

  const board = await createStoryboard(p.ctx, { generationIds: [a.id, b.id] });
  await requestExport(p.ctx, { id: board.id });
  expect(await runStoryboardExports(p.ctx)).toBe(1);
  const exported = await getStoryboard(p.ctx, { id: board.id });
  expect(exported.export.status).toBe("succeeded");
  const filmKey = `films/${board.id}/film.mp4`;
  const info = await p.ctx.storage.withLocalFile(filmKey, (file) => probeMedia(file));
  expect(info.videoCodec).toBe("h264");
  expect(info.durationSec).toBeGreaterThan(1.5);
  expect((await p.ctx.storage.stat(`films/${board.id}/poster.jpg`))?.bytes).toBeGreaterThan(1000);

  // Nothing on the instance's own disk, and every temporary copy removed.
  expect(fs.existsSync(p.storageDir) ? (fs.readdirSync(p.storageDir, { recursive: true }) as string[]) : []).toEqual([]);
  expect(ourTempDirs()).toEqual(tempBefore);
}, 120_000);
