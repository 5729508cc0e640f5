/**
 * The parts of the request contract that need no zod: image reference checks, the
 * capability rules, and building the upstream body. The browser loads these up front; the
 * zod schemas (./schema) use them and load when a form is first validated.
 */
import { coded, type Coded } from "@/lib/errors/codes";
import { imageBytesProblem, imageTypeProblem, isAcceptedImageType } from "./image-rules";
import { defaultDurationFor, MODELS, type ModelId } from "./models";
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

interface RuleIssue {
  field: SpecField;
  error: Coded;
}

/** Cross-field rules implied by the capability table. Each message names the model and the fix. */
export function capabilityIssues(spec: GenerationSpec): RuleIssue[] {
  const caps = MODELS[spec.model];
  const name = caps.label;
  const issues: RuleIssue[] = [];
  const hasImage = Boolean(spec.firstFrame || spec.lastFrame);

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
  if (next.resolution && !caps.resolutions.includes(next.resolution)) next.resolution = caps.defaultResolution;
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
  const hasImage = Boolean(next.firstFrame || next.lastFrame);
  if (next.ratio === "adaptive" && !hasImage && !caps.adaptiveWithoutImage) next.ratio = "16:9";
  return next;
}

/** A spec as the upstream body: top-level fields only, never inline flags, fps never sent. */
export function toSeedanceRequest(
  spec: GenerationSpec,
  opts: { callbackUrl?: string; imageUrl?: (url: string) => string } = {},
): SeedanceVideoRequest {
  const image = opts.imageUrl ?? ((url: string) => url);
  const content: SeedanceContentItem[] = [{ type: "text", text: spec.prompt }];
  if (spec.firstFrame) content.push({ type: "image_url", image_url: { url: image(spec.firstFrame) }, role: "first_frame" });
  if (spec.lastFrame) content.push({ type: "image_url", image_url: { url: image(spec.lastFrame) }, role: "last_frame" });
  const body: Record<string, unknown> = { model: spec.model, content };
  for (const key of PARAMETER_KEYS) if (spec[key] !== undefined) body[key] = spec[key];
  body.async = true;
  if (opts.callbackUrl) body.callback_url = opts.callbackUrl;
  return body as SeedanceVideoRequest;
}

