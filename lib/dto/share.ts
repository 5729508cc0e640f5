/**
 * The JSON shapes of public share links: what a share page may show of a clip (never its ids,
 * parameters or upstream ids) and the link the studio hands out. `toPublicClips()` is the only
 * place a stored clip becomes a public one. Client-safe: no database access.
 */
import type { GenerationRow, ShareRow } from "@/lib/db/schema";

export type ShareKind = ShareRow["kind"];

/** A new link: `/v/<id>` for one clip or a film, `/g/<id>` for a collection. */
export interface ShareLink {
  id: string;
  path: string;
  kind: ShareKind;
}

export interface PublicClip {
  index: number;
  prompt: string | null;
  videoUrl: string;
  posterUrl: string | null;
  width: number | null;
  height: number | null;
  duration: number | null;
  hasAudio: boolean;
  createdAt: string;
}

/** What a share shows of a clip or film: the fields `toPublicClips` reads (a film fills only these). */
export type SharedMedia = Pick<GenerationRow, "prompt" | "videoKey" | "posterKey" | "width" | "height" | "durationSec" | "hasAudio" | "createdAt">;

export function sharePath(share: Pick<ShareRow, "id" | "kind">): string {
  return share.kind === "clip" ? `/v/${share.id}` : `/g/${share.id}`;
}

export function shareMediaUrl(shareId: string, index: number, file: "video.mp4" | "poster.jpg"): string {
  return `/api/shares/${shareId}/${index}/${file}`;
}

export function toShareLink(share: Pick<ShareRow, "id" | "kind">): ShareLink {
  return { id: share.id, path: sharePath(share), kind: share.kind };
}

export function toPublicClips(share: Pick<ShareRow, "id" | "hidePrompt">, rows: readonly SharedMedia[]): PublicClip[] {
  return rows.map((row, index) => ({
    index,
    prompt: share.hidePrompt ? null : row.prompt,
    videoUrl: shareMediaUrl(share.id, index, "video.mp4"),
    posterUrl: row.posterKey ? shareMediaUrl(share.id, index, "poster.jpg") : null,
    width: row.width,
    height: row.height,
    duration: row.durationSec,
    hasAudio: Boolean(row.hasAudio),
    createdAt: row.createdAt.toISOString(),
  }));
}
