import "server-only";
import { coded, type Coded } from "@/lib/errors/codes";
import { MODELS, type ModelId } from "@/lib/seedance/models";
import { probeAudio, probeMedia } from "./probe";

/**
 * The reference media limits (docs/seedance-contract.md#seedance-2x, decision 3) as checks on
 * files: each video (MP4/MOV container, H.264/H.265, seconds) and audio clip (WAV/MP3, seconds,
 * bytes), then the set (seconds and bytes together). Our create path runs them before anything is
 * stored; the simulator runs the same ones on what it fetched, as the upstream would. An upload
 * (`checkUploadedVideo`, `checkUploadedAudio`) is held to the widest limits of any model.
 */

export interface CheckedVideo {
  seconds: number;
  bytes: number;
  /** "mp4" or "mov": the extension its stored copy gets. */
  ext: "mp4" | "mov";
  width: number;
  height: number;
}

export interface CheckedAudio {
  seconds: number;
  bytes: number;
  ext: "wav" | "mp3";
}

/** A problem with one item (`index`, counted from 0) or with the whole set (no index). */
export interface ReferenceProblem {
  kind: "video" | "audio";
  index?: number;
  error: Coded;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const MB = 1024 * 1024;

function limitsOf(model: ModelId) {
  const limits = MODELS[model].references;
  if (!limits) throw new Error(`${model} takes no references`);
  return limits;
}

/** One reference video: container, codec and seconds. `n` is its number as the creator counts (1, 2, ...). */
export async function checkReferenceVideo(model: ModelId, file: string, bytes: number, n: number): Promise<CheckedVideo | Coded> {
  const limits = limitsOf(model).video;
  const info = await probeMedia(file).catch(() => null);
  if (!info) return coded("reference_unreadable", { kind: "video", n });
  // ffprobe names MP4 and MOV alike ("mov,mp4,m4a,3gp,3g2,mj2"); the brand decides the extension.
  if (!/\b(mov|mp4)\b/.test(info.formatName)) return coded("reference_video_type", { n });
  if (!limits.codecs.includes(info.videoCodec)) return coded("reference_video_codec", { n, codec: info.videoCodec });
  const seconds = info.durationSec;
  if (seconds < limits.minSec || seconds > limits.maxSec + 0.05) {
    return coded("reference_video_length", { n, seconds: round1(seconds), min: limits.minSec, max: limits.maxSec, model: MODELS[model].label });
  }
  return { seconds, bytes, ext: (await isQuickTime(file)) ? "mov" : "mp4", width: info.width, height: info.height };
}

/** One reference audio clip: WAV or MP3, seconds, bytes. */
export async function checkReferenceAudio(model: ModelId, file: string, bytes: number, n: number): Promise<CheckedAudio | Coded> {
  const limits = limitsOf(model).audio;
  if (bytes > limits.maxBytesEach) return coded("reference_audio_bytes", { n, mb: round1(bytes / MB), max: Math.round(limits.maxBytesEach / MB) });
  const info = await probeAudio(file).catch(() => null);
  if (!info) return coded("reference_unreadable", { kind: "audio", n });
  const ext = info.formatName === "wav" ? "wav" : info.formatName === "mp3" ? "mp3" : null;
  if (!ext) return coded("reference_audio_type", { n });
  if (info.durationSec < limits.minSec || info.durationSec > limits.maxSec + 0.05) {
    return coded("reference_audio_length", { n, seconds: round1(info.durationSec), min: limits.minSec, max: limits.maxSec, model: MODELS[model].label });
  }
  return { seconds: info.durationSec, bytes, ext };
}

/** The set: seconds of all videos, their bytes, seconds of all audio. */
export function referenceSetProblems(model: ModelId, videos: readonly { seconds: number; bytes: number }[], audios: readonly { seconds: number }[]): ReferenceProblem[] {
  const limits = limitsOf(model);
  const label = MODELS[model].label;
  const problems: ReferenceProblem[] = [];
  const videoSeconds = videos.reduce((sum, v) => sum + v.seconds, 0);
  const videoBytes = videos.reduce((sum, v) => sum + v.bytes, 0);
  const audioSeconds = audios.reduce((sum, a) => sum + a.seconds, 0);
  if (videoSeconds > limits.video.totalMaxSec + 0.05) {
    problems.push({ kind: "video", error: coded("reference_videos_total", { seconds: round1(videoSeconds), max: limits.video.totalMaxSec, model: label }) });
  }
  if (videoBytes >= limits.video.totalMaxBytes) {
    problems.push({ kind: "video", error: coded("reference_videos_bytes", { mb: round1(videoBytes / MB), max: Math.round(limits.video.totalMaxBytes / MB), model: label }) });
  }
  if (audioSeconds > limits.audio.totalMaxSec + 0.05) {
    problems.push({ kind: "audio", error: coded("reference_audios_total", { seconds: round1(audioSeconds), max: limits.audio.totalMaxSec, model: label }) });
  }
  return problems;
}

/**
 * The widest limits of any model that takes references: what an upload (app/api/references) is
 * held to before a model is chosen. The chosen model's own limits are checked at create time.
 */
function widestLimits() {
  const all = Object.values(MODELS).flatMap((caps) => (caps.references ? [caps.references] : []));
  const range = (ranges: { minSec: number; maxSec: number }[]) => ({ minSec: Math.min(...ranges.map((r) => r.minSec)), maxSec: Math.max(...ranges.map((r) => r.maxSec)) });
  return {
    video: { codecs: [...new Set(all.flatMap((l) => l.video.codecs))], ...range(all.map((l) => l.video)) },
    audio: range(all.map((l) => l.audio)),
  };
}

/** The first bytes of a file, for its magic number. */
async function headOf(file: string, length = 16): Promise<Buffer> {
  const { open } = await import("node:fs/promises");
  const handle = await open(file, "r");
  try {
    const head = Buffer.alloc(length);
    const { bytesRead } = await handle.read(head, 0, length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The box an MP4 or QuickTime file starts with (ISO base media: size, then type). */
const MOVIE_FIRST_BOXES = new Set(["ftyp", "moov", "mdat", "free", "skip", "wide", "pnot"]);

/** An uploaded video: an MP4/MOV container by its first box and by ffprobe, a codec and a length some model takes. */
export async function checkUploadedVideo(file: string, bytes: number): Promise<CheckedVideo | Coded> {
  const limits = widestLimits().video;
  if (!MOVIE_FIRST_BOXES.has((await headOf(file)).toString("latin1", 4, 8))) return coded("upload_video_type");
  const info = await probeMedia(file).catch(() => null);
  if (!info) {
    // An MP4 holding only sound (an .m4a) is readable, just not a video.
    const audio = await probeAudio(file).catch(() => null);
    return audio ? coded("upload_video_type") : coded("upload_unreadable", { kind: "video" });
  }
  if (!/\b(mov|mp4)\b/.test(info.formatName)) return coded("upload_video_type");
  if (!limits.codecs.includes(info.videoCodec)) return coded("upload_video_codec", { codec: info.videoCodec });
  const seconds = info.durationSec;
  if (seconds < limits.minSec || seconds > limits.maxSec + 0.05) return coded("upload_video_length", { seconds: round1(seconds), min: limits.minSec, max: limits.maxSec });
  return { seconds, bytes, ext: (await isQuickTime(file)) ? "mov" : "mp4", width: info.width, height: info.height };
}

/** WAV (`RIFF....WAVE`) or MP3 (an ID3 tag, or a frame's sync bits) by the first bytes. */
function looksLikeAudio(head: Buffer): boolean {
  if (head.toString("latin1", 0, 4) === "RIFF" && head.toString("latin1", 8, 12) === "WAVE") return true;
  if (head.toString("latin1", 0, 3) === "ID3") return true;
  return head.length >= 2 && head[0] === 0xff && (head[1]! & 0xe0) === 0xe0;
}

/** An uploaded audio clip: WAV or MP3 by its first bytes and by ffprobe, a length some model takes. */
export async function checkUploadedAudio(file: string, bytes: number): Promise<CheckedAudio | Coded> {
  const limits = widestLimits().audio;
  if (!looksLikeAudio(await headOf(file))) return coded("upload_audio_type");
  const info = await probeAudio(file).catch(() => null);
  if (!info) return coded("upload_unreadable", { kind: "audio" });
  const ext = info.formatName === "wav" ? "wav" : info.formatName === "mp3" ? "mp3" : null;
  if (!ext) return coded("upload_audio_type");
  if (info.durationSec < limits.minSec || info.durationSec > limits.maxSec + 0.05) {
    return coded("upload_audio_length", { seconds: round1(info.durationSec), min: limits.minSec, max: limits.maxSec });
  }
  return { seconds: info.durationSec, bytes, ext };
}

/** A QuickTime file's `ftyp` brand is `qt  ` (MP4s carry isom, mp42, ...). */
async function isQuickTime(file: string): Promise<boolean> {
  const { open } = await import("node:fs/promises");
  const handle = await open(file, "r");
  try {
    const head = Buffer.alloc(12);
    await handle.read(head, 0, 12, 0);
    return head.toString("latin1", 4, 8) === "ftyp" && head.toString("latin1", 8, 12) === "qt  ";
  } finally {
    await handle.close();
  }
}
