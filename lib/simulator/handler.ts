import "server-only";
import { randomBytes, randomUUID, createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { connection } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { englishIssue, englishMessage } from "@/lib/errors/english";
import { readTextCapped } from "@/lib/http/body";
import { sharedSecret } from "@/lib/db/secrets";
import { log } from "@/lib/log";
import { decodeImageDataUrl } from "@/lib/media/image-check";
import { extractLastFrame, imageSize, probeMedia } from "@/lib/media/probe";
import { checkReferenceAudio, checkReferenceVideo, referenceSetProblems } from "@/lib/media/reference-check";
import { SEEDANCE_ERROR_CODES } from "@/lib/seedance/errors";
import { BATCH_LIMIT } from "@/lib/seedance/client";
import { clipSeconds, FPS, IMAGE_LIMITS, MODELS, REFERENCE_ITEMS, type ModelId } from "@/lib/seedance/models";
import { seedanceVideoRequestSchema, type SeedanceVideoRequest } from "@/lib/seedance/schema";
import { seedanceCreateAnswer, seedanceErrorBody, seedanceResultBody, seedanceTaskRecord } from "@/lib/seedance/types";
import { downloadImage, fetchReference, ImageRefusedError, postCallback } from "./outbound";
import { renderClip } from "./render";
import { outputSize } from "./size";
import { SIMULATOR_FILE_LIFETIME_MS, simulatorStore, type SimulatorStore, type SimulatorTask } from "./store";
import { bearerMatches, simulatorToken } from "./token";

/**
 * The embedded upstream: `POST seedance/videos`, `POST seedance/tasks`, and the CDN-like
 * `GET files/<name>`, with the real API's auth, validation, error bodies and response shapes.
 * Failure injection for tests and demos:
 *   header `x-simulator-fail: 400|401|403|404|413|429|500` on a create answers that error (any
 *   other value is a 400 saying which are allowed); prompt markers `[sim:429]`, `[sim:500]` do
 *   the same; `[sim:fail]` and `[sim:policy]` make the task end failed; `[sim:stall]` keeps it
 *   pending (for expiry).
 * Its files live SIMULATOR_FILE_LIFETIME_MS after their last write; a sweep runs at first use
 * and every hour.
 */

const MAX_BODY_BYTES = 40 * 1024 * 1024;
const RENDER_CONCURRENCY = 2;
const SWEEP_EVERY_MS = 60 * 60 * 1000;

type ErrorCode = keyof typeof SEEDANCE_ERROR_CODES;
const STATUS_CODE: Record<number, ErrorCode> = {
  400: "bad_request",
  401: "invalid_token",
  403: "used_up",
  404: "not_found",
  413: "request_too_large",
  429: "too_many_requests",
  500: "api_error",
};
const VERBATIM: Partial<Record<ErrorCode, string>> = {
  bad_request: "model is invalid.",
  invalid_token: "The specified token is invalid or wrong.",
  used_up: "Your balance is not sufficient for current request, please buy more in Ace Data Cloud.",
  not_found: "The task was not found.",
  request_too_large: "Request body is too large.",
  too_many_requests: "You have exceeded the rate limit.",
  api_error: "Internal server error.",
};

function errorResponse(status: number, code: ErrorCode, message = VERBATIM[code] ?? code, headers: Record<string, string> = {}) {
  return Response.json(seedanceErrorBody(code, message, randomUUID()), { status, headers });
}

const json = (body: unknown, status = 200) => Response.json(body, { status });

interface SimulatorState {
  store: SimulatorStore;
  inflight: Map<string, Promise<void>>;
  renderSlots: number;
  renderQueue: (() => void)[];
}
const globalForSim = globalThis as unknown as { seedanceSimulator?: SimulatorState };

function state(): SimulatorState {
  if (!globalForSim.seedanceSimulator) {
    const store = simulatorStore(env().simulator.dir);
    const created: SimulatorState = { store, inflight: new Map(), renderSlots: RENDER_CONCURRENCY, renderQueue: [] };
    globalForSim.seedanceSimulator = created;
    // Unref'd: the sweep never keeps a process alive (a test, a script) on its own.
    setInterval(() => void sweepExpiredFiles(created), SWEEP_EVERY_MS).unref();
    void sweepExpiredFiles(created);
  }
  return globalForSim.seedanceSimulator;
}

/** Removes the files of tasks older than their lifetime (never those rendering now). */
export async function sweepExpiredFiles(s: Pick<SimulatorState, "store" | "inflight"> = state(), now = Date.now()): Promise<number> {
  try {
    const removed = await s.store.removeExpired({ before: now - SIMULATOR_FILE_LIFETIME_MS, keep: new Set(s.inflight.keys()) });
    if (removed > 0) log().info({ removed }, "simulator removed expired files");
    return removed;
  } catch (error) {
    log().warn({ err: error }, "simulator file sweep failed");
    return 0;
  }
}

async function withRenderSlot<T>(work: () => Promise<T>): Promise<T> {
  const s = state();
  if (s.renderSlots === 0) await new Promise<void>((resolve) => s.renderQueue.push(resolve));
  else s.renderSlots--;
  try {
    return await work();
  } finally {
    const next = s.renderQueue.shift();
    if (next) next();
    else s.renderSlots++;
  }
}

function publicFileUrl(name: string) {
  return `${env().internalBaseUrl}/api/simulator/files/${name}`;
}

/** The vendor's formula: width × height × frames / 1024, frames = seconds × 24 + 1. */
function usageTokens(width: number, height: number, seconds: number) {
  return Math.round((width * height * (Math.round(seconds * FPS) + 1)) / 1024);
}

/**
 * An automatic length (`duration: -1`): the model's shortest plus 0-4 s, chosen by the prompt and
 * the seed, so the same request always gets the same length.
 */
export function automaticSeconds(model: ModelId, prompt: string, seed: number): number {
  const digest = createHash("sha256").update(`${prompt}\u0000${seed}`).digest();
  return MODELS[model].durationMin + (digest[0]! % 5);
}

/** The result body: what a sync create returns, a callback POSTs, and a record's `response` holds. */
function resultBody(task: SimulatorTask) {
  const ids = { id: task.id, traceId: task.traceId, upstreamId: task.upstreamId, model: task.request.model };
  if (task.status === "failed") return seedanceResultBody(ids, { status: "failed", error: task.failure! });
  const req = task.request;
  const planned = renderPlan(task, null);
  const width = task.width ?? planned.width;
  const height = task.height ?? planned.height;
  const durationSec = task.durationSec ?? planned.durationSec;
  const tokens = usageTokens(width, height, durationSec);
  return seedanceResultBody(ids, {
    status: "succeeded",
    clip: {
      videoUrl: publicFileUrl(task.videoFile!),
      lastFrameUrl: task.lastFrameFile ? publicFileUrl(task.lastFrameFile) : null,
      seed: task.seed,
      duration: Math.round(durationSec),
      resolution: req.resolution ?? MODELS[req.model].defaultResolution,
      ratio: req.ratio ?? (MODELS[req.model].framesForceAdaptive && task.images.firstFrame ? "adaptive" : "16:9"),
      framespersecond: FPS,
      usage: { completion_tokens: tokens, total_tokens: tokens },
    },
  });
}

/** A task record as `/seedance/tasks` returns it: no `response` while pending. */
function taskRecord(task: SimulatorTask) {
  return seedanceTaskRecord(
    {
      id: task.id,
      traceId: task.traceId,
      createdAtMs: task.createdAt,
      ...(task.startedAt ? { startedAtMs: task.startedAt } : {}),
      ...(task.finishedAt ? { finishedAtMs: task.finishedAt } : {}),
      request: elideImages(task.request),
    },
    task.status !== "pending" ? resultBody(task) : undefined,
  );
}

function elideImages(request: SeedanceVideoRequest) {
  return {
    ...request,
    content: request.content.map((item) =>
      item.type === "image_url" && item.image_url.url.startsWith("data:") ? { ...item, image_url: { url: "data:...(elided)" } } : item,
    ),
  };
}

/**
 * Size and length of the clip. `shapeSource` is what `adaptive` follows: the first frame, or for
 * an edit or extend the reference video (its size, its last frame). An automatic length is
 * `automaticSeconds`; an edit lasts as long as its reference (`editSeconds`).
 */
function renderPlan(task: SimulatorTask, shapeSource: { width: number; height: number } | null, editSeconds?: number) {
  const req = task.request;
  const caps = MODELS[req.model];
  const resolution = req.resolution ?? caps.defaultResolution;
  const type = req.omni_reference_task_type;
  const forcedAdaptive = type === "edit" || type === "extend" || (caps.framesForceAdaptive && task.images.firstFrame);
  const ratio = forcedAdaptive ? "adaptive" : (req.ratio ?? (task.images.firstFrame ? "adaptive" : "16:9"));
  const [width, height] = outputSize({ resolution, ratio, firstFrameSize: shapeSource ?? undefined, defaultResolution: caps.defaultResolution });
  const prompt = req.content.find((c) => c.type === "text")?.text ?? "";
  const durationSec =
    type === "edit" && editSeconds
      ? editSeconds
      : req.duration === -1 && !req.frames
        ? automaticSeconds(req.model, prompt, task.seed)
        : clipSeconds(req);
  return { width, height, durationSec };
}

class ReferenceFailure extends Error {}

const REFERENCE_BYTES = { image: IMAGE_LIMITS.maxBytes, video: 100 * 1024 * 1024, audio: 15 * 1024 * 1024 } as const;

/**
 * Every reference URL of the task, fetched as the upstream fetches them (over HTTP, no cookies),
 * then checked against the model's limits. A URL that cannot be read, or media over a limit,
 * fails the task with a parameter error naming the item, as the provider's does.
 */
async function fetchReferences(task: SimulatorTask, dir: string) {
  const files = { image: [] as string[], video: [] as string[], audio: [] as string[] };
  const checked = { video: [] as { seconds: number; bytes: number }[], audio: [] as { seconds: number }[] };
  for (const ref of task.references ?? []) {
    const n = files[ref.kind].length + 1;
    const file = path.join(dir, `ref-${ref.kind}-${n}`);
    const where = `content[${ref.index}].${REFERENCE_ITEMS[ref.kind].type}.url`;
    const failure = await fetchReference(ref.url, file, REFERENCE_BYTES[ref.kind]);
    if (failure) throw new ReferenceFailure(`InvalidParameter: ${where}: the reference ${ref.kind} could not be read: ${failure}.`);
    const bytes = (await fs.promises.stat(file)).size;
    if (ref.kind === "video") {
      const video = await checkReferenceVideo(task.request.model, file, bytes, n);
      if ("code" in video) throw new ReferenceFailure(`InvalidParameter: ${where}: ${englishMessage(video)}`);
      checked.video.push(video);
    } else if (ref.kind === "audio") {
      const audio = await checkReferenceAudio(task.request.model, file, bytes, n);
      if ("code" in audio) throw new ReferenceFailure(`InvalidParameter: ${where}: ${englishMessage(audio)}`);
      checked.audio.push(audio);
    } else if (!(await imageSize(file).catch(() => null))) {
      throw new ReferenceFailure(`InvalidParameter: ${where}: the reference image could not be decoded.`);
    }
    files[ref.kind].push(file);
  }
  const problem = task.references?.length ? referenceSetProblems(task.request.model, checked.video, checked.audio)[0] : undefined;
  if (problem) throw new ReferenceFailure(`InvalidParameter: content: ${englishMessage(problem.error)}`);
  return files;
}

/** An image of the request as a file; ImageRefusedError for an address or size the simulator will not fetch. */
async function materializeImage(url: string | undefined, dir: string, name: string): Promise<string | undefined> {
  if (!url) return undefined;
  if (url.startsWith("data:")) {
    try {
      const image = decodeImageDataUrl(url, name);
      const file = path.join(dir, `${name}.${image.ext}`);
      await fs.promises.writeFile(file, image.bytes);
      return file;
    } catch {
      return undefined;
    }
  }
  // A real upstream downloads https images itself; on a closed network that may fail, and
  // then the simulator renders without the image rather than failing the task.
  const file = path.join(dir, `${name}.img`);
  return (await downloadImage(url, file)) ? file : undefined;
}

async function deliverCallback(task: SimulatorTask) {
  if (!task.callbackUrl || task.callbackDelivered) return;
  for (let attempt = 0; attempt < 3; attempt++) {
    const outcome = await postCallback(task.callbackUrl, resultBody(task));
    if (outcome.delivered) {
      task.callbackDelivered = true;
      task.callbackError = undefined;
      await state().store.save(task);
      return;
    }
    task.callbackError = outcome.reason;
    if (!outcome.retry) break;
    await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)));
  }
  log().warn({ taskId: task.id, reason: task.callbackError }, "simulator callback not delivered");
  await state().store.save(task);
}

