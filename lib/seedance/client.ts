import "server-only";
/**
 * The single fetch funnel to the SeeDance API (docs/seedance-contract.md#endpoints): create
 * a task, follow tasks.
 * Reads are retried on 429/5xx/network/timeout; a create only when the upstream surely
 * started nothing (429, connection refused), so a clip is never paid for twice.
 */
import { SeedanceError, errorFromResponse } from "./errors";
import { postJson, type Transport, type UpstreamAnswer } from "./transport";
import type { SeedanceVideoRequest } from "./schema";
import {
  seedanceCreateResponseSchema,
  seedanceTaskBatchSchema,
  taskStateFromRecord,
  type SeedanceTaskState,
} from "./types";

export interface SeedanceRetryOptions {
  /** Extra attempts after the first. Default 4. */
  retries?: number;
  /** First backoff ceiling; doubles each attempt (full jitter). Default 500. */
  baseDelayMs?: number;
  /** Backoff ceiling. Default 8000. */
  maxDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for: the error is thrown with `retryAfterMs`. Default 60000. */
  maxRetryAfterMs?: number;
  /**
   * A create's retries (429, connection refused) stop once the next wait would end past this
   * many milliseconds from its first attempt. The caller holds the row's lease for the call, so
   * this bound is what keeps a create in flight from outliving the lease. Default 10000.
   */
  createBudgetMs?: number;
}

export interface SeedanceClientOptions {
  baseUrl: string;
  token: string;
  /** Per attempt, including reading the body. Default 30000. */
  timeoutMs?: number;
  retry?: SeedanceRetryOptions;
  /** How requests reach the upstream; node:http with kept-alive connections by default. */
  transport?: Transport;
}

export interface SeedanceClient {
  /**
   * `POST /seedance/videos`, always with `async: true`. Returns AceData's task id. A thrown
   * error with `nothingStarted` (429, connection refused) may be sent again later.
   */
  createTask(body: SeedanceVideoRequest): Promise<{ taskId: string; traceId?: string }>;
  /** `retrieve` of one task; null when the upstream does not know the id. */
  retrieveTask(id: string): Promise<SeedanceTaskState | null>;
  /** `retrieve_batch`, 100 ids per call; ids the upstream does not know are absent from the map. */
  retrieveTasks(ids: string[]): Promise<Map<string, SeedanceTaskState>>;
}

export const BATCH_LIMIT = 100;

type RetryPolicy = "read" | "create";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** ECONNREFUSED anywhere in the cause chain (including AggregateError from happy eyeballs). */
export function isConnectionRefused(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 8) return false;
  const e = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (e.code === "ECONNREFUSED") return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isConnectionRefused(inner, depth + 1))) return true;
  return isConnectionRefused(e.cause, depth + 1);
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === "TimeoutError" || name === "AbortError";
}

/** Never let the token leave in a message (an upstream may echo what it was sent). */
function redact(error: SeedanceError, token: string): SeedanceError {
  if (!token) return error;
  const scrub = (value: string | undefined) => (value === undefined ? undefined : value.split(token).join("[redacted]"));
  const touched = [error.detail, error.upstreamMessage, error.upstreamCode, error.traceId].some((v) => v?.includes(token));
  if (!touched) return error;
  return new SeedanceError({
    code: error.code,
    upstreamCode: scrub(error.upstreamCode),
    detail: scrub(error.detail),
    status: error.status,
    traceId: scrub(error.traceId),
    retryAfterMs: error.retryAfterMs,
    upstreamMessage: scrub(error.upstreamMessage),
  });
}

