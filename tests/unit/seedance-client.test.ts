/**
 * The client against a real local HTTP server (node:http on 127.0.0.1), no fetch mocks.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterEach, describe, expect, test } from "vitest";
import { createSeedanceClient, type SeedanceClientOptions } from "@/lib/seedance/client";
import { errorFromResponse, parseRetryAfter, SeedanceError, SEEDANCE_ERROR_CODES, toPlainError } from "@/lib/seedance/errors";
import type { SeedanceVideoRequest } from "@/lib/seedance/schema";
import { taskStateFromRecord, taskStateFromResult } from "@/lib/seedance/types";

const TOKEN = "sk-test-7f3a9c0d1e2b4a5f";
const TRACE = "2cf86e86-22a4-46e1-ac2f-032c0f2a4e89";
const TASK = "9462ca25-468b-45a5-9e75-6f516dedcc80";
const VIDEO = "https://platform.cdn.acedata.cloud/seedance/d1c2e49e.mp4";

interface Seen {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  at: number;
}
type Handler = (req: Seen, res: http.ServerResponse, index: number) => void;

interface TestServer {
  url: string;
  port: number;
  requests: Seen[];
  close(): Promise<void>;
}

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function startServer(handler: Handler, port = 0): Promise<TestServer> {
  const requests: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        /* keep text */
      }
      const seen: Seen = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body, at: Date.now() };
      requests.push(seen);
      handler(seen, res, requests.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actual = (server.address() as AddressInfo).port;
  const handle: TestServer = {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(handle);
  return handle;
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

const errorBody = (code: string, message: string) => ({ success: false, error: { code, message }, trace_id: TRACE });

/** A port nothing listens on (for connection refused). */
async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function client(url: string, opts: Partial<SeedanceClientOptions> = {}) {
  return createSeedanceClient({
    baseUrl: url,
    token: TOKEN,
    timeoutMs: 2000,
    ...opts,
    retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 5, ...opts.retry },
  });
}

const REQUEST = {
  model: "doubao-seedance-1-0-pro-250528",
  content: [{ type: "text", text: "A kitten yawning at the camera." }],
  resolution: "720p",
} as SeedanceVideoRequest;

async function caught(promise: Promise<unknown>): Promise<SeedanceError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SeedanceError);
    return error as SeedanceError;
  }
  throw new Error("expected a SeedanceError");
}

const succeededRecord = (data: unknown, extra: Record<string, unknown> = {}) => ({
  id: TASK,
  type: "videos",
  trace_id: TRACE,
  created_at: 1766329436.091,
  request: REQUEST,
  response: { success: true, task_id: TASK, trace_id: TRACE, data, ...extra },
});

// -------------------------------------------------------------------------------------------

describe("createTask", () => {
  test("posts to /seedance/videos with the bearer token and JSON headers", async () => {
    const server = await startServer((_req, res) => json(res, 200, { success: true, task_id: TASK, trace_id: TRACE }));
    const result = await client(`${server.url}/`).createTask(REQUEST);
    expect(result).toEqual({ taskId: TASK, traceId: TRACE });
    const [seen] = server.requests;
    expect(seen).toMatchObject({ method: "POST", path: "/seedance/videos" });
    expect(seen!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen!.headers.accept).toBe("application/json");
    expect(seen!.headers["content-type"]).toBe("application/json");
  });

  test.each([
    ["absent", REQUEST],
    ["false", { ...REQUEST, async: false }],
  ])("always sends async: true (when %s)", async (_name, body) => {
    const server = await startServer((_req, res) => json(res, 200, { task_id: TASK }));
    await client(server.url).createTask(body as SeedanceVideoRequest);
    expect(server.requests[0]!.body).toEqual({ ...REQUEST, async: true });
  });

  test.each([
    ["task_id and trace_id", { success: true, task_id: TASK, trace_id: TRACE }, { taskId: TASK, traceId: TRACE }],
    ["task_id only", { task_id: TASK }, { taskId: TASK }],
    ["id instead of task_id", { id: TASK, trace_id: TRACE }, { taskId: TASK, traceId: TRACE }],
  ])("reads the task id from %s", async (_name, body, expected) => {
    const server = await startServer((_req, res) => json(res, 200, body));
    expect(await client(server.url).createTask(REQUEST)).toEqual(expected);
  });

  test.each([
    ["no task id", { success: true }, "invalid_response", "upstream"],
    ["success false with an error", errorBody("bad_request", "model is invalid."), "bad_request", "invalid"],
    ["not JSON", "<html>oops</html>", "invalid_response", "upstream"],
  ])("a 200 with %s is an error, not a task", async (_name, body, code, kind) => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": typeof body === "string" ? "text/html" : "application/json" });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    });
    const error = await caught(client(server.url).createTask(REQUEST));
    expect(error).toMatchObject({ code, kind, status: 200 });
    expect(error.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });
});