/** Runs a task to the end once per process; a restart resumes it on the next retrieve. */
function ensureProcessing(task: SimulatorTask): Promise<void> {
  const s = state();
  if (task.status !== "pending" || task.failWith?.code === "stall") return Promise.resolve();
  const existing = s.inflight.get(task.id);
  if (existing) return existing;
  const work = (async () => {
    // The copy we were handed may have been read before a run that has since finished (a
    // retrieve reads the file, the run saves and leaves the map, then the retrieve gets here):
    // the stored state decides, or the task renders, fetches its references and calls back twice.
    const stored = await s.store.load(task.id);
    if (stored && stored.status !== "pending") return;
    const wait = task.readyAt - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    task.startedAt ??= Date.now();
    if (task.failWith) {
      task.status = "failed";
      task.failure = task.failWith;
    } else {
      try {
        await withRenderSlot(async () => {
          const workDir = path.join(s.store.filesDir, `${task.id}.work`);
          await fs.promises.mkdir(workDir, { recursive: true });
          const refs = await fetchReferences(task, workDir);
          const type = task.request.omni_reference_task_type;
          const source = refs.video[0];
          let firstFramePath = task.images.firstFrame;
          let shape = firstFramePath ? await imageSize(firstFramePath).catch(() => null) : null;
          let editSeconds: number | undefined;
          if ((type === "edit" || type === "extend") && source) {
            const info = await probeMedia(source);
            shape = { width: info.width, height: info.height };
            editSeconds = info.durationSec;
            if (type === "extend") {
              // Only the new segment, starting from where the reference ends.
              firstFramePath = path.join(workDir, "extend-from.png");
              await extractLastFrame(source, firstFramePath);
            }
          }
          const { width, height, durationSec } = renderPlan(task, shape, editSeconds);
          const prompt = task.request.content.find((c) => c.type === "text")?.text ?? "";
          const caps = MODELS[task.request.model];
          const result = await renderClip({
            outDir: workDir,
            width,
            height,
            durationSec,
            prompt,
            seed: task.seed,
            firstFramePath,
            lastFramePath: task.images.lastFrame,
            referenceImagePaths: refs.image,
            // An extend continues from the video instead of blending it; an edit transforms it.
            referenceVideoPaths: type === "extend" || type === "edit" ? [] : refs.video,
            referenceAudioPaths: refs.audio,
            editSourcePath: type === "edit" ? source : undefined,
            container: caps.acceptsTaskOptions && task.request.output_format === "mov" ? "mov" : "mp4",
            cameraFixed: task.request.camerafixed ?? false,
            watermark: task.request.watermark ?? false,
            audio: Boolean(task.request.generate_audio && MODELS[task.request.model].acceptsAudio),
            lastFramePng: Boolean(task.request.return_last_frame && MODELS[task.request.model].acceptsReturnLastFrame),
          });
          task.videoFile = `${task.id}${path.extname(result.videoPath)}`;
          task.width = width;
          task.height = height;
          task.durationSec = durationSec;
          await fs.promises.rename(result.videoPath, path.join(s.store.filesDir, task.videoFile));
          if (result.lastFramePath) {
            task.lastFrameFile = `${task.id}-last.png`;
            await fs.promises.rename(result.lastFramePath, path.join(s.store.filesDir, task.lastFrameFile));
          }
          await fs.promises.rm(workDir, { recursive: true, force: true });
        });
        task.status = "succeeded";
      } catch (error) {
        task.status = "failed";
        if (error instanceof ReferenceFailure) {
          task.failure = { code: "bad_request", message: error.message };
        } else {
          log().error({ err: error, taskId: task.id }, "simulator render failed");
          task.failure = { code: "api_error", message: "The simulator could not render this clip." };
        }
        await fs.promises.rm(path.join(s.store.filesDir, `${task.id}.work`), { recursive: true, force: true });
      }
    }
    task.finishedAt = Date.now();
    await s.store.save(task);
    await deliverCallback(task);
  })().finally(() => s.inflight.delete(task.id));
  s.inflight.set(task.id, work);
  return work;
}

