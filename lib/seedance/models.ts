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
  "doubao-seedance-2-0-260128",
  "doubao-seedance-2-0-fast-260128",
  "doubao-seedance-2-0-mini-260615",
  "doubao-seedance-2-5-260628",
] as const;
export type ModelId = (typeof MODEL_IDS)[number];

/** The model menu's order: newest first, as the provider lists them (2.5, the 2.0 family, 1.5, then 1.0). */
export const MODEL_MENU_ORDER: readonly ModelId[] = [
  "doubao-seedance-2-5-260628",
  "doubao-seedance-2-0-260128",
  "doubao-seedance-2-0-fast-260128",
  "doubao-seedance-2-0-mini-260615",
  "doubao-seedance-1-5-pro-251215",
  "doubao-seedance-1-0-pro-250528",
  "doubao-seedance-1-0-pro-fast-251015",
  "doubao-seedance-1-0-lite-t2v-250428",
  "doubao-seedance-1-0-lite-i2v-250428",
];

export const RESOLUTIONS = ["480p", "720p", "1080p", "4k"] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const FIXED_RATIOS = ["16:9", "4:3", "1:1", "3:4", "9:16", "21:9"] as const;
export const RATIOS = [...FIXED_RATIOS, "adaptive"] as const;
export type FixedRatio = (typeof FIXED_RATIOS)[number];
export type Ratio = (typeof RATIOS)[number];

export const SERVICE_TIERS = ["default", "flex"] as const;
export type ServiceTier = (typeof SERVICE_TIERS)[number];

export const IMAGE_ROLES = ["first_frame", "last_frame", "reference_image"] as const;
export type ImageRole = (typeof IMAGE_ROLES)[number];

/** The kinds of reference media a 2.x request carries, each with its content item and role. */
export const REFERENCE_KINDS = ["image", "video", "audio"] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];
export const REFERENCE_ITEMS = {
  image: { type: "image_url", role: "reference_image", field: "referenceImages" },
  video: { type: "video_url", role: "reference_video", field: "referenceVideos" },
  audio: { type: "audio_url", role: "reference_audio", field: "referenceAudios" },
} as const;

