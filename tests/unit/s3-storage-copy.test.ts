/**
 * `npm run storage:copy`, run as a user runs it (its own process, the server's S3_* variables),
 * from a DATA_DIR/media folder into a bucket on a real S3-protocol server: it copies what is
 * missing, says what it did, skips what is already there with the same sha256 on a second run
 * (resumable), replaces what differs, and never copies a half-written file.
 */
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
import { S3RVER_CREDENTIALS, startS3Server, type TestS3Server } from "./support/s3-server";

const run = promisify(execFile);
let s3: TestS3Server;
let dataDir: string;

beforeAll(async () => {
  s3 = await startS3Server();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "seedance-copy-"));
});
afterAll(async () => {
  await s3?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function write(key: string, bytes: Buffer) {
  const file = path.join(dataDir, "media", key);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
}

async function copy(...args: string[]): Promise<{ code: number; out: string }> {
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    S3_BUCKET: s3.bucket,
    S3_ENDPOINT: s3.endpoint,
    S3_FORCE_PATH_STYLE: "1",
    S3_PREFIX: "studio",
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
  };
  try {
    const { stdout } = await run("npm", ["run", "--silent", "storage:copy", "--", ...args], { env, cwd: process.cwd() });
    return { code: 0, out: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

test("copies DATA_DIR/media into the bucket, then skips it all, then replaces only what changed", async () => {
  const video = randomBytes(6 * 1024 * 1024 + 17);
  const poster = randomBytes(20_000);
  const input = randomBytes(3000);
  write("clips/g_one/video.mp4", video);
  write("clips/g_one/poster.jpg", poster);
  write(`inputs/${sha256(input)}.png`, input);
  write("films/sb_1/film.mp4.abc123.part", randomBytes(100)); // half-written: not copied

  const dry = await copy("--dry-run");
  expect(dry.code).toBe(0);
  expect(dry.out).toMatch(/would copy 3 new and 0 changed/);
  const store = s3.store({ prefix: "studio" });
  expect(await store.list("")).toEqual([]);

  const first = await copy();
  expect(first.code).toBe(0);
  expect(first.out).toMatch(/copied 3 new and 0 changed object\(s\), 6(\.\d)? MB; skipped 0 already there; 0 failed/);
  const keys = (await store.list("")).map((o) => o.key).sort();
  expect(keys).toEqual(["clips/g_one/poster.jpg", "clips/g_one/video.mp4", `inputs/${sha256(input)}.png`]);
  const stat = await store.stat("clips/g_one/video.mp4");
  expect(stat).toMatchObject({ bytes: video.length, sha256: sha256(video) });

  const again = await copy("--quiet");
  expect(again.out).toMatch(/copied 0 new and 0 changed object\(s\), 0 bytes; skipped 3 already there; 0 failed/);

  const newPoster = randomBytes(20_000);
  write("clips/g_one/poster.jpg", newPoster);
  write("clips/g_two/video.mp4", randomBytes(1000));
  // Written by an instance already on the bucket (streamed: no recorded sha256): its bytes are hashed, and match.
  const byServer = randomBytes(5000);
  write("clips/g_three/poster.jpg", byServer);
  await store.put("clips/g_three/poster.jpg", Readable.from([byServer]));
  expect((await store.stat("clips/g_three/poster.jpg"))?.sha256).toBeUndefined();
  const third = await copy();
  expect(third.out).toMatch(/replaced\s+clips\/g_one\/poster\.jpg/);
  expect(third.out).toMatch(/skipped\s+clips\/g_three\/poster\.jpg/);
  expect(third.out).toMatch(/copied 1 new and 1 changed object\(s\), .*; skipped 3 already there; 0 failed/);
  expect((await store.stat("clips/g_one/poster.jpg"))?.sha256).toBe(sha256(newPoster));
}, 120_000);

test("without S3_BUCKET it says what it needs and exits non-zero", async () => {
  const { stdout, stderr } = await run("npm", ["run", "--silent", "storage:copy"], { env: { ...process.env, S3_BUCKET: "", DATA_DIR: dataDir } }).catch((e: { stdout: string; stderr: string }) => e);
  expect(stdout + stderr).toMatch(/set S3_BUCKET/);
});