export function createSeedanceClient(opts: SeedanceClientOptions): SeedanceClient {
  const baseUrl = opts.baseUrl.replace(/\/+$/, "");
  const token = opts.token;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const retries = Math.max(0, opts.retry?.retries ?? 4);
  const baseDelayMs = opts.retry?.baseDelayMs ?? 500;
  const maxDelayMs = opts.retry?.maxDelayMs ?? 8000;
  const maxRetryAfterMs = opts.retry?.maxRetryAfterMs ?? 60_000;
  const createBudgetMs = opts.retry?.createBudgetMs ?? 10_000;
  const transport = opts.transport ?? postJson;
  /** Network errors where the upstream surely received nothing: safe to repeat a create. */
  const refusedErrors = new WeakSet<SeedanceError>();

  /** One attempt: the parsed JSON of a 2xx, or a SeedanceError (with `refused` for network failures). */
  async function attempt(path: string, body: unknown): Promise<unknown> {
    let answer: UpstreamAnswer;
    try {
      answer = await transport(`${baseUrl}${path}`, {
        headers: {
          authorization: `Bearer ${token}`,
          accept: "application/json",
          "content-type": "application/json",
        },
        body: JSON.stringify(body),
        timeoutMs,
      });
    } catch (error) {
      throw transportError(error);
    }
    const raw = answer.text;
    let parsed: unknown = raw;
    if (raw.trim() !== "") {
      try {
        parsed = JSON.parse(raw);
      } catch {
        parsed = raw;
      }
    }
    if (answer.status < 200 || answer.status > 299) throw errorFromResponse(answer.status, parsed, answer.headers);
    if (typeof parsed === "string") throw errorFromResponse(answer.status, undefined, answer.headers);
    return parsed;
  }

  function transportError(error: unknown): SeedanceError {
    if (isTimeout(error)) {
      return new SeedanceError({ code: "timeout" });
    }
    const refused = isConnectionRefused(error);
    const failure = new SeedanceError({
      code: "network_error",
      upstreamMessage: refused ? "connection refused" : describeCause(error),
    });
    if (refused) refusedErrors.add(failure);
    return failure;
  }

  function shouldRetry(error: SeedanceError, policy: RetryPolicy): boolean {
    if (policy === "create") return error.kind === "rate_limited" || refusedErrors.has(error);
    return error.retryable;
  }

  function backoff(attemptIndex: number, error: SeedanceError): number | undefined {
    if (error.retryAfterMs !== undefined) {
      return error.retryAfterMs > maxRetryAfterMs ? undefined : error.retryAfterMs;
    }
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attemptIndex);
    return Math.floor(Math.random() * ceiling);
  }

  async function post(path: string, body: unknown, policy: RetryPolicy): Promise<unknown> {
    const deadline = policy === "create" ? Date.now() + createBudgetMs : Infinity;
    for (let attemptIndex = 0; ; attemptIndex++) {
      try {
        return await attempt(path, body);
      } catch (caught) {
        const error = caught instanceof SeedanceError ? caught : transportError(caught);
        let delay = attemptIndex < retries && shouldRetry(error, policy) ? backoff(attemptIndex, error) : undefined;
        if (delay !== undefined && Date.now() + delay > deadline) delay = undefined;
        if (delay === undefined) throw finalError(error, policy);
        await sleep(delay);
      }
    }
  }

  /** The error the caller sees: redacted, and marked when a create surely started nothing. */
  function finalError(error: SeedanceError, policy: RetryPolicy): SeedanceError {
    const safe = redact(error, token);
    if (policy !== "create" || !(error.kind === "rate_limited" || refusedErrors.has(error))) return safe;
    const { code, upstreamCode, detail, status, traceId, retryAfterMs, upstreamMessage } = safe;
    return new SeedanceError({ code, upstreamCode, detail, status, traceId, retryAfterMs, upstreamMessage, nothingStarted: true });
  }

  async function createTask(body: SeedanceVideoRequest): Promise<{ taskId: string; traceId?: string }> {
    const json = await post("/seedance/videos", { ...body, async: true }, "create");
    const parsed = seedanceCreateResponseSchema.safeParse(json);
    const result = parsed.success ? parsed.data : undefined;
    const taskId = result?.task_id ?? result?.id ?? undefined;
    if (!taskId || result?.success === false) throw redact(errorFromResponse(200, json), token);
    const traceId = result?.trace_id ?? undefined;
    return traceId ? { taskId, traceId } : { taskId };
  }

  async function retrieveTask(id: string): Promise<SeedanceTaskState | null> {
    let json: unknown;
    try {
      json = await post("/seedance/tasks", { id, action: "retrieve" }, "read");
    } catch (error) {
      if (error instanceof SeedanceError && error.status === 404) return null;
      throw error;
    }
    // Tolerate a batch-shaped answer; an empty answer means an unknown id.
    const items = asRecord(json)?.items;
    const record = Array.isArray(items) ? items.find((item) => taskStateFromRecord(item)?.taskId === id) : json;
    const fields = asRecord(record);
    if (!fields || (fields.id == null && fields.task_id == null && fields.response == null)) return null;
    return taskStateFromRecord(fields, id);
  }

  async function retrieveTasks(ids: string[]): Promise<Map<string, SeedanceTaskState>> {
    const unique = [...new Set(ids)];
    const states = new Map<string, SeedanceTaskState>();
    for (let start = 0; start < unique.length; start += BATCH_LIMIT) {
      const chunk = unique.slice(start, start + BATCH_LIMIT);
      const json = await post("/seedance/tasks", { ids: chunk, action: "retrieve_batch" }, "read");
      const batch = seedanceTaskBatchSchema.safeParse(json);
      if (!batch.success) continue;
      const wanted = new Set(chunk);
      for (const item of batch.data.items) {
        const state = taskStateFromRecord(item);
        if (state && wanted.has(state.taskId)) states.set(state.taskId, state);
      }
    }
    return states;
  }

  return { createTask, retrieveTask, retrieveTasks };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function describeCause(error: unknown): string | undefined {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    const e = current as { message?: unknown; code?: unknown; cause?: unknown };
    const part = [typeof e.code === "string" ? e.code : undefined, typeof e.message === "string" ? e.message : undefined]
      .filter(Boolean)
      .join(" ");
    if (part) parts.push(part);
    current = e.cause;
  }
  return parts.length ? parts.join(": ") : undefined;
}
