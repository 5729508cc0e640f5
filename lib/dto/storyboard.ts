/**
 * `StoryboardDto` is our JSON shape of a storyboard and its film, for the API, the SSE stream
 * (`event: storyboard`) and the panel and films strip. `toStoryboardDto()` is the only place a
 * database row becomes one. Client-safe: no database access, no server-only imports.
 */
import type { GenerationRow, StoryboardExportStatus, StoryboardItem, StoryboardRow } from "@/lib/db/schema";
import type { ErrorLike } from "@/lib/errors/render";
import { mediaUrl } from "@/lib/storage/keys";

export type { StoryboardExportStatus, StoryboardItem };

/** One clip of a storyboard as the editor shows it. */
export interface StoryboardClip extends StoryboardItem {
  prompt: string;
  /** The model that made it ("" when the clip is gone): the gallery's model filter reads it. */
  model: string;
  durationSec: number | null;
  width: number | null;
  height: number | null;
  hasAudio: boolean;
  posterUrl: string | null;
  videoUrl: string | null;
  /** The clip still exists and is finished (a deleted clip keeps its place, marked unavailable). */
  available: boolean;
}

export interface StoryboardFilm {
  url: string;
  downloadUrl: string;
  posterUrl: string | null;
  width: number | null;
  height: number | null;
  durationSec: number | null;
  hasAudio: boolean;
  bytes: number | null;
}

export interface StoryboardDto {
  id: string;
  title: string;
  crossfadeSec: number;
  createdAt: string;
  /** Moves forward with every write (edits and export steps): the newer of two states wins. */
  updatedAt: string;
  items: StoryboardClip[];
  export: {
    status: StoryboardExportStatus;
    /** Marked running but nobody works on it (its process crashed): Export starts it again. */
    stuck: boolean;
    /** Why the last export failed: a coded error, rendered in the creator's language. */
    error: ErrorLike | null;
    film: StoryboardFilm | null;
  };
}

/** An export the loop will work on (or is working on): the storyboard cannot be edited meanwhile. */
export function exportIsUnderWay(status: StoryboardExportStatus): boolean {
  return status === "queued" || status === "running";
}

/**
 * The DTO of a row. `clips` holds the generations its items point at (missing ones show as
 * unavailable); `stuck` is decided by the server, which knows the export's lease holders.
 */
function exportErrorOf(row: StoryboardRow): ErrorLike | null {
  if (!row.exportErrorCode) return row.exportError ? { code: null, message: row.exportError } : null;
  return { code: row.exportErrorCode, params: row.exportErrorParams ?? {}, message: row.exportError ?? "" };
}

export function toStoryboardDto(row: StoryboardRow, clips: ReadonlyMap<string, GenerationRow>, { stuck }: { stuck: boolean }): StoryboardDto {
  // A film's URL carries its finish time so a re-export is never served from a stale cache.
  const version = row.exportFinishedAt ? `?v=${row.exportFinishedAt.getTime()}` : "";
  return {
    id: row.id,
    title: row.title,
    crossfadeSec: row.crossfadeSec,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    items: row.items.map((item) => {
      const clip = clips.get(item.generationId);
      return {
        ...item,
        prompt: clip?.prompt ?? "",
        model: clip?.model ?? "",
        durationSec: clip?.durationSec ?? null,
        width: clip?.width ?? null,
        height: clip?.height ?? null,
        hasAudio: clip?.hasAudio === true,
        posterUrl: clip?.posterKey ? mediaUrl(clip.posterKey) : null,
        videoUrl: clip?.videoKey ? mediaUrl(clip.videoKey) : null,
        available: clip?.status === "succeeded" && !!clip.videoKey,
      };
    }),
    export: {
      status: row.exportStatus,
      stuck,
      error: exportErrorOf(row),
      film:
        row.exportStatus === "succeeded" && row.filmKey
          ? {
              url: `${mediaUrl(row.filmKey)}${version}`,
              downloadUrl: `${mediaUrl(row.filmKey)}?download=1`,
              posterUrl: row.filmPosterKey ? `${mediaUrl(row.filmPosterKey)}${version}` : null,
              width: row.filmWidth,
              height: row.filmHeight,
              durationSec: row.filmDurationSec,
              hasAudio: row.filmHasAudio === true,
              bytes: row.filmBytes,
            }
          : null,
    },
  };
}
