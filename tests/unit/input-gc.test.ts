/**
 * Input images are stored once per content and shared by every clip made from them: the sweep
 * deletes those no generation refers to any more, and never one a create may still be using.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { deleteOne } from "@/lib/generations/delete";
import { createGeneration } from "@/lib/generations/create";
import type { GenerationSpec } from "@/lib/seedance/schema";
import { collectUnusedInputs, INPUT_GC_GRACE_MS, REFERENCE_GC_GRACE_MS } from "@/lib/jobs/input-gc";
import { startFakeUpstream, type FakeUpstream } from "./support/fake-upstream";
import { createTestPipeline, openTestDatabase, removeTempDirs, renderFixtureClip, type FixtureClip, type TestDatabase, type TestPipeline } from "./support/pipeline";

const TOKEN = "sk-input-gc-test-1a2b3c4d";
const dataUrl = (mime: string, bytes: Buffer) => `data:${mime};base64,${bytes.toString("base64")}`;

let tdb: TestDatabase;
let clip: FixtureClip;
let fake: FakeUpstream;
let p: TestPipeline;

beforeAll(async () => {
  [tdb, clip] = await Promise.all([openTestDatabase(), renderFixtureClip()]);
});
afterAll(async () => {
  await tdb?.close();
  await removeTempDirs();
});
beforeEach(async () => {
  await tdb.reset();
  fake = await startFakeUpstream({ token: TOKEN, clip: clip.video, lastFrame: clip.lastFrame });
  p = await createTestPipeline({ db: tdb.db, upstream: { baseUrl: fake.url, token: TOKEN }, trustedMediaOrigins: [fake.origin], callbacks: false });
});
afterEach(async () => {
  await p.close();
  await fake.close();
});

const withImage = (firstFrame: string): GenerationSpec => ({
  model: "doubao-seedance-1-0-pro-250528",
  prompt: "The scene comes to life",
  firstFrame,
  resolution: "480p",
  ratio: "16:9",
  duration: 2,
});

/** Every stored input image, as `inputs/...` keys. */
const inputs = async () => (await p.ctx.storage.list("inputs/")).map((o) => o.key).sort();

/** Makes stored objects look as if written past the grace period (the images' one by default). */
function age(keys: string[], graceMs = INPUT_GC_GRACE_MS) {
  const then = new Date(Date.now() - graceMs - 60_000);
  for (const key of keys) fs.utimesSync(path.join(p.storageDir, key), then, then);
}

describe("unused input images", () => {
  test("are deleted once no clip refers to them; shared, young and referenced ones stay", async () => {
    const shared = dataUrl("image/png", fs.readFileSync(path.join("tests/fixtures/first-frame.png")));
    const own = dataUrl("image/png", clip.lastFrame);
    const a = (await createGeneration(p.ctx, { spec: withImage(shared) })).row;
    const b = (await createGeneration(p.ctx, { spec: withImage(shared) })).row;
    const c = (await createGeneration(p.ctx, { spec: withImage(own) })).row;
    const sharedKey = a.request.firstFrame!.replace(/^media:/, "");
    const ownKey = c.request.firstFrame!.replace(/^media:/, "");
    expect(b.request.firstFrame).toBe(a.request.firstFrame);
    expect(await inputs()).toEqual([sharedKey, ownKey].sort());

    // A half-written image a crash left, and an image a create in flight has just stored.
    const partial = `${ownKey}.0a1b2c3d4e5f.part`;
    await p.ctx.storage.put(partial, Buffer.from("half"));
    const inFlight = "inputs/0000000000000000000000000000000000000000000000000000000000000000.png";
    await p.ctx.storage.put(inFlight, fs.readFileSync("tests/fixtures/first-frame.png"));

    await deleteOne(p.ctx, a.id);
    await deleteOne(p.ctx, c.id);
    age([sharedKey, ownKey, partial]);

    expect((await collectUnusedInputs(p.ctx)).sort()).toEqual([ownKey, partial].sort());
    // The shared image still serves b; the young one waits out its grace period.
    expect(await inputs()).toEqual([inFlight, sharedKey].sort());

    await deleteOne(p.ctx, b.id);
    expect(await collectUnusedInputs(p.ctx)).toEqual([sharedKey]);
    expect(await inputs()).toEqual([inFlight]);
  });

  test("an uploaded reference a draft still holds outlives the images' hour; unreferenced past its week, it goes", async () => {
    // Uploaded when attached: no row refers to it until the draft is sent.
    const attached = `refs/${"ab".repeat(32)}.png`;
    await p.ctx.storage.put(attached, fs.readFileSync("tests/fixtures/first-frame.png"));
    age([attached]);
    expect(await collectUnusedInputs(p.ctx)).toEqual([]);
    expect((await p.ctx.storage.list("refs/")).map((o) => o.key)).toEqual([attached]);

    age([attached], REFERENCE_GC_GRACE_MS);
    expect(await collectUnusedInputs(p.ctx)).toEqual([attached]);
    expect(await p.ctx.storage.list("refs/")).toEqual([]);
  });
});
