/**
 * A local HTTP fake of the SeeDance upstream (docs/seedance-contract.md), for the
 * pipeline tests: `POST /seedance/videos` (async create), `POST /seedance/tasks` (retrieve,
 * retrieve_batch; no `response` while pending) and a CDN-like `GET /files/<name>` serving a
 * real MP4. Knobs inject failures, finish tasks and post callbacks; every request is recorded.
 */
import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { seedanceVideoRequestSchema } from "@/lib/seedance/schema";
import { seedanceCreateAnswer, seedanceErrorBody, seedanceResultBody, seedanceTaskRecord } from "@/lib/seedance/types";

export type Endpoint = "create" | "retrieve" | "retrieve_batch" | "download" | "other";

export interface SeenRequest {
  endpoint: Endpoint;
  method: string;
  path: string;
  /** Task ids asked about (retrieve / retrieve_batch). */
  ids: string[];
  status: number;
  at: number;
}

export interface FakeTask {
  id: string;
  upstreamId: string;
  traceId: string;
  createdAt: number;
  finishedAt?: number;
  body: Record<string, unknown>;
  callbackUrl?: string;
  status: "pending" | "succeeded" | "failed";
  error?: { code: string; message: string };
  /** How many task queries have returned this task. */
  queries: number;
  videoFile: string;
  lastFrameFile?: string;
}

export interface CallbackDelivery {
  taskId: string;
  status: number;
  body: unknown;
}

interface Injection {
  remaining: number;
  status: number;
  retryAfter?: string;
}

export interface FakeUpstreamOptions {
  token: string;
  /** The MP4 every finished task serves. */
  clip: Buffer;
  /** A PNG served as `last_frame_url` when the create asked for `return_last_frame`. */
  lastFrame?: Buffer;
  /** Every request is answered this many milliseconds after it arrived (a fixed network/API latency). Default 0. */
  latencyMs?: number;
}

