/**
 * Two studio instances side by side, as a team that outgrows one machine runs them: two
 * `next start` servers (a production build) on two ports, one PostgreSQL, one S3 bucket (s3rver
 * on loopback) and one upstream (the local fake). Nothing is shared but the database and the
 * bucket: each instance has its own DATA_DIR.
 *
 * - A clip created through A appears on B's event stream, and B serves its video with Range.
 * - `kill -9` of A while its task runs upstream: B's worker finishes the clip.
 * - A film requested on B plays from A (restarted).
 * - The per-minute create limit counts across both: N creates on A, the N+1th on B is a 429.
 * - The upstream saw exactly one create per clip, and each clip was downloaded once.
 *
 * Needs TEST_DATABASE_URL (a PostgreSQL server: the test makes and drops its own database in
 * it) and a build in NEXT_DIST_DIR (default .next). tests/run-all.sh runs it after its build.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { probeMedia } from "@/lib/media/probe";
import { startFakeUpstream, type FakeUpstream } from "../unit/support/fake-upstream";
import { renderFixtureClip, type FixtureClip } from "../unit/support/pipeline";
import { S3RVER_CREDENTIALS, startS3Server, type TestS3Server } from "../unit/support/s3-server";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DIST = process.env.NEXT_DIST_DIR || ".next";
const TOKEN = "sk-two-instances-5e6f7a8b";
const PER_MINUTE = 4;
const BODY = (prompt: string) =>
  JSON.stringify({ model: "doubao-seedance-1-0-pro-fast-251015", content: [{ type: "text", text: prompt }], resolution: "480p", duration: 2 });

const serverUrl = process.env.TEST_DATABASE_URL;
if (!serverUrl) throw new Error("tests/scale needs TEST_DATABASE_URL (a PostgreSQL server; see .ci/run)");
if (!fs.existsSync(path.join(ROOT, DIST, "BUILD_ID"))) throw new Error(`tests/scale needs a production build in ${DIST} (next build, NEXT_DIST_DIR=${DIST})`);

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function freePort(): Promise<number> {
  const net = await import("node:net");
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

interface Instance {
  name: string;
  url: string;
  port: number;
  env: NodeJS.ProcessEnv;
  child: ChildProcess;
  log: string[];
}

let database: { url: string; drop(): Promise<void> };
let s3: TestS3Server;
let fake: FakeUpstream;
let clip: FixtureClip;
const instances: Instance[] = [];
const dirs: string[] = [];

async function makeDatabase(): Promise<typeof database> {
  const name = `seedance_scale_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

function spawnInstance(name: string, port: number, env: NodeJS.ProcessEnv): Instance {
  const log: string[] = [];
  const child = spawn(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env,
    detached: true, // its own process group: `kill -9` takes next's children with it
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [child.stdout!, child.stderr!]) stream.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  return { name, url: `http://127.0.0.1:${port}`, port, env, child, log };
}

async function startInstance(name: string, port: number, env: NodeJS.ProcessEnv): Promise<Instance> {
  const instance = spawnInstance(name, port, env);
  await waitFor(`${name} to answer /api/health`, async () => {
    if (instance.child.exitCode !== null) throw new Error(`${name} exited: ${instance.log.join("")}`);
    const answer = await fetch(`${instance.url}/api/health`).catch(() => null);
    return answer?.ok ?? false;
  }, 90_000);
  instances.push(instance);
  return instance;
}

function killHard(instance: Instance): Promise<void> {
  const exited = new Promise<void>((resolve) => instance.child.once("exit", () => resolve()));
  process.kill(-instance.child.pid!, "SIGKILL");
  return exited;
}

function instanceEnv(name: string, port: number, prefix: string): NodeJS.ProcessEnv {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `seedance-scale-${name}-`));
  dirs.push(dataDir);
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_DIST_DIR: DIST,
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    SEEDANCE_API_TOKEN: TOKEN,
    SEEDANCE_API_BASE_URL: fake.url,
    ALLOW_PRIVATE_UPSTREAM: "1",
    POLL_INTERVAL_MS: "300",
    RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
    TRUST_PROXY: "1",
    S3_BUCKET: s3.bucket,
    S3_ENDPOINT: s3.endpoint,
    S3_FORCE_PATH_STYLE: "1",
    S3_PREFIX: prefix,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    LOG_LEVEL: "warn",
  };
}

/** B's event stream, read as the browser's EventSource reads it. */
function subscribe(instance: Instance) {
  const events: { type: string; data: Record<string, unknown> }[] = [];
  const abort = new AbortController();
  const done = (async () => {
    const answer = await fetch(`${instance.url}/api/generations/events`, { signal: abort.signal });
    let buffer = "";
    const decoder = new TextDecoder();
    for await (const chunk of answer.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const type = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (type && data) events.push({ type, data: JSON.parse(data) as Record<string, unknown> });
      }
    }
  })().catch(() => undefined);
  return {
    events,
    seen: (id: string, status: string) => events.some((e) => e.type === "generation" && e.data.id === id && e.data.status === status),
    async close() {
      abort.abort();
      await done;
    },
  };
}