describe("error mapping", () => {
  test.each<[number, string, string, SeedanceError["kind"], RegExp, boolean, string?]>([
    [400, "token_mismatched", "The specified token is not matched with API.", "upstream", /SEEDANCE_API_TOKEN/, false],
    [400, "api_not_implemented", "The API is not implemented.", "upstream", /SEEDANCE_API_BASE_URL/, false],
    [400, "disabled", "Your application has been disabled by Ace Data Cloud.", "upstream", /disabled.*support/, false],
    [400, "bad_request", "model is invalid.", "invalid", /^Fix the request: SeeDance rejected one of its fields\. SeeDance said: "model is invalid\."$/, false],
    [400, "no_token", "No token specified for the request.", "upstream", /SEEDANCE_API_TOKEN/, false],
    [401, "invalid_token", "The specified token is invalid or wrong.", "upstream", /^The SeeDance API token was rejected\. Check SEEDANCE_API_TOKEN on the server\.$/, false],
    [401, "token_expired", "token expired.", "upstream", /expired.*SEEDANCE_API_TOKEN/, false],
    [401, "token_mismatched", "token and api does not match.", "upstream", /SEEDANCE_API_TOKEN/, false],
    [403, "used_up", "Your balance is not sufficient for current request.", "credit", /^Your SeeDance balance is used up\. Top up your account, then retry\.$/, false],
    [404, "no_api", "API does not exist, please make sure url is correct.", "upstream", /SEEDANCE_API_BASE_URL/, false],
    [404, "not_found", "Task not found.", "upstream", /does not know this task/, false],
    [413, "request_too_large", "Request body is too large.", "too_large", /^The request is too large — usually a big base64 image\. Use a smaller image or an https URL\.$/, false],
    [429, "too_many_requests", "You have exceeded the rate limit.", "rate_limited", /^SeeDance is busy \(it is rate-limiting requests\): this clip was not started and nothing was charged\. Press Retry in a minute\.$/, true],
    [500, "api_error", "fetch failed", "upstream", /^SeeDance had an internal error\. Try again in a minute\.$/, true],
    [500, "internal_error", "An internal or upstream error occurred", "upstream", /internal error\. Try again in a minute/, true],
    [400, "bad_request", "InputTextSensitiveContentDetected: the prompt may contain sensitive content", "invalid", /content policy.*Change the prompt/, false, "policy_input"],
    [400, "bad_request", "InputImageSensitiveContentDetected.PrivacyInformation", "invalid", /content policy.*real person's face/, false, "policy_face"],
    [500, "api_error", "OutputVideoSensitiveContentDetected.PolicyViolation", "invalid", /content policy blocked the generated clip/, false, "policy_output"],
    [502, "", "Bad gateway", "upstream", /internal error/, true],
    [418, "", "I'm a teapot", "invalid", /^Fix the request: SeeDance rejected one of its fields\. SeeDance said: "I'm a teapot"$/, false],
  ])("%i %s → %s", async (status, code, upstreamMessage, kind, message, retryable, ours) => {
    const body = code ? errorBody(code, upstreamMessage) : { error: { message: upstreamMessage }, trace_id: TRACE };
    const server = await startServer((_req, res) => json(res, status, body));
    const error = await caught(client(server.url, { retry: { retries: 0 } }).createTask(REQUEST));
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    // Our code: the upstream's own where it documents one, the content policy's where its words name it.
    expect(error.code).toBe(ours ?? (code || (status >= 500 ? "internal_error" : "bad_request")));
    expect(error.traceId).toBe(TRACE);
    expect(error.upstreamMessage).toBe(upstreamMessage);
    expect(error.message).toMatch(message);
    expect(error.retryable).toBe(retryable);
    expect(error.toJSON()).toEqual({ kind, code: error.code, message: error.message, traceId: TRACE, status });
  });

  test("every documented code has a table entry", () => {
    expect(Object.keys(SEEDANCE_ERROR_CODES).sort()).toEqual(
      [
        "token_mismatched", "api_not_implemented", "disabled", "bad_request", "no_token", "invalid_token", "token_expired",
        "used_up", "no_api", "not_found", "request_too_large", "too_many_requests", "api_error", "internal_error",
      ].sort(),
    );
  });

  test.each([
    ["a detail string", 422, { detail: "duration must be an integer" }, 'Fix the request: SeeDance rejected one of its fields. SeeDance said: "duration must be an integer"'],
    ["plain text", 503, "Service Unavailable", "SeeDance had an internal error. Try again in a minute."],
    ["an empty body", 401, "", "The SeeDance API token was rejected. Check SEEDANCE_API_TOKEN on the server."],
  ])("errorFromResponse reads %s", (_name, status, body, message) => {
    const error = errorFromResponse(status, body, new Headers({ "x-trace-id": "hdr-trace" }));
    expect(error.message).toBe(message);
    expect(error.traceId).toBe("hdr-trace");
  });

  test("toPlainError hides anything that is not a SeedanceError", () => {
    expect(toPlainError(new Error(`boom ${TOKEN}`))).toEqual({
      kind: "upstream",
      code: "upstream_error",
      message: "Something went wrong talking to SeeDance. Try again in a minute.",
    });
  });
});

describe("a create's retry budget", () => {
  test("a Retry-After that would end past the budget is not waited for: one attempt, an error saying nothing started", async () => {
    const server = await startServer((_req, res) => json(res, 429, errorBody("too_many_requests", "slow down"), { "retry-after": "3" }));
    const started = Date.now();
    const error = await caught(client(server.url, { retry: { maxRetryAfterMs: 60_000, createBudgetMs: 1000 } }).createTask(REQUEST));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(server.requests).toHaveLength(1);
    expect(error).toMatchObject({ kind: "rate_limited", nothingStarted: true, retryAfterMs: 3000 });
  });

  test("waits that fit the budget are taken; the total stays within it", async () => {
    const server = await startServer((_req, res, index) =>
      index < 5 ? json(res, 429, errorBody("too_many_requests", "slow down"), { "retry-after": "0.3" }) : json(res, 200, { task_id: TASK }),
    );
    const started = Date.now();
    const error = await caught(client(server.url, { retry: { retries: 10, createBudgetMs: 1000 } }).createTask(REQUEST));
    // 0.3 s waits: three fit in 1 s, the fourth would end past it.
    expect(server.requests).toHaveLength(4);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(error.nothingStarted).toBe(true);
  });

  test("a failure that may have started a task (a 500) is not marked as safe to send again", async () => {
    const server = await startServer((_req, res) => json(res, 500, errorBody("api_error", "boom")));
    const error = await caught(client(server.url).createTask(REQUEST));
    expect(error.nothingStarted).toBe(false);
  });
});

describe("Retry-After", () => {
  test.each([
    ["seconds", "2", 2000],
    ["fractional seconds", "0.25", 250],
    ["an HTTP date", new Date(1_000_000 + 3000).toUTCString(), 3000],
    ["a date in the past", new Date(0).toUTCString(), 0],
    ["garbage", "soon", undefined],
    ["absent", undefined, undefined],
  ])("parses %s", (_name, value, expected) => {
    // HTTP dates have whole seconds: pin "now" on a second boundary.
    expect(parseRetryAfter(value, 1_000_000)).toBe(expected);
  });

  test("a read waits at least Retry-After before retrying a 429", async () => {
    const server = await startServer((_req, res, i) =>
      i === 0 ? json(res, 429, errorBody("too_many_requests", "slow down"), { "retry-after": "1" }) : json(res, 200, succeededRecord({ status: "succeeded", video_url: VIDEO })),
    );
    const state = await client(server.url).retrieveTask(TASK);
    expect(state?.state).toBe("succeeded");
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(990);
  });

  test("a create is retried on 429 after Retry-After (an HTTP date)", async () => {
    const server = await startServer((_req, res, i) =>
      i === 0
        ? json(res, 429, errorBody("too_many_requests", "slow down"), { "retry-after": new Date(Date.now() + 2000).toUTCString() })
        : json(res, 200, { task_id: TASK }),
    );
    expect(await client(server.url).createTask(REQUEST)).toEqual({ taskId: TASK });
    expect(server.requests).toHaveLength(2);
    // The date has whole-second precision, so the wait is at least ~1 s.
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(990);
  });

  test("a Retry-After longer than we wait for is thrown with retryAfterMs", async () => {
    const server = await startServer((_req, res) => json(res, 429, errorBody("too_many_requests", "slow down"), { "retry-after": "120" }));
    const error = await caught(client(server.url).retrieveTasks([TASK]));
    expect(error).toMatchObject({ kind: "rate_limited", retryAfterMs: 120_000 });
    expect(server.requests).toHaveLength(1);
  });
});

describe("retries", () => {
  test("reads are retried on 5xx, then succeed", async () => {
    const server = await startServer((_req, res, i) =>
      i === 0 ? json(res, 500, errorBody("api_error", "fetch failed")) : i === 1 ? json(res, 503, "unavailable") : json(res, 200, succeededRecord({ status: "succeeded", video_url: VIDEO })),
    );
    expect((await client(server.url).retrieveTask(TASK))?.state).toBe("succeeded");
    expect(server.requests).toHaveLength(3);
  });

  test("reads give up after the configured retries", async () => {
    const server = await startServer((_req, res) => json(res, 500, errorBody("api_error", "fetch failed")));
    const error = await caught(client(server.url, { retry: { retries: 2 } }).retrieveTasks([TASK]));
    expect(error).toMatchObject({ kind: "upstream", status: 500, traceId: TRACE });
    expect(server.requests).toHaveLength(3);
  });

  test("reads are not retried on a 4xx", async () => {
    const server = await startServer((_req, res) => json(res, 401, errorBody("invalid_token", "The specified token is invalid or wrong.")));
    const error = await caught(client(server.url).retrieveTask(TASK));
    expect(error.kind).toBe("upstream");
    expect(server.requests).toHaveLength(1);
  });

  test("reads are retried after a timeout", async () => {
    const server = await startServer((_req, res, i) => {
      if (i > 0) json(res, 200, succeededRecord({ status: "succeeded", video_url: VIDEO }));
    });
    expect((await client(server.url, { timeoutMs: 150 }).retrieveTask(TASK))?.state).toBe("succeeded");
    expect(server.requests).toHaveLength(2);
  });

  test("a create is not retried on a 500", async () => {
    const server = await startServer((_req, res) => json(res, 500, errorBody("api_error", "fetch failed")));
    const error = await caught(client(server.url).createTask(REQUEST));
    expect(error).toMatchObject({ kind: "upstream", status: 500 });
    expect(server.requests).toHaveLength(1);
  });

  test("a create is not retried after a timeout", async () => {
    const server = await startServer(() => {
      /* never answers */
    });
    const started = Date.now();
    const error = await caught(client(server.url, { timeoutMs: 150 }).createTask(REQUEST));
    expect(error).toMatchObject({ kind: "unavailable", code: "timeout" });
    expect(error.retryable).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await new Promise((r) => setTimeout(r, 100));
    expect(server.requests).toHaveLength(1);
  });

  test("a timeout also bounds an answer whose body trickles in, and an endless answer is cut off", async () => {
    const trickle = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"success": true,');
      /* the rest never comes */
    });
    expect(await caught(client(trickle.url, { timeoutMs: 150 }).createTask(REQUEST))).toMatchObject({ kind: "unavailable", code: "timeout" });

    const endless = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once("drain", pump);
      };
      pump();
    });
    const error = await caught(client(endless.url, { timeoutMs: 10_000 }).createTask(REQUEST));
    expect(error).toMatchObject({ kind: "unavailable", code: "network_error" });
  });

  test("a create is not retried after a dropped connection", async () => {
    const server = await startServer((_req, res) => res.socket?.destroy());
    const error = await caught(client(server.url).createTask(REQUEST));
    expect(error).toMatchObject({ kind: "unavailable", code: "network_error" });
    await new Promise((r) => setTimeout(r, 50));
    expect(server.requests).toHaveLength(1);
  });

  test("a create is retried on 429 (nothing was started)", async () => {
    const server = await startServer((_req, res, i) =>
      i < 2 ? json(res, 429, errorBody("too_many_requests", "You have exceeded the rate limit.")) : json(res, 200, { task_id: TASK, trace_id: TRACE }),
    );
    expect(await client(server.url).createTask(REQUEST)).toEqual({ taskId: TASK, traceId: TRACE });
    expect(server.requests).toHaveLength(3);
  });

  test("a create against a closed port fails as a network error after retrying", async () => {
    const port = await freePort();
    const started = Date.now();
    const error = await caught(client(`http://127.0.0.1:${port}`, { retry: { retries: 2, baseDelayMs: 50, maxDelayMs: 50 } }).createTask(REQUEST));
    expect(error).toMatchObject({ kind: "unavailable", code: "network_error" });
    expect(error.message).toMatch(/Could not reach the SeeDance API/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test("a create is retried on connection refused until the server is up", async () => {
    const port = await freePort();
    const later = new Promise<TestServer>((resolve) =>
      setTimeout(() => resolve(startServer((_req, res) => json(res, 200, { task_id: TASK }), port)), 150),
    );
    const result = await client(`http://127.0.0.1:${port}`, { retry: { retries: 30, baseDelayMs: 20, maxDelayMs: 100 } }).createTask(REQUEST);
    expect(result).toEqual({ taskId: TASK });
    expect((await later).requests).toHaveLength(1);
  });

  test("a read that times out gives kind timeout", async () => {
    const server = await startServer(() => {
      /* never answers */
    });
    const error = await caught(client(server.url, { timeoutMs: 100, retry: { retries: 0 } }).retrieveTask(TASK));
    expect(error).toMatchObject({ kind: "unavailable", code: "timeout" });
    expect(error.message).toMatch(/did not answer in time/);
  });
});

describe("retrieveTask", () => {
  test("posts {id, action: retrieve} to /seedance/tasks", async () => {
    const server = await startServer((_req, res) => json(res, 200, { id: TASK, type: "videos", trace_id: TRACE }));
    expect(await client(server.url).retrieveTask(TASK)).toEqual({ state: "pending", taskId: TASK, traceId: TRACE });
    expect(server.requests[0]).toMatchObject({ path: "/seedance/tasks", body: { id: TASK, action: "retrieve" } });
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  test.each<[string, unknown, unknown]>([
    ["data as an object", succeededRecord({ task_id: "cgt-1", status: "succeeded", video_url: VIDEO, last_frame_url: null }), { state: "succeeded", taskId: TASK, traceId: TRACE, videoUrl: VIDEO }],
    ["data as a one-item array", succeededRecord([{ task_id: "cgt-1", status: "succeeded", video_url: VIDEO }]), { state: "succeeded", taskId: TASK, traceId: TRACE, videoUrl: VIDEO }],
    [
      "Ark fields: id, content.video_url, seed, usage",
      succeededRecord({ id: "cgt-1", status: "succeeded", content: { video_url: VIDEO }, seed: 10, usage: { completion_tokens: 108900, total_tokens: 108900 } }),
      { state: "succeeded", taskId: TASK, traceId: TRACE, videoUrl: VIDEO, seed: 10, usage: { completionTokens: 108900, totalTokens: 108900 } },
    ],
    ["a last frame", succeededRecord({ status: "succeeded", video_url: VIDEO, last_frame_url: "https://cdn/last.png" }), { state: "succeeded", taskId: TASK, traceId: TRACE, videoUrl: VIDEO, lastFrameUrl: "https://cdn/last.png" }],
    ["success without a status", succeededRecord({ video_url: VIDEO }), { state: "succeeded", taskId: TASK, traceId: TRACE, videoUrl: VIDEO }],
    ["no response yet", { id: TASK, type: "videos", trace_id: TRACE }, { state: "pending", taskId: TASK, traceId: TRACE }],
    ["still processing", succeededRecord({ status: "processing" }), { state: "pending", taskId: TASK, traceId: TRACE, upstreamStatus: "processing" }],
    ["succeeded but no video yet", succeededRecord({ status: "succeeded" }), { state: "pending", taskId: TASK, traceId: TRACE, upstreamStatus: "succeeded" }],
    [
      "success false",
      { id: TASK, response: { success: false, task_id: TASK, trace_id: TRACE, error: { code: "api_error", message: "fetch failed" } } },
      { state: "failed", taskId: TASK, traceId: TRACE, error: { code: "api_error", kind: "upstream", message: 'SeeDance had an internal error. Try again in a minute. SeeDance said: "fetch failed"', detail: "fetch failed", upstreamMessage: "fetch failed" } },
    ],
    [
      "a content-policy failure",
      { id: TASK, response: { success: false, error: { code: "api_error", message: "InputImageSensitiveContentDetected.PrivacyInformation" } } },
      { state: "failed", taskId: TASK, error: expect.objectContaining({ code: "policy_face", kind: "invalid", message: expect.stringMatching(/real person's face/) }) },
    ],
    ["status failed", succeededRecord({ status: "failed" }), { state: "failed", taskId: TASK, traceId: TRACE, error: { code: "task_failed", kind: "upstream", message: expect.stringMatching(/could not generate/) } }],
    ["status expired", succeededRecord({ status: "expired" }), { state: "expired", taskId: TASK, traceId: TRACE, error: { code: "expired", kind: "upstream", message: expect.stringMatching(/expired/) } }],
    ["status cancelled", succeededRecord({ status: "cancelled" }), { state: "cancelled", taskId: TASK, traceId: TRACE, error: { code: "cancelled", kind: "upstream", message: expect.stringMatching(/cancelled/) } }],
  ])("%s", async (_name, record, expected) => {
    const server = await startServer((_req, res) => json(res, 200, record));
    expect(await client(server.url).retrieveTask(TASK)).toEqual(expected);
  });

  test.each([
    ["a 404 not_found", 404, errorBody("not_found", "Task not found.")],
    ["an empty object", 200, {}],
    ["an empty batch", 200, { items: [], count: 0 }],
  ])("an unknown id (%s) is null", async (_name, status, body) => {
    const server = await startServer((_req, res) => json(res, status, body));
    expect(await client(server.url).retrieveTask("nope")).toBeNull();
    expect(server.requests).toHaveLength(1);
  });
});

describe("retrieveTasks", () => {
  const recordFor = (id: string) => ({ id, type: "videos", trace_id: `t-${id}` });

  test("one retrieve_batch call for many ids; unknown ids are absent", async () => {
    const server = await startServer((req, res) => {
      const ids = (req.body as { ids: string[] }).ids.filter((id) => id !== "unknown");
      json(res, 200, { items: ids.map(recordFor), count: ids.length });
    });
    const states = await client(server.url).retrieveTasks(["a", "b", "unknown", "a"]);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ path: "/seedance/tasks", body: { ids: ["a", "b", "unknown"], action: "retrieve_batch" } });
    expect([...states.keys()].sort()).toEqual(["a", "b"]);
    expect(states.get("a")).toEqual({ state: "pending", taskId: "a", traceId: "t-a" });
  });

  test("more than 100 ids are sent in chunks of 100", async () => {
    const server = await startServer((req, res) => {
      const ids = (req.body as { ids: string[] }).ids;
      json(res, 200, { items: ids.map((id) => succeededRecord({ status: "succeeded", video_url: `${VIDEO}?${id}` }, {})).map((r, i) => ({ ...r, id: ids[i] })), count: ids.length });
    });
    const ids = Array.from({ length: 250 }, (_, i) => `task-${i}`);
    const states = await client(server.url).retrieveTasks(ids);
    expect(server.requests.map((r) => (r.body as { ids: string[] }).ids.length)).toEqual([100, 100, 50]);
    expect(states.size).toBe(250);
    expect(states.get("task-249")).toMatchObject({ state: "succeeded", videoUrl: `${VIDEO}?task-249` });
  });

  test("no ids, no call", async () => {
    const server = await startServer((_req, res) => json(res, 200, { items: [], count: 0 }));
    expect((await client(server.url).retrieveTasks([])).size).toBe(0);
    expect(server.requests).toHaveLength(0);
  });
});

describe("the token never leaks", () => {
  test.each<[string, Handler | "refused" | "timeout"]>([
    ["a 401 that echoes the token", (_req, res) => json(res, 401, errorBody("invalid_token", `Token ${TOKEN} is invalid`))],
    ["a 400 that echoes the token", (_req, res) => json(res, 400, errorBody("bad_request", `bad header Bearer ${TOKEN}`))],
    ["a 500 with the token in the trace id", (_req, res) => json(res, 500, { error: { code: "api_error", message: TOKEN }, trace_id: TOKEN })],
    ["a dropped connection", (_req, res) => res.socket?.destroy()],
    ["connection refused", "refused"],
    ["a timeout", "timeout"],
  ])("%s", async (_name, handler) => {
    let url: string;
    if (handler === "refused") url = `http://127.0.0.1:${await freePort()}`;
    else if (handler === "timeout") url = (await startServer(() => {})).url;
    else url = (await startServer(handler)).url;
    const c = client(url, { timeoutMs: 100, retry: { retries: 1 } });
    for (const call of [() => c.createTask(REQUEST), () => c.retrieveTask(TASK), () => c.retrieveTasks([TASK])]) {
      const error = await caught(call());
      for (const text of [error.message, error.upstreamMessage ?? "", JSON.stringify(error), JSON.stringify(error.toJSON()), inspect(error, { depth: 10 }), String(error.stack)]) {
        expect(text).not.toContain(TOKEN);
      }
    }
  });
});

describe("callback bodies (taskStateFromResult)", () => {
  test.each<[string, unknown, unknown]>([
    ["a success callback", { success: true, task_id: TASK, trace_id: TRACE, data: { task_id: "cgt-1", status: "succeeded", video_url: VIDEO } }, { state: "succeeded", taskId: TASK, traceId: TRACE, videoUrl: VIDEO }],
    ["a failure without success flag", { task_id: TASK, error: { code: "api_error", message: "fetch failed" } }, expect.objectContaining({ state: "failed", taskId: TASK })],
    ["no task id at all", { success: true, data: { video_url: VIDEO } }, null],
    ["not an object", "nope", null],
  ])("%s", (_name, body, expected) => {
    expect(taskStateFromResult(body)).toEqual(expected);
  });

  test("a body without a task id uses the fallback", () => {
    expect(taskStateFromResult({ success: true, data: { video_url: VIDEO } }, TASK)).toMatchObject({ state: "succeeded", taskId: TASK });
  });

  test("taskStateFromRecord ignores values that are not records", () => {
    expect(taskStateFromRecord(null)).toBeNull();
    expect(taskStateFromRecord({ type: "videos" })).toBeNull();
  });
});
