/**
 * `Generation` is our JSON shape of a clip, for the API, the SSE stream and the gallery.
 * `toGeneration()` is the only place a database row becomes one.
 */
import { clipKeys, MEDIA_PREFIX, mediaUrl } from "@/lib/storage/keys";
import type { GenerationRow, GenerationStatus } from "@/lib/db/schema";
import type { GenerationSpec } from "@/lib/seedance/schema";
import type { ErrorKind } from "@/lib/errors/codes";
import { isoString } from "@/lib/time";

export interface GenerationError {
  kind?: ErrorKind;
  code: string;
  params?: Record<string, string | number>;
  detail?: string;
  message: string;
}

function generationError(row: GenerationRow): GenerationError {
  const error: GenerationError = { code: row.errorCode ?? "internal", message: row.errorMessage ?? "" };
  if (row.errorKind) error.kind = row.errorKind;
  if (row.errorParams) error.params = row.errorParams;
  if (row.errorDetail) error.detail = row.errorDetail;
  return error;
}

export interface Generation {
  id: string;
  status: GenerationStatus;
  createdAt: string;
  updatedAt: string;
  model: string;
  prompt: string;
  /** The validated request; stored images appear as our own media URLs. */
  request: GenerationSpec;
  parentId: string | null;
  upstreamTaskId: string | null;
  traceId: string | null;
  /**
   * Why it failed (or waits): render `code` with `params` (and `detail` after it) from the
   * catalogue; `message` is the English. Rows from before the error vocabulary have no kind or
   * params, and show `message` as it was stored.
   */
  error: GenerationError | null;
  /** True once the upstream finished and we are copying the clip into our storage. */
  storing: boolean;
  videoUrl: string | null;
  /** 2.5's `mov` output as it came (the player plays `videoUrl`, its MP4 copy); absent otherwise. */
  originalVideoUrl?: string;
  posterUrl: string | null;
  lastFrameUrl: string | null;
  width: number | null;
  height: number | null;
  duration: number | null;
  fps: number | null;
  hasAudio: boolean | null;
  bytes: number | null;
  seed: number | null;
  usage: { completionTokens?: number; totalTokens?: number } | null;
  /** Marked by the creator as a keeper. */
  favorite: boolean;
  timestamps: Partial<Record<"submittedAt" | "runningAt" | "succeededAt" | "failedAt" | "expiredAt" | "cancelledAt" | "expiresAt", string>>;
}


/** `media:inputs/abc.png` -> `/api/media/inputs/abc.png`; https URLs stay as they are. */
export function publicImageUrl(ref: string | undefined): string | undefined {
  if (!ref) return ref;
  return ref.startsWith(MEDIA_PREFIX) ? mediaUrl(ref.slice(MEDIA_PREFIX.length)) : ref;
}

const iso = (date: Date | null | undefined) => (date ? isoString(date) : undefined);

export function toGeneration(row: GenerationRow): Generation {
  // Ours, a keyed hash of the session: nothing a browser needs. Left out rather than deleted,
  // which would turn every request object into a slow dictionary for JSON.stringify.
  const { safety_identifier: _ours, ...request } = row.request;
  void _ours;
  if (request.firstFrame) request.firstFrame = publicImageUrl(request.firstFrame);
  if (request.lastFrame) request.lastFrame = publicImageUrl(request.lastFrame);
  for (const field of ["referenceImages", "referenceVideos", "referenceAudios"] as const) {
    if (request[field]) request[field] = request[field].map((ref) => publicImageUrl(ref)!);
  }
  const timestamps: Generation["timestamps"] = {};
  for (const key of ["submittedAt", "runningAt", "succeededAt", "failedAt", "expiredAt", "cancelledAt", "expiresAt"] as const) {
    const value = iso(row[key]);
    if (value) timestamps[key] = value;
  }
  return {
    id: row.id,
    status: row.status,
    createdAt: isoString(row.createdAt),
    updatedAt: isoString(row.updatedAt),
    model: row.model,
    prompt: row.prompt,
    request,
    parentId: row.parentId,
    upstreamTaskId: row.upstreamTaskId,
    traceId: row.traceId,
    error: row.errorCode ? generationError(row) : null,
    storing: row.status === "running" && Boolean(row.upstreamVideoUrl),
    videoUrl: row.videoKey ? mediaUrl(row.videoKey) : null,
    ...(row.videoKey && row.request.output_format === "mov" ? { originalVideoUrl: mediaUrl(clipKeys(row.id).original) } : {}),
    posterUrl: row.posterKey ? mediaUrl(row.posterKey) : null,
    lastFrameUrl: row.lastFrameKey ? mediaUrl(row.lastFrameKey) : null,
    width: row.width,
    height: row.height,
    duration: row.durationSec,
    fps: row.fps,
    hasAudio: row.hasAudio,
    bytes: row.videoBytes,
    seed: row.seedUsed ?? (row.request.seed !== undefined && row.request.seed >= 0 ? row.request.seed : null),
    usage: row.usage ?? null,
    favorite: row.favorite,
    timestamps,
  };
}

