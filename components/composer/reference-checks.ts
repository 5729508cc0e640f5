import { coded, type Coded } from "@/lib/errors/codes";
import type { ModelCapabilities, ReferenceKind } from "@/lib/seedance/models";
import { REFERENCE_DATA_TYPES } from "@/lib/seedance/rules";

/*
 * The checks a reference file gets in the browser before any byte is sent: its kind, its length
 * (probed from the file itself), its size, and the model's totals. The server checks the same
 * again (lib/generations/references.ts); these only spare the creator an upload that would fail.
 */

const MB = 1024 * 1024;
const PROBE_TIMEOUT_MS = 15_000;

export function kindOfFile(file: Blob): ReferenceKind | null {
  const type = file.type.toLowerCase();
  if (type.startsWith("image/")) return "image";
  if (type.startsWith("video/")) return "video";
  if (type.startsWith("audio/")) return "audio";
  return null;
}

/** A link's kind by its path's extension; anything else is taken as an image. */
export function kindOfUrl(url: string): ReferenceKind {
  if (/^clip:/.test(url)) return "video";
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // Not a URL: the URL check says so.
  }
  if (/\.(mp4|mov)$/i.test(path)) return "video";
  if (/\.(wav|mp3)$/i.test(path)) return "audio";
  return "image";
}

/** Seconds of a video or audio file or link, as the browser's media element reads its header. */
export function probeSeconds(source: Blob | string, kind: "video" | "audio"): Promise<number> {
  const url = typeof source === "string" ? source : URL.createObjectURL(source);
  const element = document.createElement(kind);
  element.preload = "metadata";
  element.muted = true;
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), PROBE_TIMEOUT_MS);
    element.onloadedmetadata = () => {
      clearTimeout(timer);
      if (Number.isFinite(element.duration)) resolve(element.duration);
      else reject(new Error("no duration"));
    };
    element.onerror = () => {
      clearTimeout(timer);
      reject(new Error("unreadable"));
    };
    element.src = url;
  }).finally(() => {
    element.removeAttribute("src");
    if (typeof source !== "string") URL.revokeObjectURL(url);
  });
}

interface MediaFacts {
  /** Its number among the references of its kind (1-based). */
  n: number;
  seconds: number;
  bytes: number;
  type: string;
  /** Seconds of the references of this kind already attached. */
  othersSeconds: number;
}

const round = (x: number) => Math.round(x * 10) / 10;

/** The first thing the model refuses about a reference video or audio file, or null. */
export function checkMediaFile(caps: ModelCapabilities, kind: "video" | "audio", { n, seconds, bytes, type, othersSeconds }: MediaFacts): Coded | null {
  const limits = caps.references;
  if (!limits) return coded("no_references", { model: caps.label });
  const model = caps.label;
  if (kind === "video") {
    const { minSec, maxSec, totalMaxSec, totalMaxBytes } = limits.video;
    if (type && !REFERENCE_DATA_TYPES.video.includes(type.toLowerCase())) return coded("reference_video_type", { n });
    if (bytes > totalMaxBytes) return coded("reference_videos_bytes", { mb: round(bytes / MB), max: Math.round(totalMaxBytes / MB), model });
    if (seconds < minSec || seconds > maxSec + 0.05) return coded("reference_video_length", { n, seconds: round(seconds), min: minSec, max: maxSec, model });
    if (othersSeconds + seconds > totalMaxSec + 0.05) return coded("reference_videos_total", { seconds: round(othersSeconds + seconds), max: totalMaxSec, model });
    return null;
  }
  const { minSec, maxSec, totalMaxSec, maxBytesEach } = limits.audio;
  if (type && !REFERENCE_DATA_TYPES.audio.includes(type.toLowerCase())) return coded("reference_audio_type", { n });
  if (bytes > maxBytesEach) return coded("reference_audio_bytes", { n, mb: round(bytes / MB), max: Math.round(maxBytesEach / MB) });
  if (seconds < minSec || seconds > maxSec + 0.05) return coded("reference_audio_length", { n, seconds: round(seconds), min: minSec, max: maxSec, model });
  if (othersSeconds + seconds > totalMaxSec + 0.05) return coded("reference_audios_total", { seconds: round(othersSeconds + seconds), max: totalMaxSec, model });
  return null;
}
