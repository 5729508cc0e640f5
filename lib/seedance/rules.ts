/**
 * The parts of the request contract that need no zod: image reference checks, the
 * capability rules, and building the upstream body. The browser loads these up front; the
 * zod schemas (./schema) use them and load when a form is first validated.
 */
import { coded, type Coded } from "@/lib/errors/codes";
import { MEDIA_PREFIX } from "@/lib/storage/keys";
import { imageBytesProblem, imageTypeProblem, isAcceptedImageType } from "./image-rules";
import { defaultDurationFor, IMAGE_LIMITS, MODELS, REFERENCE_ITEMS, resolutionOn, type ModelId, type ReferenceKind } from "./models";
import type { GenerationSpec, SeedanceContentItem, SeedanceVideoRequest } from "./schema";

/** Top-level parameters with the same name in our spec and in the upstream body. */
export const PARAMETER_KEYS = [
  "resolution",
  "ratio",
  "duration",
  "frames",
  "seed",
  "camerafixed",
  "watermark",
  "generate_audio",
  "service_tier",
  "return_last_frame",
  "execution_expires_after",
  "omni_reference_task_type",
  "output_format",
  "tools",
  "priority",
] as const;
export type ParameterKey = (typeof PARAMETER_KEYS)[number];

type SpecField = keyof GenerationSpec;

const DATA_URL = /^data:(image\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/=\s]+)$/i;

/** An image reference the upstream accepts: an https URL or a base64 data URL of a known type. */
export function imageUrlProblem(url: string): Coded | null {
  if (url.startsWith("data:")) {
    const match = DATA_URL.exec(url);
    if (!match) return coded("image_data_invalid");
    const mime = match[1]!.toLowerCase();
    if (!isAcceptedImageType(mime)) return imageTypeProblem(mime);
    const approxBytes = Math.floor((match[2]!.replace(/\s/g, "").length * 3) / 4);
    return imageBytesProblem(approxBytes);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return coded("image_url_invalid");
  }
  if (parsed.protocol !== "https:") return coded("image_url_https");
  if (parsed.username || parsed.password) return coded("image_url_credentials");
  return null;
}

/** Who reads a reference's URL: our own create path ("ours") or the upstream ("upstream"). */
export type ReferenceUrlMode = "ours" | "upstream";

/** A gallery clip named as a reference video: `clip:<generation id>` (lib/ids.ts). */
export const CLIP_REFERENCE = /^clip:(g_[A-Za-z0-9_-]{1,64})$/;

/** MIME types a data: URL of each kind may carry (docs/seedance-contract.md#seedance-2x). */
export const REFERENCE_DATA_TYPES: Record<Exclude<ReferenceKind, "image">, readonly string[]> = {
  video: ["video/mp4", "video/quicktime"],
  audio: ["audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave", "audio/mpeg", "audio/mp3"],
};

const MEDIA_DATA_URL = /^data:([a-z]+\/[a-z0-9.+-]+);base64,[A-Za-z0-9+/=\s]+$/i;

/**
 * The extensions a stored reference of each kind has (`refs/<sha256>.<ext>`): what the checks name
 * its real type (images by their magic number, videos by their `ftyp` brand, audio by ffprobe).
 */
export const REFERENCE_EXTENSIONS: Record<ReferenceKind, readonly string[]> = {
  image: ["png", "jpg", "gif", "webp", "bmp", "tif"],
  video: ["mp4", "mov"],
  audio: ["wav", "mp3"],
};

/** An uploaded reference (app/api/references) as a create names it: `media:refs/<sha256>.<ext>`. */
const UPLOADED_REFERENCE = /^media:refs\/([0-9a-f]{64})\.([a-z0-9]{2,4})$/;

/** Whether `url` names an uploaded reference of this kind (its extension one the kind has). */
export function isUploadedReference(url: string, kind: ReferenceKind): boolean {
  const ext = UPLOADED_REFERENCE.exec(url)?.[2];
  return ext !== undefined && REFERENCE_EXTENSIONS[kind].includes(ext);
}

/**
 * The largest file of each kind an upload takes: the most any model accepts (images: the
 * contract's 30 MB; videos: under the largest total, 100 MB on 2.5; audio: 15 MB each). Whether the
 * chosen model takes it is checked when the clip is created.
 */