const INJECTABLE_STATUSES = Object.keys(STATUS_CODE).join(", ");

/** `x-simulator-fail` / `[sim:NNN]`: one of the contract's error statuses, or a 400 saying which are. */
function injectedFailure(request: Request, prompt: string): Response | null {
  const header = request.headers.get("x-simulator-fail")?.trim() || undefined;
  const marker = /\[sim:(\d+)\]/.exec(prompt)?.[1];
  const value = header ?? marker;
  if (value === undefined) return null;
  const status = /^\d{3}$/.test(value) ? Number(value) : NaN;
  const code = STATUS_CODE[status];
  if (!code) {
    const where = header !== undefined ? "x-simulator-fail" : "The prompt marker [sim:NNN]";
    return errorResponse(400, "bad_request", `${where} must be one of the upstream's error statuses (${INJECTABLE_STATUSES}), not "${value.slice(0, 20)}".`);
  }
  return errorResponse(status, code, undefined, status === 429 ? { "retry-after": "1" } : {});
}

function taskFailureFor(prompt: string): SimulatorTask["failWith"] {
  if (prompt.includes("[sim:policy]")) {
    return { code: "api_error", message: "InputTextSensitiveContentDetected: The request failed because the input text may contain sensitive information." };
  }
  if (prompt.includes("[sim:fail]")) return { code: "api_error", message: "Video generation failed upstream." };
  if (prompt.includes("[sim:stall]")) return { code: "stall", message: "" };
  return undefined;
}

