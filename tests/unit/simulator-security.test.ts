/**
 * The embedded simulator as an attacker on loopback would meet it: its token, what it fetches
 * and posts to, how much body it reads, how large a batch it answers, and how long its files live.
 * The real handler, served over HTTP as the app's own origin (INTERNAL_BASE_URL).
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { eq } from "drizzle-orm";
import { resetEnvForTests } from "@/lib/env";
import { handleSimulatorRequest, sweepExpiredFiles } from "@/lib/simulator/handler";
import { downloadImage, ImageRefusedError } from "@/lib/simulator/outbound";
import { SIMULATOR_FILE_LIFETIME_MS, simulatorStore } from "@/lib/simulator/store";
import { removeTempDirs, serveWebHandler, tempDir, waitFor, type WebServer } from "./support/pipeline";

const PRO = "doubao-seedance-1-0-pro-250528";
const TOKEN = "simulator-token-for-this-test";
const FORMER_DEFAULT = "seedance-simulator-token";
const VARS = ["SEEDANCE_API_TOKEN", "SIMULATOR_TOKEN", "SIMULATOR_DELAY_MS", "DATA_DIR", "INTERNAL_BASE_URL", "PUBLIC_BASE_URL", "WORKER_DISABLED", "DATABASE_URL"];
const saved: Record<string, string | undefined> = {};

/** A loopback server that only counts who connects: an internal service an attacker aims at. */
interface Target {
  port: number;
  connections: number;
  close(): Promise<void>;
}
async function startTarget(): Promise<Target> {
  const server = http.createServer((_req, res) => res.end("internal"));
  const target = { port: 0, connections: 0, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  server.on("connection", () => target.connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  target.port = (server.address() as AddressInfo).port;
  return target;
}

let app: WebServer;
let target: Target;
let dataDir: string;
const callbacksReceived: unknown[] = [];
let endlessChunksSent = 0;
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000001900000012c0806000000", "hex");

beforeAll(async () => {
  for (const name of VARS) saved[name] = process.env[name];
  target = await startTarget();
  // The app's own origin: the simulator, a callback receiver, an image, a redirect and an endless image.
  app = await serveWebHandler(async (request) => {
    const url = new URL(request.url);
    if (url.pathname.startsWith("/api/simulator/")) {
      return handleSimulatorRequest(request, url.pathname.slice("/api/simulator/".length).split("/"));
    }
    if (url.pathname === "/cb") {
      callbacksReceived.push(await request.json());
      return Response.json({ ok: true });
    }
    if (url.pathname === "/frame.png") return new Response(PNG, { headers: { "content-type": "image/png" } });
    if (url.pathname === "/moved.png") return new Response(null, { status: 302, headers: { location: url.searchParams.get("to")! } });
    if (url.pathname === "/endless.png") {
      const chunk = new Uint8Array(1024 * 1024);
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (endlessChunksSent++ >= 200) controller.close();
          else controller.enqueue(chunk);
        },
      });
      return new Response(body, { headers: { "content-type": "image/png" } });
    }
    return new Response("Not found", { status: 404 });
  });
  dataDir = tempDir("simulator-security");
  Object.assign(process.env, { SEEDANCE_API_TOKEN: "", SIMULATOR_TOKEN: TOKEN, SIMULATOR_DELAY_MS: "0", DATA_DIR: dataDir, INTERNAL_BASE_URL: app.origin, WORKER_DISABLED: "1" });
  delete process.env.PUBLIC_BASE_URL;
  delete process.env.DATABASE_URL;
  resetEnvForTests();
  delete (globalThis as { seedanceSimulator?: unknown }).seedanceSimulator;
});

afterAll(async () => {
  await app?.close();
  await target?.close();
  for (const name of VARS) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  resetEnvForTests();
  delete (globalThis as { seedanceSimulator?: unknown }).seedanceSimulator;
  await removeTempDirs();
});