export function referenceUploadMaxBytes(kind: ReferenceKind): number {
  if (kind === "image") return IMAGE_LIMITS.maxBytes;
  const limits = Object.values(MODELS).flatMap((caps) => (caps.references ? [caps.references] : []));
  // Each model takes videos *under* its total (`reference_videos_bytes`): one byte less.
  if (kind === "video") return Math.max(...limits.map((l) => l.video.totalMaxBytes)) - 1;
  return Math.max(...limits.map((l) => l.audio.maxBytesEach));
}

/**
 * A reference's URL as `mode` accepts it. Ours: an https URL (we fetch and store it), a base64
 * data: URL of the kind, an upload of the kind as `media:refs/<sha256>.<ext>`, or (video) one of
 * our clips as `clip:<id>`; nothing else under `media:` (inputs, clips by key) is a creator's to
 * name. The upstream's: an http(s) URL it can fetch (https in production; http for a private test
 * upstream on loopback), never a data: URL, which failed in the provider's own tests.
 */
export function referenceUrlProblem(url: string, kind: ReferenceKind, mode: ReferenceUrlMode): Coded | null {
  if (url.startsWith("data:")) {
    if (mode === "upstream") return coded("reference_url_public", { kind });
    if (kind === "image") return imageUrlProblem(url);
    const mime = MEDIA_DATA_URL.exec(url)?.[1]?.toLowerCase();
    return mime && REFERENCE_DATA_TYPES[kind].includes(mime) ? null : coded("reference_data_invalid", { kind });
  }
  if (url.startsWith(MEDIA_PREFIX)) return mode === "ours" && isUploadedReference(url, kind) ? null : coded("reference_url_invalid", { kind });
  if (mode === "ours" && kind === "video" && CLIP_REFERENCE.test(url)) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return coded("reference_url_invalid", { kind });
  }
  const allowed = mode === "upstream" ? ["https:", "http:"] : ["https:"];
  if (!allowed.includes(parsed.protocol)) return coded("reference_url_invalid", { kind });
  if (parsed.username || parsed.password) return coded("image_url_credentials");
  return null;
}

/** How lib/dto/generation.ts shows a stored upload and a clip (`mediaUrl` of their keys). */
const SHOWN_UPLOAD = /^\/api\/media\/(refs\/[0-9a-f]{64}\.[a-z0-9]{2,4})$/;
const SHOWN_CLIP = /^\/api\/media\/clips\/(g_[A-Za-z0-9_-]{1,64})\/video\.mp4$/;

/**
 * A reference as a stored request shows it (lib/dto/generation.ts) back in the form a create
 * takes, so a remix can send it again: `/api/media/refs/<sha256>.<ext>` -> `media:refs/<sha256>.<ext>`
 * (when the extension is one of the kind's), `/api/media/clips/<id>/video.mp4` -> `clip:<id>`
 * (videos). Anything else (an https or data: URL) is returned as it is.
 */
export function resendableReference(url: string, kind: ReferenceKind): string {
  const upload = SHOWN_UPLOAD.exec(url);
  if (upload) {
    const ref = `${MEDIA_PREFIX}${upload[1]}`;
    return isUploadedReference(ref, kind) ? ref : url;
  }
  const clip = kind === "video" ? SHOWN_CLIP.exec(url) : null;
  return clip ? `clip:${clip[1]}` : url;
}

/** `resendableReference` over a shown request's three lists (those it has). */
export function resendableReferences<T extends Pick<GenerationSpec, "referenceImages" | "referenceVideos" | "referenceAudios">>(request: T): T {
  const next: T = { ...request };
  for (const kind of ["image", "video", "audio"] as const) {
    const field = REFERENCE_ITEMS[kind].field;
    const list = request[field];
    if (list) next[field] = list.map((url) => resendableReference(url, kind));
  }
  return next;
}

/** How many references of each kind a spec carries. */
export function referenceCounts(spec: Pick<GenerationSpec, "referenceImages" | "referenceVideos" | "referenceAudios">) {
  const image = spec.referenceImages?.length ?? 0;
  const video = spec.referenceVideos?.length ?? 0;
  const audio = spec.referenceAudios?.length ?? 0;
  return { image, video, audio, total: image + video + audio };
}

interface RuleIssue {
  field: SpecField;
  error: Coded;
}

