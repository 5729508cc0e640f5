/**
 * What the upstream sends back, parsed tolerantly (docs/seedance-contract.md#responses), and
 * the one normalized task state the rest of the app reads. Wire types carry the provider's
 * name; ours do not.
 */
import { z } from "zod";
import type { ErrorCode, ErrorKind } from "@/lib/errors/codes";
import { englishMessage } from "@/lib/errors/english";
import { describeUpstreamError, upstreamDetail } from "./errors";

/**
 * Why a task did not produce a clip, in our vocabulary: `code` (with `kind`) is what rows store
 * and browsers render; `detail` is the upstream's reason shown after it; `message` is the English
 * of both; `upstreamMessage` and `upstreamCode` are for logs.
 */
export interface TaskFailure {
  code: ErrorCode;
  kind: ErrorKind;
  message: string;
  detail?: string;
  upstreamMessage?: string;
  upstreamCode?: string;
}

/** A field that may be missing, null or of an unexpected type: never fails the whole parse. */
const maybe = <T extends z.ZodType>(schema: T) => schema.nullish().catch(undefined);
const text = maybe(z.string());
const num = maybe(z.number());

const asObject = (value: unknown) => (Array.isArray(value) ? value[0] : value);

const seedanceErrorBodySchema = z.looseObject({ code: text, message: text });

/** `data` of a result: the AceData flattened shape, or raw Ark fields (`id`, `content.video_url`). */
export const seedanceVideoDataSchema = z.looseObject({
  task_id: text,
  id: text,
  status: text,
  model: text,
  video_url: text,
  content: maybe(z.looseObject({ video_url: text, last_frame_url: text })),
  last_frame_url: text,
  seed: num,
  duration: num,
  resolution: text,
  ratio: text,
  framespersecond: num,
  usage: maybe(z.looseObject({ completion_tokens: num, total_tokens: num })),
  error: maybe(seedanceErrorBodySchema),
});
export type SeedanceVideoData = z.output<typeof seedanceVideoDataSchema>;

/** A sync create answer, a callback body, or `response` of a task record: all one shape. */
export const seedanceResultSchema = z.looseObject({
  success: maybe(z.boolean()),
  task_id: text,
  id: text,
  trace_id: text,
  /** An object, or (older prose) a one-item list. */
  data: z.preprocess(asObject, maybe(seedanceVideoDataSchema)),
  error: maybe(seedanceErrorBodySchema),
  detail: z.unknown().optional(),
});
export type SeedanceResult = z.output<typeof seedanceResultSchema>;

/** The immediate answer to an async `POST /seedance/videos`. */
export const seedanceCreateResponseSchema = seedanceResultSchema;
export type SeedanceCreateResponse = SeedanceResult;

/** One `/seedance/tasks` record (S-OAS `SeedanceTaskRecord`): `response` appears when done. */
export const seedanceTaskRecordSchema = z.looseObject({
  id: text,
  task_id: text,
  trace_id: text,
  type: text,
  created_at: num,
  started_at: num,
  finished_at: num,
  elapsed: num,
  request: z.unknown().optional(),
  response: maybe(seedanceResultSchema),
});
export type SeedanceTaskRecord = z.output<typeof seedanceTaskRecordSchema>;

/** `retrieve_batch` answers `{items, count}`. */
export const seedanceTaskBatchSchema = z.looseObject({
  items: z.array(z.unknown()).catch([]),
  count: num,
});
export type SeedanceTaskBatch = z.output<typeof seedanceTaskBatchSchema>;

// -------------------------------------------------------------------------------------------
// Ours

export type SeedanceTaskState =
  | { state: "pending"; taskId: string; traceId?: string; upstreamStatus?: string }
  | {
      state: "succeeded";
      taskId: string;
      traceId?: string;
      videoUrl: string;
      lastFrameUrl?: string;
      seed?: number;
      usage?: { completionTokens?: number; totalTokens?: number };
    }
  | {
      state: "failed" | "expired" | "cancelled";
      taskId: string;
      traceId?: string;
      error: TaskFailure;
    };

const FAILED_STATUSES = new Set(["failed", "cancelled", "canceled", "expired"]);