const post = (route: string, body: unknown, token = TOKEN, headers: Record<string, string> = {}) =>
  fetch(`${app.origin}/api/simulator/${route}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

const createBody = (extra: Record<string, unknown> = {}, prompt = "a lighthouse at dusk [sim:stall]", images: unknown[] = []) => ({
  model: PRO,
  content: [{ type: "text", text: prompt }, ...images],
  async: true,
  ...extra,
});

const firstFrame = (url: string) => ({ type: "image_url", image_url: { url }, role: "first_frame" });

function taskFile(id: string): Record<string, unknown> | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, "simulator", "tasks", `${id}.json`), "utf8")) as Record<string, unknown>;
  } catch {
    return null;
  }
}

describe("the simulator's token", () => {
  test("without SIMULATOR_TOKEN it is random per database: the app's own client uses it, the former default is refused", async () => {
    delete process.env.SIMULATOR_TOKEN;
    resetEnvForTests();
    try {
      const { appContext } = await import("@/lib/app/context");
      const { appSecrets } = await import("@/lib/db/schema");
      const ctx = await appContext();
      // The app's own upstream client is accepted...
      const created = await ctx.upstream.createTask(createBody() as never);
      expect(created.taskId).toMatch(/^[0-9a-f-]{36}$/);
      // ...with the secret this database holds, which a second instance on it reads too.
      const [row] = await ctx.db.select().from(appSecrets).where(eq(appSecrets.name, "simulator-token"));
      expect(row?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect((await post("seedance/videos", createBody(), row!.value)).status).toBe(200);
      // The string the README once documented opens nothing, and neither does a near miss.
      for (const token of [FORMER_DEFAULT, row!.value.slice(0, -1), `${row!.value}x`]) {
        const refused = await post("seedance/videos", createBody(), token);
        expect(refused.status).toBe(401);
        expect((await refused.json()).error.code).toBe("invalid_token");
      }
    } finally {
      process.env.SIMULATOR_TOKEN = TOKEN;
      resetEnvForTests();
    }
  });

  test("the former default cannot be configured back", async () => {
    process.env.SIMULATOR_TOKEN = FORMER_DEFAULT;
    resetEnvForTests();
    try {
      const { env } = await import("@/lib/env");
      expect(() => env()).toThrow(/SIMULATOR_TOKEN/);
    } finally {
      process.env.SIMULATOR_TOKEN = TOKEN;
      resetEnvForTests();
    }
  });
});

describe("what the simulator fetches", () => {
  test.each([
    ["loopback", () => `https://127.0.0.1:${target.port}/frame.png`],
    ["a private network", () => "https://10.0.0.7/frame.png"],
    ["the cloud metadata address", () => "https://169.254.169.254/latest/meta-data/frame.png"],
  ])("refuses an image URL pointing at %s with 400 naming the field, and never connects", async (_name, url) => {
    const before = target.connections;
    const response = await post("seedance/videos", createBody({}, undefined, [firstFrame(url())]));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body).toMatchObject({ success: false, error: { code: "bad_request" }, trace_id: expect.any(String) });
    expect(body.error.message).toMatch(/^content\.1\.image_url\.url: .*(private|local)/);
    expect(target.connections).toBe(before);
  });

  // The contract takes only https image URLs, and the app's own origin here is http: the download
  // itself is what follows, with the policy the handler uses (its own origin trusted).
  const ownOrigin = () => ({ trustedOrigins: [app.origin], allowPrivate: false });

  test("downloads an image from the app's own origin", async () => {
    const file = path.join(tempDir("simulator-image"), "first.img");
    expect(await downloadImage(`${app.origin}/frame.png`, file, { policy: ownOrigin() })).toBe(true);
    expect(fs.readFileSync(file)).toEqual(PNG);
  });

  test.each([
    ["loopback", () => `https://127.0.0.1:${target.port}/frame.png`],
    ["the cloud metadata address", () => "https://169.254.169.254/latest/meta-data/frame.png"],
    ["a private network over http", () => "http://10.0.0.7/frame.png"],
  ])("refuses a redirect from the app's own origin to %s, and never connects", async (_name, to) => {
    const before = target.connections;
    const file = path.join(tempDir("simulator-image"), "first.img");
    await expect(downloadImage(`${app.origin}/moved.png?to=${encodeURIComponent(to())}`, file, { policy: ownOrigin() })).rejects.toThrow(ImageRefusedError);
    expect(target.connections).toBe(before);
    expect(fs.existsSync(file)).toBe(false);
  });

  test("stops reading an image at 30 MB and says so", async () => {
    const file = path.join(tempDir("simulator-image"), "first.img");
    endlessChunksSent = 0;
    await expect(downloadImage(`${app.origin}/endless.png`, file, { policy: ownOrigin() })).rejects.toThrow(/larger than 30 MB/);
    expect(fs.existsSync(file)).toBe(false);
    // Stopped near the cap, not at the 200 MB the server would send.
    expect(endlessChunksSent).toBeLessThan(60);
  });
});