export interface FakeUpstream {
  /** Base URL for the client: `http://127.0.0.1:<port>`. */
  url: string;
  origin: string;
  tasks: Map<string, FakeTask>;
  /** Every create body that was accepted or refused, in order (injected failures included). */
  createBodies: Record<string, unknown>[];
  requests: SeenRequest[];
  callbacks: CallbackDelivery[];
  count(endpoint: Endpoint, opts?: { status?: number }): number;
  /** Successful and failed downloads of one file (by name, e.g. `<task>.mp4`). */
  downloads(file: string): number;
  fileUrl(file: string): string;
  /** The next `n` creates answer `status` (429 carries `Retry-After`). */
  failCreates(n: number, status: number, retryAfter?: string): void;
  /** The next `n` task queries (either action) answer `status`. */
  failQueries(n: number, status: number, retryAfter?: string): void;
  /** The next `n` file downloads (any file) answer `status`. */
  failDownloads(n: number, status?: number): void;
  /** Tasks finish by themselves once they have been returned pending this many times (null: never). */
  autoComplete: { afterQueries: number; callback?: boolean } | null;
  complete(taskId: string, opts?: { callback?: boolean; callbackVideoUrl?: string }): Promise<CallbackDelivery | undefined>;
  fail(taskId: string, message: string, opts?: { code?: string; callback?: boolean }): Promise<CallbackDelivery | undefined>;
  /** The body the upstream POSTs to `callback_url` (and keeps as the record's `response`). */
  resultBody(taskId: string, overrides?: { videoUrl?: string }): Record<string, unknown>;
  /** POSTs a body to the task's callback URL (or another URL), as the upstream would. */
  postCallback(taskId: string, body?: unknown, url?: string): Promise<CallbackDelivery>;
  /** Waits for in-flight automatic callbacks. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

const errorBody = (code: string, message: string) => seedanceErrorBody(code, message, randomUUID());

const CODE_FOR: Record<number, [string, string]> = {
  400: ["bad_request", "model is invalid."],
  401: ["invalid_token", "The specified token is invalid or wrong."],
  404: ["not_found", "The task was not found."],
  429: ["too_many_requests", "You have exceeded the rate limit."],
  500: ["api_error", "Internal server error."],
  502: ["api_error", "Bad gateway."],
  503: ["api_error", "Service unavailable."],
};

export async function startFakeUpstream(opts: FakeUpstreamOptions): Promise<FakeUpstream> {
  const tasks = new Map<string, FakeTask>();
  const createBodies: Record<string, unknown>[] = [];
  const requests: SeenRequest[] = [];
  const callbacks: CallbackDelivery[] = [];
  const pending = new Set<Promise<unknown>>();
  let createFailures: Injection | null = null;
  let queryFailures: Injection | null = null;
  let downloadFailures: Injection | null = null;
  let origin = "";

  const fileUrl = (file: string) => `${origin}/files/${file}`;

  function take(injection: Injection | null): Injection | null {
    if (!injection || injection.remaining <= 0) return null;
    injection.remaining--;
    return injection;
  }

  function resultBody(taskId: string, overrides: { videoUrl?: string } = {}): Record<string, unknown> {
    const task = tasks.get(taskId);
    if (!task) throw new Error(`fake upstream: no task ${taskId}`);
    const ids = { id: task.id, traceId: task.traceId, upstreamId: task.upstreamId, model: String(task.body.model) };
    if (task.status === "failed") return seedanceResultBody(ids, { status: "failed", error: task.error! });
    const videoUrl = overrides.videoUrl ?? fileUrl(task.videoFile);
    // What a premature (or forged) callback might claim: a clip that does not exist yet.
    if (task.status === "pending") return seedanceResultBody(ids, { status: "succeeded", clip: { videoUrl } });
    return seedanceResultBody(ids, {
      status: "succeeded",
      clip: {
        videoUrl,
        lastFrameUrl: task.lastFrameFile ? fileUrl(task.lastFrameFile) : null,
        seed: 4242,
        duration: 1,
        resolution: String(task.body.resolution ?? "480p"),
        ratio: String(task.body.ratio ?? "16:9"),
        framespersecond: 24,
        usage: { completion_tokens: 9720, total_tokens: 9720 },
      },
    });
  }

  function record(task: FakeTask) {
    const times = { createdAtMs: task.createdAt, startedAtMs: task.createdAt + 50, ...(task.finishedAt ? { finishedAtMs: task.finishedAt } : {}) };
    const out = seedanceTaskRecord({ id: task.id, traceId: task.traceId, ...times, request: task.body }, task.status !== "pending" ? resultBody(task.id) : undefined);
    // The provider's records carry its database id too.
    return { _id: randomBytes(12).toString("hex"), ...out };
  }

  async function postCallback(taskId: string, body?: unknown, url?: string): Promise<CallbackDelivery> {
    const task = tasks.get(taskId);
    const target = url ?? task?.callbackUrl;
    if (!target) throw new Error(`fake upstream: task ${taskId} has no callback_url`);
    const response = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body ?? resultBody(taskId)),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* keep text */
    }
    const delivery = { taskId, status: response.status, body: parsed };
    callbacks.push(delivery);
    return delivery;
  }

  function track<T>(promise: Promise<T>): Promise<T> {
    pending.add(promise);
    void promise.catch(() => undefined).finally(() => pending.delete(promise));
    return promise;
  }

  function finish(task: FakeTask, status: "succeeded" | "failed", error?: { code: string; message: string }) {
    task.status = status;
    task.finishedAt = Date.now();
    if (error) task.error = error;
  }

  const api: FakeUpstream = {
    url: "",
    origin: "",
    tasks,
    createBodies,
    requests,
    callbacks,
    autoComplete: null,
    count(endpoint, filter = {}) {
      return requests.filter((r) => r.endpoint === endpoint && (filter.status === undefined || r.status === filter.status)).length;
    },
    downloads(file) {
      return requests.filter((r) => r.endpoint === "download" && r.path === `/files/${file}`).length;
    },
    fileUrl,
    failCreates(n, status, retryAfter) {
      createFailures = { remaining: n, status, retryAfter };
    },
    failQueries(n, status, retryAfter) {
      queryFailures = { remaining: n, status, retryAfter };
    },
    failDownloads(n, status = 500) {
      downloadFailures = { remaining: n, status };
    },
    async complete(taskId, o = {}) {
      const task = tasks.get(taskId);
      if (!task) throw new Error(`fake upstream: no task ${taskId}`);
      finish(task, "succeeded");
      if (!o.callback) return undefined;
      return track(postCallback(taskId, resultBody(taskId, { videoUrl: o.callbackVideoUrl })));
    },
    async fail(taskId, message, o = {}) {
      const task = tasks.get(taskId);
      if (!task) throw new Error(`fake upstream: no task ${taskId}`);
      finish(task, "failed", { code: o.code ?? "api_error", message });
      if (!o.callback) return undefined;
      return track(postCallback(taskId));
    },
    resultBody,
    postCallback,
    async settled() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
    async close() {
      await api.settled();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  function injected(res: http.ServerResponse, injection: Injection) {
    const [code, message] = CODE_FOR[injection.status] ?? ["api_error", "Internal server error."];
    sendJson(res, injection.status, errorBody(code, message), injection.retryAfter !== undefined ? { "retry-after": injection.retryAfter } : {});
    return injection.status;
  }

  function handleCreate(body: unknown, res: http.ServerResponse): number {
    const fields = body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    createBodies.push(fields);
    const injection = take(createFailures);
    if (injection) return injected(res, injection);
    const parsed = seedanceVideoRequestSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      sendJson(res, 400, errorBody("bad_request", `${issue.path.join(".")}: ${issue.message}`));
      return 400;
    }
    const id = randomUUID();
    const task: FakeTask = {
      id,
      upstreamId: `cgt-${Date.now()}-${randomBytes(3).toString("hex").slice(0, 5)}`,
      traceId: randomUUID(),
      createdAt: Date.now(),
      body: fields,
      callbackUrl: typeof fields.callback_url === "string" ? fields.callback_url : undefined,
      status: "pending",
      queries: 0,
      videoFile: `${id}.mp4`,
      lastFrameFile: fields.return_last_frame === true && opts.lastFrame ? `${id}-last.png` : undefined,
    };
    tasks.set(id, task);
    sendJson(res, 200, seedanceCreateAnswer(task));
    return 200;
  }

  /** Counts a query of the task, and finishes it when `autoComplete` says so. */
  function seen(task: FakeTask) {
    task.queries++;
    const auto = api.autoComplete;
    if (auto && task.status === "pending" && task.queries > auto.afterQueries) {
      finish(task, "succeeded");
      if (auto.callback && task.callbackUrl) void track(postCallback(task.id)).catch(() => undefined);
    }
  }

  function handleTasks(body: unknown, res: http.ServerResponse, seenRequest: SeenRequest): number {
    const fields = body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    const action = fields.action ?? "retrieve";
    seenRequest.endpoint = action === "retrieve_batch" ? "retrieve_batch" : "retrieve";
    seenRequest.ids = action === "retrieve_batch" ? (Array.isArray(fields.ids) ? fields.ids.map(String) : []) : [String(fields.id)];
    const injection = take(queryFailures);
    if (injection) return injected(res, injection);
    if (action === "retrieve") {
      const task = typeof fields.id === "string" ? tasks.get(fields.id) : undefined;
      if (!task) {
        sendJson(res, 404, errorBody("not_found", "The task was not found."));
        return 404;
      }
      // The state is read before counting, so a task returned pending stays pending in this answer.
      const answer = record(task);
      seen(task);
      sendJson(res, 200, answer);
      return 200;
    }
    if (action === "retrieve_batch") {
      if (!Array.isArray(fields.ids)) {
        sendJson(res, 400, errorBody("bad_request", "ids must be a list of task ids."));
        return 400;
      }
      const found = fields.ids.map((id) => tasks.get(String(id))).filter((t): t is FakeTask => Boolean(t));
      const items = found.map(record);
      for (const task of found) seen(task);
      sendJson(res, 200, { items, count: items.length });
      return 200;
    }
    sendJson(res, 400, errorBody("bad_request", "action must be retrieve or retrieve_batch."));
    return 400;
  }

  function handleFile(name: string, res: http.ServerResponse): number {
    const injection = take(downloadFailures);
    if (injection) {
      res.writeHead(injection.status, { "content-type": "text/plain" });
      res.end("upstream CDN error");
      return injection.status;
    }
    const task = [...tasks.values()].find((t) => t.videoFile === name || t.lastFrameFile === name);
    if (!task || task.status !== "succeeded") {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("Not found");
      return 404;
    }
    const isVideo = name === task.videoFile;
    const bytes = isVideo ? opts.clip : opts.lastFrame!;
    res.writeHead(200, { "content-type": isVideo ? "video/mp4" : "image/png", "content-length": bytes.length });
    res.end(bytes);
    return 200;
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (opts.latencyMs) setTimeout(() => handle(req, res, chunks), opts.latencyMs);
      else handle(req, res, chunks);
    });
  });
  function handle(req: http.IncomingMessage, res: http.ServerResponse, chunks: Buffer[]) {
    const url = new URL(req.url ?? "/", "http://fake");
    const seenRequest: SeenRequest = { endpoint: "other", method: req.method ?? "", path: url.pathname, ids: [], status: 0, at: Date.now() };
    requests.push(seenRequest);
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    try {
      if (req.method === "GET" && url.pathname.startsWith("/files/")) {
        seenRequest.endpoint = "download";
        seenRequest.status = handleFile(url.pathname.slice("/files/".length), res);
        return;
      }
      if (req.method === "POST" && (url.pathname === "/seedance/videos" || url.pathname === "/seedance/tasks")) {
        if (url.pathname === "/seedance/videos") seenRequest.endpoint = "create";
        if (req.headers.authorization !== `Bearer ${opts.token}`) {
          sendJson(res, 401, errorBody("invalid_token", "The specified token is invalid or wrong."));
          seenRequest.status = 401;
          return;
        }
        seenRequest.status = url.pathname === "/seedance/videos" ? handleCreate(body, res) : handleTasks(body, res, seenRequest);
        return;
      }
      sendJson(res, 404, errorBody("no_api", "API does not exist, please make sure url is correct."));
      seenRequest.status = 404;
    } catch (error) {
      sendJson(res, 500, errorBody("api_error", error instanceof Error ? error.message : "fake failure"));
      seenRequest.status = 500;
    }
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api.url = origin;
  api.origin = origin;
  return api;
}
