import "server-only";
import { coded, type Coded } from "@/lib/errors/codes";
import { MODELS, type ModelId } from "@/lib/seedance/models";
import { probeAudio, probeMedia } from "./probe";

/**
 * The reference media limits (docs/seedance-contract.md#seedance-2x, decision 3) as checks on
 * files: each video (MP4/MOV container, H.264/H.265, seconds) and audio clip (WAV/MP3, seconds,
 * bytes), then the set (seconds and bytes together). Our create path runs them before anything is
 * stored; the simulator runs the same ones on what it fetched, as the upstream would.
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