async function create(instance: Instance, prompt: string, ip: string): Promise<Response> {
  return fetch(`${instance.url}/api/generations`, { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": ip }, body: BODY(prompt) });
}

async function generation(instance: Instance, id: string): Promise<Record<string, unknown>> {
  return (await (await fetch(`${instance.url}/api/generations/${id}`)).json()) as Record<string, unknown>;
}

beforeAll(async () => {
  clip = await renderFixtureClip();
  [database, s3, fake] = await Promise.all([makeDatabase(), startS3Server(), startFakeUpstream({ token: TOKEN, clip: clip.video })]);
});

afterAll(async () => {
  for (const instance of instances) if (instance.child.exitCode === null && instance.child.signalCode === null) await killHard(instance).catch(() => undefined);
  await fake?.close();
  await s3?.close();
  await database?.drop().catch(() => undefined);
  for (const dir of [...dirs, clip?.dir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test("two instances on one PostgreSQL and one bucket act as one studio", async () => {
  const prefix = `scale-${process.pid}`;
  const [portA, portB] = [await freePort(), await freePort()];
  const envA = instanceEnv("a", portA, prefix);
  // A first: it runs the migrations on the new database; B starts on a migrated one.
  let a = await startInstance("A", portA, envA);
  const b = await startInstance("B", portB, instanceEnv("b", portB, prefix));
  const stream = subscribe(b);
  const createdThroughA: string[] = [];
  const servedByOther: string[] = [];
  const rangeOf = async (instance: Instance, url: string, start: number, end: number) => {
    const answer = await fetch(`${instance.url}${url}`, { headers: { range: `bytes=${start}-${end}` } });
    expect(answer.status).toBe(206);
    expect(answer.headers.get("content-range")).toMatch(new RegExp(`^bytes ${start}-${end}/\\d+$`));
    return Buffer.from(await answer.arrayBuffer());
  };

  try {
    // 1. Created through A; B's stream reports it finished; B serves its video, with Range.
    fake.autoComplete = { afterQueries: 1 };
    const first = await create(a, "A fox in the snow, made on A", "198.51.100.1");
    expect(first.status).toBe(201);
    const one = (await first.json()) as { id: string };
    createdThroughA.push(one.id);
    await waitFor("clip 1 to succeed on B's stream", () => stream.seen(one.id, "succeeded"));
    const video = `/api/media/clips/${one.id}/video.mp4`;
    expect(await rangeOf(b, video, 100, 1099)).toEqual(clip.video.subarray(100, 1100));
    const whole = await fetch(`${b.url}${video}`);
    expect(sha256(Buffer.from(await whole.arrayBuffer()))).toBe(sha256(clip.video));
    servedByOther.push(one.id);

    // 2. A submits a clip and is killed while the task runs upstream: B's worker finishes it.
    fake.autoComplete = null;
    const second = await create(a, "A heron at dusk, A dies meanwhile", "198.51.100.1");
    expect(second.status).toBe(201);
    const two = (await second.json()) as { id: string; upstreamTaskId: string };
    createdThroughA.push(two.id);
    expect(fake.tasks.size).toBe(2);
    await killHard(a);
    const task = [...fake.tasks.values()].find((t) => t.id === two.upstreamTaskId || t.upstreamId === two.upstreamTaskId) ?? [...fake.tasks.values()].at(-1)!;
    await fake.complete(task.id);
    // A lease A held when it died runs out in at most two minutes (the worker's LEASE_MS).
    await waitFor("clip 2 to succeed through B's worker", () => stream.seen(two.id, "succeeded"), 180_000);
    expect(await rangeOf(b, `/api/media/clips/${two.id}/video.mp4`, 0, 15)).toEqual(clip.video.subarray(0, 16));
    servedByOther.push(two.id);

    // 3. A comes back; a film requested on B plays from A.
    a = await startInstance("A (restarted)", portA, envA);
    const board = (await (await fetch(`${b.url}/api/storyboards`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ generationIds: [one.id, two.id] }) })).json()) as { id: string };
    expect((await fetch(`${b.url}/api/storyboards/${board.id}/export`, { method: "POST" })).status).toBe(202);
    const exported = await waitFor(
      "the film export to finish",
      async () => {
        const dto = (await (await fetch(`${b.url}/api/storyboards/${board.id}`)).json()) as { export: { status: string; film: { url: string } | null } };
        if (dto.export.status === "failed") throw new Error(`the export failed: ${JSON.stringify(dto.export)}`);
        return dto.export.status === "succeeded" && dto.export.film ? dto.export.film : null;
      },
      180_000,
    );
    const film = await fetch(`${a.url}${exported.url}`);
    expect(film.status).toBe(200);
    const filmBytes = Buffer.from(await film.arrayBuffer());
    expect(await rangeOf(a, exported.url.split("?")[0]!, 32, 1031)).toEqual(filmBytes.subarray(32, 1032));
    const filmFile = path.join(dirs[0]!, "film-from-a.mp4");
    fs.writeFileSync(filmFile, filmBytes);
    const info = await probeMedia(filmFile);
    expect(info.videoCodec).toBe("h264");
    expect(info.durationSec).toBeGreaterThan(1.5);

    // 4. The create limit counts across both: N on A, the N+1th on B is refused.
    fake.autoComplete = { afterQueries: 1 };
    const limited: string[] = [];
    for (let i = 0; i < PER_MINUTE; i++) {
      const answer = await create(a, `Limit probe ${i} on A`, "203.0.113.77");
      expect(answer.status).toBe(201);
      limited.push(((await answer.json()) as { id: string }).id);
    }
    createdThroughA.push(...limited);
    const refused = await create(b, "One too many, on B", "203.0.113.77");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as { error?: { code?: string } }).error?.code).toBe("rate_limited");
    // Another address is not limited, on either instance.
    const other = await create(b, "Someone else, on B", "203.0.113.78");
    expect(other.status).toBe(201);
    const last = ((await other.json()) as { id: string }).id;

    // Every clip finishes; each was downloaded once, each create reached the upstream once.
    for (const id of [...limited, last]) {
      await waitFor(`clip ${id} to succeed`, async () => (await generation(a, id)).status === "succeeded");
      expect(await rangeOf(b, `/api/media/clips/${id}/video.mp4`, 0, 99)).toEqual(clip.video.subarray(0, 100));
      if (id !== last) servedByOther.push(id);
    }
    const clipsMade = createdThroughA.length + 1;
    const creates = fake.count("create");
    const downloads = [...fake.tasks.values()].map((t) => fake.downloads(t.videoFile));
    console.log(
      "two-instance counts",
      JSON.stringify({ clipsMade, createsSent: creates, downloads: downloads.reduce((x, y) => x + y, 0), downloadsPerClip: downloads, servedByTheOtherInstance: servedByOther.length, refusedOnB: 1 }),
    );
    expect(creates).toBe(clipsMade);
    expect(fake.tasks.size).toBe(clipsMade);
    expect(downloads).toEqual(Array.from({ length: clipsMade }, () => 1));
  } finally {
    await stream.close();
  }
});