/** The body as JSON, read with a running cap: a larger body is refused at the cap, never held whole. */
async function readJson(request: Request): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const tooLarge = () => ({
    ok: false as const,
    response: errorResponse(413, "request_too_large", `Request body is too large: the simulator reads at most ${MAX_BODY_BYTES / 1024 / 1024} MB.`),
  });
  if (Number(request.headers.get("content-length") ?? "0") > MAX_BODY_BYTES) return tooLarge();
  let text: string;
  try {
    text = await readTextCapped(request, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof AppError && error.kind === "too_large") return tooLarge();
    throw error;
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, response: errorResponse(400, "bad_request", "Request body is not valid JSON.") };
  }
}

/** The request's reference items, by kind, with where each sits in `content`. */
function referencesOf(req: SeedanceVideoRequest): NonNullable<SimulatorTask["references"]> {
  return req.content.flatMap((item, index): NonNullable<SimulatorTask["references"]> => {
    if (item.type === "image_url" && item.role === "reference_image") return [{ kind: "image", url: item.image_url.url, index }];
    if (item.type === "video_url") return [{ kind: "video", url: item.video_url.url, index }];
    if (item.type === "audio_url") return [{ kind: "audio", url: item.audio_url.url, index }];
    return [];
  });
}

async function createVideo(request: Request): Promise<Response> {
  const body = await readJson(request);
  if (!body.ok) return body.response;
  const parsed = seedanceVideoRequestSchema.safeParse(body.value);
  const prompt = JSON.stringify((body.value as { content?: unknown })?.content ?? "");
  const injected = injectedFailure(request, prompt);
  if (injected) return injected;
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
    return errorResponse(400, "bad_request", `${where}${englishIssue(issue.message)}`);
  }
  const req = parsed.data;
  const s = state();
  await s.store.ensureDirs();
  const id = randomUUID();
  const workDir = path.join(s.store.filesDir, `${id}.inputs`);
  await fs.promises.mkdir(workDir, { recursive: true });
  const frameIndex = (role: "first_frame" | "last_frame") =>
    req.content.findIndex((c) => c.type === "image_url" && (c.role ?? "first_frame") === role);
  const images: SimulatorTask["images"] = {};
  for (const [key, role, name] of [["firstFrame", "first_frame", "first"], ["lastFrame", "last_frame", "last"]] as const) {
    const index = frameIndex(role);
    const item = req.content[index];
    if (item?.type !== "image_url") continue;
    try {
      images[key] = await materializeImage(item.image_url.url, workDir, name);
    } catch (error) {
      await fs.promises.rm(workDir, { recursive: true, force: true });
      if (error instanceof ImageRefusedError) return errorResponse(400, "bad_request", `content.${index}.image_url.url: ${error.message}`);
      throw error;
    }
  }

  const now = Date.now();
  const stamp = new Date(now).toISOString().replace(/\D/g, "").slice(0, 14);
  const task: SimulatorTask = {
    id,
    // 2.x answers a UUID inside `data`; 1.x the vendor's `cgt-...` (docs/seedance-contract.md#seedance-2x).
    upstreamId: MODELS[req.model].generation === "2.x" ? randomUUID() : `cgt-${stamp}-${randomBytes(3).toString("hex").slice(0, 5)}`,
    traceId: randomUUID(),
    createdAt: now,
    readyAt: now + env().simulator.delayMs,
    request: elideImages(req) as SeedanceVideoRequest,
    images,
    seed: req.seed !== undefined && req.seed >= 0 ? req.seed : randomBytes(4).readUInt32BE(0),
    status: "pending",
    failWith: taskFailureFor(prompt),
    callbackUrl: req.callback_url,
    references: referencesOf(req),
  };
  await s.store.save(task);
  const asynchronous = Boolean(req.async || req.callback_url);
  const processing = ensureProcessing(task);
  if (asynchronous) return json(seedanceCreateAnswer(task));
  await processing;
  return json(resultBody((await s.store.load(task.id)) ?? task), task.status === "failed" ? 500 : 200);
}