/** The clip URL, wherever this variant of the answer put it. */
export function videoUrlOf(data: SeedanceVideoData | null | undefined): string | undefined {
  return data?.video_url ?? data?.content?.video_url ?? undefined;
}

/** The upstream (Ark) id inside `data`: `task_id ?? id`. Not the id `/seedance/tasks` wants. */
export function upstreamTaskIdOf(data: SeedanceVideoData | null | undefined): string | undefined {
  return data?.task_id ?? data?.id ?? undefined;
}

function failureFor(status: string | undefined, result: SeedanceResult): { state: "failed" | "expired" | "cancelled"; error: TaskFailure } {
  const state = status === "expired" ? "expired" : status === "cancelled" || status === "canceled" ? "cancelled" : "failed";
  const raw = result.error ?? result.data?.error;
  const upstreamMessage = raw?.message ?? (typeof result.detail === "string" ? result.detail : undefined) ?? undefined;
  const upstreamCode = raw?.code ?? undefined;
  if (!upstreamCode && !upstreamMessage) {
    const code = state === "failed" ? "task_failed" : state;
    return { state, error: { code, kind: "upstream", message: englishMessage({ code, params: {} }) } };
  }
  const described = describeUpstreamError(upstreamCode, upstreamMessage);
  // The upstream's own reason is shown after ours (docs/seedance-contract.md: show `error.message`).
  const detail = upstreamDetail(described.code, upstreamMessage);
  const error: TaskFailure = {
    code: described.code,
    kind: described.kind,
    message: englishMessage({ code: described.code, params: {}, detail } as Parameters<typeof englishMessage>[0]),
  };
  if (detail) error.detail = detail;
  if (upstreamMessage) error.upstreamMessage = upstreamMessage;
  if (described.upstreamCode) error.upstreamCode = described.upstreamCode;
  return { state, error };
}

/** The task-state rule (docs/seedance-contract.md#task-state), for a result whose task id is known. */
function stateOf(result: SeedanceResult, taskId: string, traceId: string | undefined): SeedanceTaskState {
  const base = traceId ? { taskId, traceId } : { taskId };
  const status = result.data?.status?.toLowerCase() ?? undefined;
  const videoUrl = videoUrlOf(result.data);
  const failedWithoutFlag = result.success == null && result.error != null && result.data == null;

  if (result.success === false || failedWithoutFlag || (status !== undefined && FAILED_STATUSES.has(status))) {
    return { ...base, ...failureFor(status, result) };
  }
  if (result.success === true && (status ?? "succeeded") === "succeeded" && videoUrl) {
    const data = result.data!;
    const state: Extract<SeedanceTaskState, { state: "succeeded" }> = { state: "succeeded", ...base, videoUrl };
    const lastFrameUrl = data.last_frame_url ?? data.content?.last_frame_url;
    if (lastFrameUrl) state.lastFrameUrl = lastFrameUrl;
    if (typeof data.seed === "number") state.seed = data.seed;
    if (data.usage) {
      const usage: { completionTokens?: number; totalTokens?: number } = {};
      if (typeof data.usage.completion_tokens === "number") usage.completionTokens = data.usage.completion_tokens;
      if (typeof data.usage.total_tokens === "number") usage.totalTokens = data.usage.total_tokens;
      state.usage = usage;
    }
    return state;
  }
  const pending: Extract<SeedanceTaskState, { state: "pending" }> = { state: "pending", ...base };
  if (result.data?.status) pending.upstreamStatus = result.data.status;
  return pending;
}

/**
 * A `/seedance/tasks` record as a state: no `response` means pending.
 * The id is the record's `id` (else `fallbackTaskId`); null when the value is not a record or has no id.
 */
export function taskStateFromRecord(input: unknown, fallbackTaskId?: string): SeedanceTaskState | null {
  const parsed = seedanceTaskRecordSchema.safeParse(input);
  if (!parsed.success) return null;
  const record = parsed.data;
  const taskId = record.id ?? record.task_id ?? record.response?.task_id ?? fallbackTaskId;
  if (!taskId) return null;
  const traceId = record.response?.trace_id ?? record.trace_id ?? undefined;
  if (!record.response) return traceId ? { state: "pending", taskId, traceId } : { state: "pending", taskId };
  return stateOf(record.response, taskId, traceId);
}

