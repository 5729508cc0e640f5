/**
 * Every fact of the SeeDance upstream contract (docs/seedance-contract.md) that is data:
 * model ids, per-model capabilities, enums, output pixel sizes and image limits.
 * The zod schema, the form, the simulator and the cost estimate all read this file,
 * so an upstream change is one edit here.
 */

export const MODEL_IDS = [
  "doubao-seedance-1-0-pro-250528",
  "doubao-seedance-1-0-pro-fast-251015",
  "doubao-seedance-1-5-pro-251215",
  "doubao-seedance-1-0-lite-t2v-250428",
  "doubao-seedance-1-0-lite-i2v-250428",
] as const;
export type ModelId = (typeof MODEL_IDS)[number];

export const RESOLUTIONS = ["480p", "720p", "1080p"] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const FIXED_RATIOS = ["16:9", "4:3", "1:1", "3:4", "9:16", "21:9"] as const;
export const RATIOS = [...FIXED_RATIOS, "adaptive"] as const;
export type FixedRatio = (typeof FIXED_RATIOS)[number];
export type Ratio = (typeof RATIOS)[number];

export const SERVICE_TIERS = ["default", "flex"] as const;
export type ServiceTier = (typeof SERVICE_TIERS)[number];

export const IMAGE_ROLES = ["first_frame", "last_frame"] as const;
export type ImageRole = (typeof IMAGE_ROLES)[number];

/** Output frame rate: only 24, never sent upstream (docs/seedance-contract.md#creating-a-task). */
export const FPS = 24;

export const LIMITS = {
  promptMaxChars: 1000,
  seedMin: -1,
  seedMax: 4_294_967_295,
  framesMin: 29,
  framesMax: 289,
  /** frames must be 25 + 4n */
  framesBase: 25,
  framesStep: 4,
  expiresMin: 3600,
  expiresMax: 259_200,
  expiresDefault: 172_800,
} as const;

/** Accepted input images (docs/seedance-contract.md#image-limits). */
export const IMAGE_LIMITS = {
  mimeTypes: ["image/jpeg", "image/png", "image/webp", "image/bmp", "image/tiff", "image/gif"],
  maxBytes: 30 * 1024 * 1024,
  minSide: 300,
  maxSide: 6000,
  minAspect: 0.4,
  maxAspect: 2.5,
} as const;

export interface ModelCapabilities {
  label: string;
  acceptsText: boolean;
  requiresFirstFrame: boolean;
  acceptsFirstFrame: boolean;
  acceptsLastFrame: boolean;
  resolutions: readonly Resolution[];
  defaultResolution: Resolution;
  durationMin: number;
  durationMax: number;
  /** 1.5 pro takes -1: the model chooses the length. */
  acceptsAutoDuration: boolean;
  acceptsFrames: boolean;
  acceptsAudio: boolean;
  /** `adaptive` ratio without an image (images make it meaningful on every model). */
  adaptiveWithoutImage: boolean;
  acceptsReturnLastFrame: boolean;
  /** Seconds of generation per 10 s of 720p clip, for the UI's estimate (docs/seedance-contract.md#timing). */
  secondsPer10sAt720p: number;
}

/** The capability rules (docs/seedance-contract.md#models), conservative where the sources conflict. */
export const MODELS: Record<ModelId, ModelCapabilities> = {
  "doubao-seedance-1-0-pro-250528": {
    label: "Seedance 1.0 Pro",
    acceptsText: true,
    requiresFirstFrame: false,
    acceptsFirstFrame: true,
    acceptsLastFrame: true,
    resolutions: ["480p", "720p", "1080p"],
    defaultResolution: "1080p",
    durationMin: 2,
    durationMax: 12,
    acceptsAutoDuration: false,
    acceptsFrames: true,
    acceptsAudio: false,
    adaptiveWithoutImage: false,
    acceptsReturnLastFrame: true,
    secondsPer10sAt720p: 85,
  },
  "doubao-seedance-1-0-pro-fast-251015": {
    label: "Seedance 1.0 Pro Fast",
    acceptsText: true,
    requiresFirstFrame: false,
    acceptsFirstFrame: true,
    acceptsLastFrame: false,
    resolutions: ["480p", "720p", "1080p"],
    defaultResolution: "1080p",
    durationMin: 2,
    durationMax: 12,
    acceptsAutoDuration: false,
    acceptsFrames: true,
    acceptsAudio: false,
    adaptiveWithoutImage: false,
    acceptsReturnLastFrame: true,
    secondsPer10sAt720p: 65,
  },
  "doubao-seedance-1-5-pro-251215": {
    label: "Seedance 1.5 Pro",
    acceptsText: true,
    requiresFirstFrame: false,
    acceptsFirstFrame: true,
    acceptsLastFrame: true,
    resolutions: ["480p", "720p", "1080p"],
    defaultResolution: "720p",
    durationMin: 4,
    durationMax: 12,
    acceptsAutoDuration: true,
    acceptsFrames: false,
    acceptsAudio: true,
    adaptiveWithoutImage: true,
    acceptsReturnLastFrame: true,
    secondsPer10sAt720p: 100,
  },
  "doubao-seedance-1-0-lite-t2v-250428": {
    label: "Seedance 1.0 Lite (text)",
    acceptsText: true,
    requiresFirstFrame: false,
    acceptsFirstFrame: false,
    acceptsLastFrame: false,
    resolutions: ["480p", "720p"],
    defaultResolution: "720p",
    durationMin: 2,
    durationMax: 12,
    acceptsAutoDuration: false,
    acceptsFrames: true,
    acceptsAudio: false,
    adaptiveWithoutImage: false,
    acceptsReturnLastFrame: false,
    secondsPer10sAt720p: 60,
  },
  "doubao-seedance-1-0-lite-i2v-250428": {
    label: "Seedance 1.0 Lite (image)",
    acceptsText: true,
    requiresFirstFrame: true,
    acceptsFirstFrame: true,
    acceptsLastFrame: false,
    resolutions: ["480p", "720p"],
    defaultResolution: "720p",
    durationMin: 2,
    durationMax: 12,
    acceptsAutoDuration: false,
    acceptsFrames: true,
    acceptsAudio: false,
    adaptiveWithoutImage: false,
    acceptsReturnLastFrame: false,
    secondsPer10sAt720p: 60,
  },
};