async function queryTasks(request: Request): Promise<Response> {
  const body = await readJson(request);
  if (!body.ok) return body.response;
  const value = body.value as { action?: unknown; id?: unknown; ids?: unknown };
  const store = state().store;
  const action = value.action ?? "retrieve";
  if (action === "retrieve") {
    if (typeof value.id !== "string") return errorResponse(400, "bad_request", "id is required.");
    const task = await store.load(value.id);
    if (!task) return errorResponse(404, "not_found", "The task was not found.");
    void ensureProcessing(task);
    return json(taskRecord(task));
  }
  if (action === "retrieve_batch") {
    if (!Array.isArray(value.ids)) return errorResponse(400, "bad_request", "ids must be a list of task ids.");
    // The client's own batch size is the provider's limit as we know it: more is refused before any is read.
    if (value.ids.length > BATCH_LIMIT) {
      return errorResponse(400, "bad_request", `ids: at most ${BATCH_LIMIT} task ids per retrieve_batch, not ${value.ids.length}.`);
    }
    if (!value.ids.every((id) => typeof id === "string")) return errorResponse(400, "bad_request", "ids must be a list of task ids.");
    const tasks = (await Promise.all((value.ids as string[]).map((id) => store.load(id)))).filter((t): t is SimulatorTask => t !== null);
    for (const task of tasks) void ensureProcessing(task);
    return json({ items: tasks.map(taskRecord), count: tasks.length });
  }
  return errorResponse(400, "bad_request", "action must be retrieve or retrieve_batch.");
}