describe("where the simulator posts callbacks", () => {
  test.each([
    ["loopback", () => `https://127.0.0.1:${target.port}/hook`],
    ["loopback over http", () => `http://127.0.0.1:${target.port}/hook`],
    ["a private network", () => "https://10.1.2.3/hook"],
    ["the cloud metadata address", () => "https://169.254.169.254/latest/hook"],
    ["a redirect from the app's own origin", () => `${app.origin}/moved.png?to=${encodeURIComponent(`http://127.0.0.1:${target.port}/hook`)}`],
  ])("refuses a callback_url at %s and records why, without connecting", async (_name, url) => {
    const before = target.connections;
    const response = await post("seedance/videos", createBody({ callback_url: url() }, "a storm [sim:fail]"));
    expect(response.status).toBe(200);
    const { task_id } = await response.json();
    const task = await waitFor(() => taskFile(task_id)?.callbackError as string | undefined, { timeoutMs: 15_000, message: "the refused callback" });
    expect(task).toMatch(/private|local|redirect|only https/i);
    expect(taskFile(task_id)?.callbackDelivered).toBeFalsy();
    expect(target.connections).toBe(before);
  });

  test("posts the result to a callback_url on the app's own origin", async () => {
    const response = await post("seedance/videos", createBody({ callback_url: `${app.origin}/cb` }, "a storm [sim:fail]"));
    const { task_id } = await response.json();
    await waitFor(() => taskFile(task_id)?.callbackDelivered, { timeoutMs: 15_000, message: "the callback" });
    expect(callbacksReceived).toContainEqual(expect.objectContaining({ task_id, success: false }));
  });
});

describe("what the simulator reads", () => {
  test("refuses a streamed body over 40 MB at the cap with 413, without reading the rest", async () => {
    const chunk = new Uint8Array(1024 * 1024).fill(0x20);
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 200 * chunk.byteLength) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const request = new Request(`${app.origin}/api/simulator/seedance/videos`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    const response = await handleSimulatorRequest(request, ["seedance", "videos"]);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ success: false, error: { code: "request_too_large", message: expect.stringMatching(/40 MB/) } });
    expect(pulled).toBeLessThan(48 * chunk.byteLength);
  });

  test("refuses a retrieve_batch over 100 ids at once, without reading a task file per id", async () => {
    const readFile = vi.spyOn(fs.promises, "readFile");
    try {
      const ids = Array.from({ length: 200_000 }, () => randomUUID());
      const response = await post("seedance/tasks", { action: "retrieve_batch", ids });
      expect(response.status).toBe(400);
      const body = await response.json();
      expect(body).toMatchObject({ success: false, error: { code: "bad_request", message: expect.stringMatching(/at most 100/) }, trace_id: expect.any(String) });
      expect(readFile).not.toHaveBeenCalled();
      expect((await post("seedance/tasks", { action: "retrieve_batch", ids: ids.slice(0, 101) })).status).toBe(400);
    } finally {
      readFile.mockRestore();
    }
    const created = await (await post("seedance/videos", createBody())).json();
    const batch = await post("seedance/tasks", { action: "retrieve_batch", ids: [created.task_id, ...Array.from({ length: 99 }, () => randomUUID())] });
    expect(batch.status).toBe(200);
    expect(await batch.json()).toMatchObject({ count: 1, items: [{ id: created.task_id }] });
  });
});

describe("how long the simulator keeps files", () => {
  test("the sweep removes task records and rendered files past their lifetime, and nothing else", async () => {
    const dir = tempDir("simulator-sweep");
    const store = simulatorStore(dir);
    await store.ensureDirs();
    const now = Date.now();
    const [old, fresh, rendering] = [randomUUID(), randomUUID(), randomUUID()];
    const entries = (id: string) => [
      path.join(dir, "tasks", `${id}.json`),
      path.join(dir, "files", `${id}.mp4`),
      path.join(dir, "files", `${id}-last.png`),
      path.join(dir, "files", `${id}.inputs`),
    ];
    for (const id of [old, fresh, rendering]) {
      for (const entry of entries(id)) {
        if (entry.endsWith(".inputs")) {
          fs.mkdirSync(entry);
          fs.writeFileSync(path.join(entry, "first.png"), PNG);
        } else fs.writeFileSync(entry, "x");
      }
    }
    const age = (id: string, ms: number) => {
      for (const entry of entries(id)) fs.utimesSync(entry, new Date(now - ms), new Date(now - ms));
    };
    age(old, SIMULATOR_FILE_LIFETIME_MS + 60_000);
    age(fresh, SIMULATOR_FILE_LIFETIME_MS - 60_000);
    age(rendering, SIMULATOR_FILE_LIFETIME_MS + 60_000);

    const removed = await sweepExpiredFiles({ store, inflight: new Map([[rendering, Promise.resolve()]]) }, now);
    expect(removed).toBe(4);
    for (const entry of entries(old)) expect(fs.existsSync(entry)).toBe(false);
    for (const entry of [...entries(fresh), ...entries(rendering)]) expect(fs.existsSync(entry)).toBe(true);
  });
});