/** Cross-field rules implied by the capability table. Each message names the model and the fix. */
export function capabilityIssues(spec: GenerationSpec): RuleIssue[] {
  const caps = MODELS[spec.model];
  const name = caps.label;
  const issues: RuleIssue[] = [];
  const frames = (spec.firstFrame ? 1 : 0) + (spec.lastFrame ? 1 : 0);
  const refs = referenceCounts(spec);
  // Something `adaptive` can follow: a frame, or (2.x) a reference image or video.
  const hasImage = frames > 0 || refs.image > 0 || refs.video > 0;

  if (!caps.acceptsFirstFrame && spec.firstFrame) {
    issues.push({ field: "firstFrame", error: coded("text_only", { model: name }) });
  }
  if (caps.requiresFirstFrame && !spec.firstFrame) {
    issues.push({ field: "firstFrame", error: coded("needs_first_frame", { model: name }) });
  }
  if (spec.lastFrame && !caps.acceptsLastFrame) {
    issues.push({ field: "lastFrame", error: coded("no_last_frame", { model: name }) });
  } else if (spec.lastFrame && !spec.firstFrame) {
    issues.push({ field: "lastFrame", error: coded("last_needs_first") });
  }
  if (spec.resolution && !caps.resolutions.includes(spec.resolution)) {
    issues.push({ field: "resolution", error: coded("resolution_max", { model: name, max: caps.resolutions.at(-1)!, choices: caps.resolutions.join(" / ") }) });
  }
  if (spec.duration !== undefined) {
    const auto = spec.duration === -1;
    if (auto && !caps.acceptsAutoDuration) {
      issues.push({ field: "duration", error: coded("auto_duration", { model: name, min: caps.durationMin, max: caps.durationMax }) });
    } else if (!auto && (spec.duration < caps.durationMin || spec.duration > caps.durationMax)) {
      const range = { model: name, min: caps.durationMin, max: caps.durationMax, auto: caps.acceptsAutoDuration ? "yes" : "no" };
      issues.push({ field: "duration", error: coded("duration_range", range) });
    }
  }
  if (spec.frames !== undefined) {
    if (!caps.acceptsFrames) {
      issues.push({ field: "frames", error: coded("no_frames", { model: name }) });
    } else if (spec.duration !== undefined) {
      issues.push({ field: "frames", error: coded("duration_or_frames") });
    }
  }
  if (spec.generate_audio && !caps.acceptsAudio) {
    issues.push({ field: "generate_audio", error: coded("silent", { model: name }) });
  }
  if (spec.ratio === "adaptive" && !hasImage && !caps.adaptiveWithoutImage) {
    issues.push({ field: "ratio", error: coded("adaptive", { model: name }) });
  }
  if (spec.return_last_frame && !caps.acceptsReturnLastFrame) {
    issues.push({ field: "return_last_frame", error: coded("no_return_last_frame", { model: name }) });
  }
  if (spec.service_tier === "flex" && !caps.acceptsFlex) {
    issues.push({ field: "service_tier", error: coded("no_flex", { model: name }) });
  }
  if (caps.framesForceAdaptive && spec.firstFrame && spec.ratio && spec.ratio !== "adaptive") {
    issues.push({ field: "ratio", error: coded("frames_force_adaptive", { model: name }) });
  }
  issues.push(...referenceIssues(spec, refs, frames));
  issues.push(...taskOptionIssues(spec, refs));
  return issues;
}

const COUNT_CODES = { image: "reference_images_max", video: "reference_videos_max", audio: "reference_audios_max" } as const;

/** Counts of reference media, alone and together, and the modes they may be combined in. */
function referenceIssues(spec: GenerationSpec, refs: ReturnType<typeof referenceCounts>, frames: number): RuleIssue[] {
  if (refs.total === 0) return [];
  const caps = MODELS[spec.model];
  const name = caps.label;
  const firstField = (["image", "video", "audio"] as const).map((kind) => REFERENCE_ITEMS[kind].field).find((field) => spec[field]?.length)!;
  const limits = caps.references;
  if (!limits) return [{ field: firstField, error: coded("no_references", { model: name }) }];
  const issues: RuleIssue[] = [];
  for (const kind of ["image", "video", "audio"] as const) {
    const max = limits[`${kind}s`];
    if (refs[kind] > max) issues.push({ field: REFERENCE_ITEMS[kind].field, error: coded(COUNT_CODES[kind], { model: name, max }) });
  }
  const together = refs.total + (limits.totalCountsFrames ? frames : 0);
  if (together > limits.total) issues.push({ field: firstField, error: coded("references_max", { model: name, max: limits.total }) });
  if (!limits.withFrames && frames > 0) issues.push({ field: "firstFrame", error: coded("references_with_frames", { model: name }) });
  if (limits.audioNeedsVisual && refs.audio > 0 && refs.image === 0 && refs.video === 0) {
    issues.push({ field: "referenceAudios", error: coded("audio_needs_visual", { model: name }) });
  }
  return issues;
}