/**
 * A callback (or sync create) body as a state. The task id is the top-level `task_id`
 * (AceData's id, the one we stored), else `fallbackTaskId`. Null when neither is known.
 */
export function taskStateFromResult(body: unknown, fallbackTaskId?: string): SeedanceTaskState | null {
  const parsed = seedanceResultSchema.safeParse(body);
  if (!parsed.success) return null;
  const result = parsed.data;
  const taskId = result.task_id ?? result.id ?? fallbackTaskId;
  if (!taskId) return null;
  return stateOf(result, taskId, result.trace_id ?? undefined);
}

// -------------------------------------------------------------------------------------------
// The upstream's answers, built: the one place both stand-ins for the upstream (the simulator,
// lib/simulator, and the tests' fake, tests/unit/support/fake-upstream.ts) take their wire
// shapes from, so they answer as the parsers above read (docs/seedance-contract.md#responses).

/** What a finished clip's `data` carries besides its URL: the vendor's optional fields. */
export interface SeedanceClipFacts {
  videoUrl: string;
  /** `null` when the task was not asked for its last frame; absent to leave the key out. */
  lastFrameUrl?: string | null;
  seed?: number;
  duration?: number;
  resolution?: string;
  ratio?: string;
  framespersecond?: number;
  usage?: { completion_tokens: number; total_tokens: number };
}

/** How a task ended, as its result body tells it. */
export type SeedanceTaskOutcome =
  | { status: "succeeded"; clip: SeedanceClipFacts }
  | { status: "failed"; error: { code: string; message: string } };

/** Who a task is: AceData's id (top-level `task_id`), its trace id, the vendor's id and the model. */
export interface SeedanceTaskIds {
  id: string;
  traceId: string;
  upstreamId: string;
  model: string;
}

/** An error answer: `{success: false, error: {code, message}, trace_id}`. */
export function seedanceErrorBody(code: string, message: string, traceId: string) {
  return { success: false, error: { code, message }, trace_id: traceId };
}

/** The immediate answer to an async create. */
export function seedanceCreateAnswer(task: Pick<SeedanceTaskIds, "id" | "traceId">) {
  return { success: true, task_id: task.id, trace_id: task.traceId };
}

/** A result body: what a sync create returns, a callback POSTs, and a task record's `response` holds. */
export function seedanceResultBody(task: SeedanceTaskIds, outcome: SeedanceTaskOutcome) {
  const base = { task_id: task.id, trace_id: task.traceId };
  if (outcome.status === "failed") {
    return { success: false, ...base, error: outcome.error, data: { task_id: task.upstreamId, status: "failed", model: task.model } };
  }
  const { videoUrl, lastFrameUrl, ...vendorFields } = outcome.clip;
  return {
    success: true,
    ...base,
    data: {
      task_id: task.upstreamId,
      status: "succeeded",
      video_url: videoUrl,
      ...(lastFrameUrl !== undefined ? { last_frame_url: lastFrameUrl } : {}),
      model: task.model,
      ...vendorFields,
    },
  };
}

/**
 * A `/seedance/tasks` record: times in Unix seconds as floats, and a `response` (with
 * `finished_at` and `elapsed`) only once the task has one.
 */
export function seedanceTaskRecord(
  task: { id: string; traceId: string; createdAtMs: number; startedAtMs?: number; finishedAtMs?: number; request: unknown },
  response?: object,
): Record<string, unknown> {
  const record: Record<string, unknown> = { id: task.id, created_at: task.createdAtMs / 1000, trace_id: task.traceId, type: "videos", request: task.request };
  if (task.startedAtMs !== undefined) record.started_at = task.startedAtMs / 1000;
  if (response) {
    const finishedAtMs = task.finishedAtMs ?? Date.now();
    record.finished_at = finishedAtMs / 1000;
    record.elapsed = Math.round((finishedAtMs - task.createdAtMs) / 100) / 10;
    record.response = response;
  }
  return record;
}