async function serveFile(request: Request, name: string): Promise<Response> {
  const file = state().store.filePath(name);
  const info = file ? await fs.promises.stat(file).catch(() => null) : null;
  if (!file || !info) return new Response("Not found", { status: 404 });
  const type = name.endsWith(".mp4") ? "video/mp4" : name.endsWith(".mov") ? "video/quicktime" : "image/png";
  const stream = fs.createReadStream(file);
  return new Response(stream as unknown as ReadableStream, {
    headers: {
      "content-type": type,
      "content-length": String(info.size),
      etag: `"${createHash("sha1").update(`${name}:${info.size}:${info.mtimeMs}`).digest("hex")}"`,
      "x-content-type-options": "nosniff",
    },
  });
}

async function authorized(request: Request): Promise<boolean> {
  const header = request.headers.get("authorization");
  if (!header?.startsWith("Bearer ")) return false;
  const token = await simulatorToken(async (name) => sharedSecret({ db: (await connection()).db, name }));
  return bearerMatches(header, token);
}

export async function handleSimulatorRequest(request: Request, segments: string[]): Promise<Response> {
  if (!env().useSimulator) return new Response("Not found", { status: 404 });
  const route = segments.join("/");
  if (request.method === "GET" && segments[0] === "files" && segments.length === 2) return serveFile(request, segments[1]!);
  if (request.method !== "POST") return errorResponse(404, "no_api", "API does not exist, please make sure url is correct.");
  if (!(await authorized(request))) return errorResponse(401, "invalid_token");
  if (route === "seedance/videos") return createVideo(request);
  if (route === "seedance/tasks") return queryTasks(request);
  return errorResponse(404, "no_api", "API does not exist, please make sure url is correct.");
}