export const DEFAULT_MODEL: ModelId = "doubao-seedance-1-0-pro-fast-251015";
export const DEFAULT_DURATION = 5;

/** Output sizes in pixels (docs/seedance-contract.md#output-sizes). */
export const OUTPUT_SIZES: Record<FixedRatio, Record<Resolution, readonly [number, number]>> = {
  "16:9": { "480p": [864, 480], "720p": [1248, 704], "1080p": [1920, 1088] },
  "4:3": { "480p": [736, 544], "720p": [1120, 832], "1080p": [1664, 1248] },
  "1:1": { "480p": [640, 640], "720p": [960, 960], "1080p": [1440, 1440] },
  "3:4": { "480p": [544, 736], "720p": [832, 1120], "1080p": [1248, 1664] },
  "9:16": { "480p": [480, 864], "720p": [704, 1248], "1080p": [1088, 1920] },
  "21:9": { "480p": [960, 416], "720p": [1504, 640], "1080p": [2176, 928] },
};

/** The fixed ratio closest to an image's aspect: what `adaptive` resolves to. */
export function closestRatio(width: number, height: number): FixedRatio {
  const aspect = width / height;
  let best: FixedRatio = "16:9";
  let bestDistance = Infinity;
  for (const ratio of FIXED_RATIOS) {
    const [w, h] = OUTPUT_SIZES[ratio]["720p"];
    const distance = Math.abs(Math.log(aspect / (w / h)));
    if (distance < bestDistance) {
      best = ratio;
      bestDistance = distance;
    }
  }
  return best;
}

export function isModelId(value: unknown): value is ModelId {
  return typeof value === "string" && (MODEL_IDS as readonly string[]).includes(value);
}

/** The duration a model starts from when none is chosen: the default, within its range. */
export function defaultDurationFor(model: ModelId): number {
  return Math.max(MODELS[model].durationMin, DEFAULT_DURATION);
}

interface ClipLength {
  duration?: number | null;
  frames?: number | null;
}

/**
 * Seconds of a clip: an exact frame count wins over a duration; no duration, or an automatic one
 * (-1, whose length only the upstream knows), counts as the default.
 */
export function clipSeconds({ duration, frames }: ClipLength): number {
  if (frames) return frames / FPS;
  return duration && duration > 0 ? duration : DEFAULT_DURATION;
}

/** Frames of a clip as the vendor counts them (seconds x 24 + 1: 121 for 5 s); an exact count wins. */
export function frameCount(length: ClipLength): number {
  return length.frames ? length.frames : clipSeconds(length) * FPS + 1;
}

/** Typical seconds the upstream takes for a clip (docs/seedance-contract.md#timing: per 10 s at 720p, scaled). */
export function estimateGenerationSeconds(opts: { model: string; duration?: number; frames?: number; resolution?: Resolution }): number {
  const perTenSeconds = isModelId(opts.model) ? MODELS[opts.model].secondsPer10sAt720p : 90;
  const seconds = clipSeconds(opts);
  const resolutionFactor = opts.resolution === "1080p" ? 1.4 : opts.resolution === "480p" ? 0.8 : 1;
  return Math.round((perTenSeconds * seconds * resolutionFactor) / 10);
}
