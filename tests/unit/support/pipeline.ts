/**
 * A real AppContext for integration tests: database (in-memory PGlite, or PostgreSQL at
 * TEST_DATABASE_URL), filesystem storage in a temp dir, the real SeeDance client pointed at a
 * local HTTP upstream (the fake or the simulator), an event bus, and a local HTTP server that
 * routes `POST /api/callbacks/seedance/:id?sig=` into `handleSeedanceCallback`.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { openDatabase, type Connection, type Db } from "@/lib/db/client";
import { generations, type GenerationRow } from "@/lib/db/schema";
import { sharedSecret } from "@/lib/db/secrets";
import { errorResponse } from "@/lib/http/errors";
import { CALLBACK_MAX_BYTES, handleSeedanceCallback } from "@/lib/jobs/callback";
import type { AppContext } from "@/lib/context";
import { EventBus, type GenerationEvent } from "@/lib/jobs/events";
import { startWorker, type Worker } from "@/lib/jobs/worker";
import { createSeedanceClient } from "@/lib/seedance/client";
import { renderClip } from "@/lib/simulator/render";
import { fsStorage } from "@/lib/storage/fs";

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `predicate` returns something truthy; throws with `message` after `timeoutMs`. */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  { timeoutMs = 20_000, intervalMs = 25, message = "condition" }: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${message}${last ? `: ${last instanceof Error ? last.message : String(last)}` : ""}`);
    }
    await sleep(intervalMs);
  }
}

const tempDirs: string[] = [];

export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `seedance-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

/** Removes every directory `tempDir` made (call once, after the last test of a file). */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(tempDirs.splice(0).map((dir) => fs.promises.rm(dir, { recursive: true, force: true })));
}

// ---------------------------------------------------------------------------------------------
// Database

export interface TestDatabase {
  db: Db;
  kind: Connection["kind"];
  /** Empties the pipeline tables (between tests). */
  reset(): Promise<void>;
  /** A second connection to the same database (PostgreSQL: another pool; PGlite: the same one). */
  another(): Promise<Db>;
  close(): Promise<void>;
}

export async function openTestDatabase(): Promise<TestDatabase> {
  const databaseUrl = process.env.TEST_DATABASE_URL || undefined;
  const main = await openDatabase({ databaseUrl, pgliteDir: undefined });
  const extra: Connection[] = [];
  return {
    db: main.db,
    kind: main.kind,
    async reset() {
      await main.db.execute(sql`truncate table generations, generation_events restart identity`);
    },
    async another() {
      if (!databaseUrl) return main.db;
      const conn = await openDatabase({ databaseUrl });
      extra.push(conn);
      return conn.db;
    },
    async close() {
      await Promise.all(extra.map((c) => c.close()));
      await main.close();
    },
  };
}

export async function getRow(db: Db, id: string): Promise<GenerationRow> {
  const [row] = await db.select().from(generations).where(eq(generations.id, id));
  if (!row) throw new Error(`no generation ${id}`);
  return row;
}

export async function setRow(db: Db, id: string, patch: Partial<typeof generations.$inferInsert>) {
  await db.update(generations).set(patch).where(eq(generations.id, id));
}

// ---------------------------------------------------------------------------------------------
// The callback receiver

export interface CallbackServer {
  baseUrl: string;
  received: { id: string; status: number; body: unknown }[];
  /** Which pipeline handles callbacks (set once the context exists). */
  target: AppContext | null;
  close(): Promise<void>;
}