const TASK_OPTION_FIELDS = ["omni_reference_task_type", "output_format", "tools", "priority"] as const;
/** The model that takes 2.5's options, for the message's fix. */
const TASK_OPTIONS_MODEL = MODELS["doubao-seedance-2-5-260628"].label;

/** 2.5's task types with their ratio and duration rules, and its other options on other models. */
function taskOptionIssues(spec: GenerationSpec, refs: ReturnType<typeof referenceCounts>): RuleIssue[] {
  const caps = MODELS[spec.model];
  const name = caps.label;
  if (!caps.acceptsTaskOptions) {
    return TASK_OPTION_FIELDS.filter((field) => spec[field] !== undefined).map((field) => ({
      field,
      error: coded("model_option_only", { field, model: name, only: TASK_OPTIONS_MODEL }),
    }));
  }
  const type = spec.omni_reference_task_type;
  const issues: RuleIssue[] = [];
  if ((type === "edit" || type === "extend") && refs.video === 0) {
    issues.push({ field: "omni_reference_task_type", error: coded("task_needs_video", { model: name, type }) });
  }
  if ((type === "edit" || type === "extend") && spec.ratio && spec.ratio !== "adaptive") {
    issues.push({ field: "ratio", error: coded("task_ratio_adaptive", { model: name, type }) });
  }
  if (type === "edit" && spec.duration !== undefined && spec.duration !== -1) {
    issues.push({ field: "duration", error: coded("task_duration_auto", { model: name }) });
  }
  if (type === "reference" && refs.total === 0) {
    issues.push({ field: "omni_reference_task_type", error: coded("task_needs_reference", { model: name }) });
  }
  return issues;
}

/** The choices a model switch looks at: a spec being composed (the studio form's values). */
type ModelChoices = Partial<GenerationSpec> & { model: ModelId };

/**
 * The same choices on another model: values it cannot take fall back to what it can (its default
 * resolution, sound and returned last frame off, a frame count or an automatic length to the
 * default duration, a duration into its range, adaptive ratio without an image to 16:9); the rest
 * is kept as the creator left it. Frames it cannot take are kept too, so an uploaded image is not
 * lost by trying a model: `capabilityIssues` names them instead.
 */
export function adaptToModel<T extends ModelChoices>(values: T, model: ModelId): T {
  const caps = MODELS[model];
  const next: T = { ...values, model };
  const defaultDuration = defaultDurationFor(model);
  if (next.resolution) next.resolution = resolutionOn(model, next.resolution);
  if (next.generate_audio && !caps.acceptsAudio) next.generate_audio = false;
  if (next.return_last_frame && !caps.acceptsReturnLastFrame) next.return_last_frame = false;
  if (next.frames !== undefined && !caps.acceptsFrames) {
    next.frames = undefined;
    next.duration ??= defaultDuration;
  }
  if (next.duration !== undefined && next.duration !== -1) {
    next.duration = Math.min(caps.durationMax, Math.max(caps.durationMin, next.duration));
  }
  if (next.duration === -1 && !caps.acceptsAutoDuration) next.duration = defaultDuration;
  const refs = referenceCounts(next);
  const hasImage = Boolean(next.firstFrame || next.lastFrame) || refs.image > 0 || refs.video > 0;
  if (next.ratio === "adaptive" && !hasImage && !caps.adaptiveWithoutImage) next.ratio = "16:9";
  if (next.service_tier === "flex" && !caps.acceptsFlex) next.service_tier = undefined;
  if (caps.framesForceAdaptive && next.firstFrame && next.ratio && next.ratio !== "adaptive") next.ratio = "adaptive";
  if (!caps.acceptsTaskOptions) for (const field of TASK_OPTION_FIELDS) next[field] = undefined;
  return next;
}