/** 2.5's task types (docs/seedance-contract.md#seedance-2x). */
export const TASK_TYPES = ["auto", "reference", "edit", "extend"] as const;
export type TaskType = (typeof TASK_TYPES)[number];
export const OUTPUT_FORMATS = ["mp4", "mov"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export const WEB_SEARCH_SOURCES = ["toutiao", "douyin", "moji", "search_engine"] as const;
export const TOOL_LIMITS = { maxTools: 1, limitMin: 1, limitMax: 50, keywordMin: 1, keywordMax: 50 } as const;
export const PRIORITY = { min: 0, max: 9 } as const;
/** `safety_identifier`: an anonymous end-user id, at most this long. */
export const SAFETY_ID_MAX_CHARS = 64;

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
  /** The spec's widest duration range (2.5); each model's own range is in MODELS. */
  durationMin: 2,
  durationMax: 30,
  /** One text item and at most 50 media items (2.5's reference limit, frames included). */
  contentMaxItems: 51,
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

/** Reference media a model takes (docs/seedance-contract.md#seedance-2x); 1.x models take none. */
export interface ReferenceLimits {
  images: number;
  videos: number;
  audios: number;
  /** All references together; on 2.5 the first and last frames count too. */
  total: number;
  totalCountsFrames: boolean;
  /** First/last frames together with references (2.0: three exclusive modes). */
  withFrames: boolean;
  /** Reference audio only together with a reference image or video (2.0). */
  audioNeedsVisual: boolean;
  video: { formats: readonly ("mp4" | "mov")[]; codecs: readonly string[]; minSec: number; maxSec: number; totalMaxSec: number; totalMaxBytes: number };
  audio: { formats: readonly ("wav" | "mp3")[]; minSec: number; maxSec: number; totalMaxSec: number; maxBytesEach: number };
}

const MB = 1024 * 1024;

/** 2.0, 2.0 fast and 2.0 mini: conservative where the sources conflict (12 together, exclusive modes). */
const REFERENCES_2_0: ReferenceLimits = {
  images: 9,
  videos: 3,
  audios: 3,
  total: 12,
  totalCountsFrames: false,
  withFrames: false,
  audioNeedsVisual: true,
  video: { formats: ["mp4", "mov"], codecs: ["h264", "hevc"], minSec: 2, maxSec: 15, totalMaxSec: 15, totalMaxBytes: 50 * MB },
  audio: { formats: ["wav", "mp3"], minSec: 2, maxSec: 15, totalMaxSec: 15, maxBytesEach: 15 * MB },
};

const REFERENCES_2_5: ReferenceLimits = {
  images: 30,
  videos: 10,
  audios: 10,
  total: 50,
  totalCountsFrames: true,
  withFrames: true,
  audioNeedsVisual: false,
  // The 50 MB total is stated for 2.0 only; 2.5 takes twice the seconds, so twice the bytes [I].
  video: { formats: ["mp4", "mov"], codecs: ["h264", "hevc"], minSec: 2, maxSec: 30, totalMaxSec: 30, totalMaxBytes: 100 * MB },
  audio: { formats: ["wav", "mp3"], minSec: 2, maxSec: 30, totalMaxSec: 30, maxBytesEach: 15 * MB },
};

export interface ModelCapabilities {
  label: string;
  /** "1.x" or "2.x": the generation decides the task id shape and the flex tier. */
  generation: "1.x" | "2.x";
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
  /** Audio doubles the billed tokens (1.5 Pro); on 2.x it is part of the clip. */
  audioDoublesTokens: boolean;
  /** `service_tier: flex`: 1.x only (decision 8: no longer in the spec; never on 2.x). */
  acceptsFlex: boolean;
  /** With a first frame the ratio is the frame's (2.5: `adaptive` only). */
  framesForceAdaptive: boolean;
  references: ReferenceLimits | null;
  /** 2.5's `omni_reference_task_type`, `output_format`, `tools` and `priority`. */
  acceptsTaskOptions: boolean;
  /** Seconds of generation per 10 s of 720p clip, for the UI's estimate (docs/seedance-contract.md#timing). */
  secondsPer10sAt720p: number;
  /** The provider's quicker variant of a model (its "Fast" line). */
  fast?: true;
}

/** What every 2.x model shares (docs/seedance-contract.md#seedance-2x); rows override what differs. */
const SEEDANCE_2_0 = {
  acceptsText: true,
  requiresFirstFrame: false,
  acceptsFirstFrame: true,
  acceptsLastFrame: true,
  durationMin: 4,
  durationMax: 15,
  acceptsAutoDuration: true,
  acceptsFrames: false,
  acceptsAudio: true,
  adaptiveWithoutImage: false,
  // Stripped by the provider's own studio for 2.0 [X]: refused, the conservative side.
  acceptsReturnLastFrame: false,
  audioDoublesTokens: false,
  acceptsFlex: false,
  framesForceAdaptive: false,
  references: REFERENCES_2_0,
  acceptsTaskOptions: false,
} satisfies Partial<ModelCapabilities>;

/** The capability rules (docs/seedance-contract.md#models), conservative where the sources conflict. */
export const MODELS: Record<ModelId, ModelCapabilities> = {
  "doubao-seedance-1-0-pro-250528": {
    label: "Seedance 1.0 Pro",
    generation: "1.x",
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
    audioDoublesTokens: false,
    acceptsFlex: true,
    framesForceAdaptive: false,
    references: null,
    acceptsTaskOptions: false,
    secondsPer10sAt720p: 85,
  },
  "doubao-seedance-1-0-pro-fast-251015": {
    label: "Seedance 1.0 Pro Fast",
    fast: true,
    generation: "1.x",
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
    audioDoublesTokens: false,
    acceptsFlex: true,
    framesForceAdaptive: false,
    references: null,
    acceptsTaskOptions: false,
    secondsPer10sAt720p: 65,
  },
  "doubao-seedance-1-5-pro-251215": {
    label: "Seedance 1.5 Pro",
    generation: "1.x",
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
    audioDoublesTokens: true,
    acceptsFlex: true,
    framesForceAdaptive: false,
    references: null,
    acceptsTaskOptions: false,
    secondsPer10sAt720p: 100,
  },
  "doubao-seedance-1-0-lite-t2v-250428": {
    label: "Seedance 1.0 Lite (text)",
    generation: "1.x",
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
    audioDoublesTokens: false,
    acceptsFlex: true,
    framesForceAdaptive: false,
    references: null,
    acceptsTaskOptions: false,
    secondsPer10sAt720p: 60,
  },
  "doubao-seedance-1-0-lite-i2v-250428": {
    label: "Seedance 1.0 Lite (image)",
    generation: "1.x",
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
    audioDoublesTokens: false,
    acceptsFlex: true,
    framesForceAdaptive: false,
    references: null,
    acceptsTaskOptions: false,
    secondsPer10sAt720p: 60,
  },
  "doubao-seedance-2-0-260128": {
    label: "Seedance 2.0",
    generation: "2.x",
    ...SEEDANCE_2_0,
    resolutions: ["480p", "720p", "1080p", "4k"],
    defaultResolution: "720p",
    secondsPer10sAt720p: 120,
  },
  "doubao-seedance-2-0-fast-260128": {
    label: "Seedance 2.0 Fast",
    fast: true,
    generation: "2.x",
    ...SEEDANCE_2_0,
    resolutions: ["480p", "720p"],
    defaultResolution: "720p",
    secondsPer10sAt720p: 80,
  },
  "doubao-seedance-2-0-mini-260615": {
    label: "Seedance 2.0 Mini",
    generation: "2.x",
    ...SEEDANCE_2_0,
    resolutions: ["480p", "720p"],
    defaultResolution: "720p",
    secondsPer10sAt720p: 70,
  },
  "doubao-seedance-2-5-260628": {
    label: "Seedance 2.5",
    generation: "2.x",
    ...SEEDANCE_2_0,
    resolutions: ["480p", "720p", "1080p"],
    defaultResolution: "720p",
    durationMax: 30,
    acceptsReturnLastFrame: true,
    framesForceAdaptive: true,
    references: REFERENCES_2_5,
    acceptsTaskOptions: true,
    // About 5 minutes for a 720p clip with frames and audio [C-3p]: read as per 10 s.
    secondsPer10sAt720p: 300,
  },
};

/** What a model card's badges say, from the capabilities (the model picker's "Cheapest" is computed from the estimate). */
export const MODEL_BADGES = ["sound", "references", "firstLast", "4k", "30s", "fast"] as const;
export type ModelBadge = (typeof MODEL_BADGES)[number] | "cheapest";

export function modelBadges(model: ModelId): ModelBadge[] {
  const caps = MODELS[model];
  const has: Record<(typeof MODEL_BADGES)[number], boolean> = {
    sound: caps.acceptsAudio,
    references: caps.references !== null,
    firstLast: caps.acceptsLastFrame,
    "4k": caps.resolutions.includes("4k"),
    "30s": caps.durationMax >= 30,
    fast: caps.fast === true,
  };
  return MODEL_BADGES.filter((badge) => has[badge]);
}

/** The provider's own default (its clients start on 2.0): the studio's first choice too. */
export const DEFAULT_MODEL: ModelId = "doubao-seedance-2-0-260128";
export const DEFAULT_DURATION = 5;

/** Output sizes in pixels (docs/seedance-contract.md#output-sizes). */
export const OUTPUT_SIZES: Record<FixedRatio, Record<Resolution, readonly [number, number]>> = {
  "16:9": { "480p": [864, 480], "720p": [1248, 704], "1080p": [1920, 1088], "4k": [3840, 2160] },
  "4:3": { "480p": [736, 544], "720p": [1120, 832], "1080p": [1664, 1248], "4k": [3328, 2496] },
  "1:1": { "480p": [640, 640], "720p": [960, 960], "1080p": [1440, 1440], "4k": [2880, 2880] },
  "3:4": { "480p": [544, 736], "720p": [832, 1120], "1080p": [1248, 1664], "4k": [2496, 3328] },
  "9:16": { "480p": [480, 864], "720p": [704, 1248], "1080p": [1088, 1920], "4k": [2160, 3840] },
  "21:9": { "480p": [960, 416], "720p": [1504, 640], "1080p": [2176, 928], "4k": [4400, 1888] },
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

/** The resolution a model renders for a choice: the choice when the model offers it, else its default. */
export function resolutionOn(model: ModelId, resolution: Resolution | undefined): Resolution {
  const caps = MODELS[model];
  return resolution && caps.resolutions.includes(resolution) ? resolution : caps.defaultResolution;
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
  // 4k has about 4.3x the pixels of 1080p: a guess, scaled like 1080p's 1.4 [I].
  const resolutionFactor = opts.resolution === "4k" ? 3 : opts.resolution === "1080p" ? 1.4 : opts.resolution === "480p" ? 0.8 : 1;
  return Math.round((perTenSeconds * seconds * resolutionFactor) / 10);
}