export async function startCallbackServer(): Promise<CallbackServer> {
  const received: CallbackServer["received"] = [];
  const state: CallbackServer = {
    baseUrl: "",
    received,
    target: null,
    close: async () => undefined,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= CALLBACK_MAX_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      void (async () => {
        const url = new URL(req.url ?? "/", "http://callbacks");
        const match = /^\/api\/callbacks\/seedance\/([^/]+)$/.exec(url.pathname);
        let status = 404;
        let body: unknown = { ok: false, message: "Not found." };
        if (req.method === "POST" && match && state.target) {
          if (size > CALLBACK_MAX_BYTES) {
            status = 413;
            body = { ok: false, message: "Too large." };
          } else {
            try {
              const outcome = await handleSeedanceCallback(state.target, {
                id: decodeURIComponent(match[1]!),
                signature: url.searchParams.get("sig"),
                rawBody: Buffer.concat(chunks).toString("utf8"),
              });
              status = outcome.status;
              body = { ok: true, outcome: outcome.outcome };
            } catch (error) {
              // Answered as the route answers it: a coded refusal, or a 500 for anything else.
              const answer = errorResponse(error);
              status = answer.status;
              body = await answer.json();
            }
          }
          received.push({ id: decodeURIComponent(match[1]!), status, body });
        }
        const text = JSON.stringify(body);
        res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
        res.end(text);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}

// ---------------------------------------------------------------------------------------------
// The pipeline

export interface TestPipelineOptions {
  db: Db;
  upstream: { baseUrl: string; token: string };
  trustedMediaOrigins: string[];
  /** Give the upstream a callback URL (a local receiver routed into this context). Default true. */
  callbacks?: boolean;
  pollIntervalMs?: number;
  /** Shared between pipelines that play two instances of one deployment. */
  storageDir?: string;
  instanceId?: string;
  maxClipBytes?: number;
  submitLeaseMs?: number;
  /** The client's bound on a create's retries (its `createBudgetMs`). */
  createBudgetMs?: number;
}

export interface TestPipeline {
  ctx: AppContext;
  storageDir: string;
  callbackServer: CallbackServer | null;
  /** Every event this context broadcast, in order. */
  events: GenerationEvent[];
  worker: Worker | null;
  startWorker(idleMs?: number): Worker;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

export async function createTestPipeline(opts: TestPipelineOptions): Promise<TestPipeline> {
  const storageDir = opts.storageDir ?? tempDir("media");
  const callbackServer = opts.callbacks === false ? null : await startCallbackServer();
  const bus = new EventBus();
  const events: GenerationEvent[] = [];
  bus.subscribe((event) => events.push(event));
  let worker: Worker | null = null;
  const ctx: AppContext = {
    db: opts.db,
    storage: fsStorage(storageDir),
    upstream: createSeedanceClient({
      baseUrl: opts.upstream.baseUrl,
      token: opts.upstream.token,
      timeoutMs: 15_000,
      retry: { retries: 4, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2000, createBudgetMs: opts.createBudgetMs ?? 10_000 },
    }),
    bus,
    config: {
      callbackBaseUrl: callbackServer?.baseUrl,
      callbackSecret: await sharedSecret({ db: opts.db, name: "callback-hmac" }),
      pollIntervalMs: opts.pollIntervalMs ?? 100,
      maxClipBytes: opts.maxClipBytes ?? 64 * 1024 * 1024,
      trustedMediaOrigins: opts.trustedMediaOrigins,
      allowPrivateMedia: false,
      instanceId: opts.instanceId ?? `test-${randomBytes(4).toString("hex")}`,
      ...(opts.submitLeaseMs ? { submitLeaseMs: opts.submitLeaseMs } : {}),
    },
    async broadcast(event) {
      bus.publish(event);
    },
    wake: () => worker?.wake(),
  };
  if (callbackServer) callbackServer.target = ctx;
  const pipeline: TestPipeline = {
    ctx,
    storageDir,
    callbackServer,
    events,
    get worker() {
      return worker;
    },
    startWorker(idleMs = 50) {
      if (worker) throw new Error("worker already running");
      worker = startWorker(ctx, { idleMs });
      return worker;
    },
    async stopWorker() {
      const running = worker;
      worker = null;
      await running?.stop();
    },
    async close() {
      await pipeline.stopWorker();
      await callbackServer?.close();
    },
  };
  return pipeline;
}

// ---------------------------------------------------------------------------------------------
// Fixture media

export interface FixtureClip {
  dir: string;
  video: Buffer;
  lastFrame: Buffer;
}

/** A real 864x480, 1 s, silent H.264 MP4 and its last frame (PNG), rendered once. */
export async function renderFixtureClip(): Promise<FixtureClip> {
  const dir = tempDir("fixture");
  const result = await renderClip({
    outDir: dir,
    width: 864,
    height: 480,
    durationSec: 1,
    prompt: "pipeline fixture",
    seed: 7,
    cameraFixed: true,
    watermark: false,
    audio: false,
    lastFramePng: true,
  });
  return { dir, video: fs.readFileSync(result.videoPath), lastFrame: fs.readFileSync(result.lastFramePath!) };
}

// ---------------------------------------------------------------------------------------------
// A web-style handler (Request -> Response) served by node:http

export interface WebServer {
  origin: string;
  close(): Promise<void>;
}

export async function serveWebHandler(handle: (request: Request) => Promise<Response>): Promise<WebServer> {
  const { Readable } = await import("node:stream");
  let origin = "";
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) {
          if (value === undefined) continue;
          for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
        }
        const method = req.method ?? "GET";
        const body = method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks);
        let response: Response;
        try {
          response = await handle(new Request(`${origin}${req.url ?? "/"}`, { method, headers, body }));
        } catch (error) {
          response = new Response(error instanceof Error ? error.message : String(error), { status: 500 });
        }
        const out: Record<string, string> = {};
        response.headers.forEach((value, name) => {
          out[name] = value;
        });
        res.writeHead(response.status, out);
        if (!response.body || method === "HEAD") {
          res.end();
          return;
        }
        Readable.fromWeb(response.body as unknown as import("node:stream/web").ReadableStream).pipe(res);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