/** One setting a model switch changed, for the note that says so ("1080p -> 720p on 2.0 Fast"). */
export type ModelSwitchChange =
  | { field: "resolution" | "ratio"; from: string; to: string }
  | { field: "duration"; from: number; to: number }
  | { field: "frames"; from: number; to: number }
  | { field: "automaticLength" | "generate_audio" | "return_last_frame" | "service_tier" | "taskOptions"; to: "off" | "on" };

/** What `adaptToModel` changed between the choices before and after it, in the form's order. */
export function modelSwitchChanges(before: ModelChoices, after: ModelChoices): ModelSwitchChange[] {
  const changes: ModelSwitchChange[] = [];
  if (before.resolution && after.resolution && before.resolution !== after.resolution) changes.push({ field: "resolution", from: before.resolution, to: after.resolution });
  if (before.ratio && after.ratio && before.ratio !== after.ratio) changes.push({ field: "ratio", from: before.ratio, to: after.ratio });
  if (before.frames !== undefined && after.frames === undefined) changes.push({ field: "frames", from: before.frames, to: after.duration ?? defaultDurationFor(after.model) });
  else if (before.duration === -1 && after.duration !== -1) changes.push({ field: "automaticLength", to: "off" });
  else if (before.duration !== undefined && after.duration !== undefined && before.duration !== after.duration) changes.push({ field: "duration", from: before.duration, to: after.duration });
  if (Boolean(before.generate_audio) !== Boolean(after.generate_audio)) changes.push({ field: "generate_audio", to: after.generate_audio ? "on" : "off" });
  if (before.return_last_frame && !after.return_last_frame) changes.push({ field: "return_last_frame", to: "off" });
  if (before.service_tier === "flex" && after.service_tier !== "flex") changes.push({ field: "service_tier", to: "off" });
  if (TASK_OPTION_FIELDS.some((field) => before[field] !== undefined && after[field] === undefined)) changes.push({ field: "taskOptions", to: "off" });
  return changes;
}

/**
 * A spec as the upstream body: top-level fields only, never inline flags, fps never sent,
 * `service_tier: default` never sent (decision 8), and 2.5's edit/extend with the ratio and
 * duration their task type forces (decision 5). Content goes text, frames, then reference images,
 * videos and audio, each kind in its own order: what "image 1", "video 1" in a prompt count.
 */
export function toSeedanceRequest(
  spec: GenerationSpec,
  opts: { callbackUrl?: string; imageUrl?: (url: string) => string; referenceUrl?: (url: string, kind: ReferenceKind) => string } = {},
): SeedanceVideoRequest {
  const image = opts.imageUrl ?? ((url: string) => url);
  const reference = opts.referenceUrl ?? ((url: string) => url);
  const content: SeedanceContentItem[] = [{ type: "text", text: spec.prompt }];
  if (spec.firstFrame) content.push({ type: "image_url", image_url: { url: image(spec.firstFrame) }, role: "first_frame" });
  if (spec.lastFrame) content.push({ type: "image_url", image_url: { url: image(spec.lastFrame) }, role: "last_frame" });
  for (const url of spec.referenceImages ?? []) content.push({ type: "image_url", image_url: { url: reference(url, "image") }, role: "reference_image" });
  for (const url of spec.referenceVideos ?? []) content.push({ type: "video_url", video_url: { url: reference(url, "video") }, role: "reference_video" });
  for (const url of spec.referenceAudios ?? []) content.push({ type: "audio_url", audio_url: { url: reference(url, "audio") }, role: "reference_audio" });
  const body: Record<string, unknown> = { model: spec.model, content };
  for (const key of PARAMETER_KEYS) if (spec[key] !== undefined) body[key] = spec[key];
  if (body.service_tier === "default") delete body.service_tier;
  const type = spec.omni_reference_task_type;
  if (type === "edit" || type === "extend") body.ratio = "adaptive";
  if (type === "edit") body.duration = -1;
  if (spec.safety_identifier) body.safety_identifier = spec.safety_identifier;
  body.async = true;
  if (opts.callbackUrl) body.callback_url = opts.callbackUrl;
  return body as SeedanceVideoRequest;
}

