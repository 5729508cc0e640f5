import "server-only";
import { randomBytes } from "node:crypto";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { generations, shares, storyboards, type GenerationRow, type ShareRow } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";

export const MAX_COLLECTION = 50;

export const createShareSchema = z.object({
  generationIds: z
    .array(z.string().min(1).max(64), { error: "Choose the clips to share." })
    .min(1, { error: "Choose at least one clip to share." })
    .max(MAX_COLLECTION, { error: `A collection holds at most ${MAX_COLLECTION} clips.` }),
  hidePrompt: z.boolean().default(false),
  title: z.string().trim().max(120).optional(),
});

/** What a share page may show: the clip itself, never its ids, parameters or upstream ids. */
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

export function sharePath(share: Pick<ShareRow, "id" | "kind">) {
  return share.kind === "clip" ? `/v/${share.id}` : `/g/${share.id}`;
}

export function shareMediaUrl(shareId: string, index: number, file: "video.mp4" | "poster.jpg") {
  return `/api/shares/${shareId}/${index}/${file}`;
}

export async function createShare(db: Db, input: unknown): Promise<{ id: string; path: string; kind: ShareRow["kind"] }> {
  const parsed = createShareSchema.safeParse(input);
  if (!parsed.success) throw new AppError("invalid", parsed.error.issues[0]!.message);
  const ids = [...new Set(parsed.data.generationIds)];
  const rows = await db.select({ id: generations.id, status: generations.status }).from(generations).where(inArray(generations.id, ids));
  const ready = new Set(rows.filter((r) => r.status === "succeeded").map((r) => r.id));
  const missing = ids.filter((id) => !ready.has(id));
  if (missing.length) throw new AppError("invalid", "Only finished clips can be shared.");
  const share: ShareRow = {
    id: randomBytes(16).toString("base64url"),
    kind: ids.length === 1 ? "clip" : "collection",
    generationIds: ids,
    hidePrompt: parsed.data.hidePrompt,
    title: parsed.data.title ?? null,
    storyboardId: null,
    createdAt: new Date(),
    revokedAt: null,
  };
  await db.insert(shares).values(share);
  return { id: share.id, path: sharePath(share), kind: share.kind };
}

export async function revokeShare(db: Db, id: string): Promise<void> {
  const [row] = await db.update(shares).set({ revokedAt: new Date() }).where(and(eq(shares.id, id), isNull(shares.revokedAt))).returning();
  if (!row) throw new AppError("not_found", "No such share link.");
}

const SHARE_ID = /^[A-Za-z0-9_-]{22}$/;

/** An active share and its still-existing clips, in the order they were shared; null means 404. */
export async function getActiveShare(db: Db, id: string): Promise<{ share: ShareRow; rows: GenerationRow[] } | null> {
  if (!SHARE_ID.test(id)) return null;
  const [share] = await db.select().from(shares).where(and(eq(shares.id, id), isNull(shares.revokedAt)));
  if (!share) return null;
  if (share.storyboardId) {
    const film = await filmAsRow(db, share.storyboardId);
    return film ? { share, rows: [film] } : null;
  }
  const found = await db.select().from(generations).where(and(inArray(generations.id, share.generationIds), eq(generations.status, "succeeded")));
  const byId = new Map(found.map((r) => [r.id, r]));
  const rows = share.generationIds.map((gid) => byId.get(gid)).filter((r): r is GenerationRow => Boolean(r));
  if (rows.length === 0) return null;
  return { share, rows };
}

export function toPublicClips(share: ShareRow, rows: GenerationRow[]): PublicClip[] {
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

/** A storyboard's finished film in the shape share pages and media routes read (video, poster, size). */
async function filmAsRow(db: Db, storyboardId: string): Promise<GenerationRow | null> {
  const [board] = await db.select().from(storyboards).where(eq(storyboards.id, storyboardId));
  if (!board || board.exportStatus !== "succeeded" || !board.filmKey) return null;
  return {
    prompt: board.title,
    videoKey: board.filmKey,
    posterKey: board.filmPosterKey,
    width: board.filmWidth,
    height: board.filmHeight,
    durationSec: board.filmDurationSec,
    hasAudio: board.filmHasAudio,
    createdAt: board.exportFinishedAt ?? board.updatedAt,
  } as GenerationRow;
}

/** A public link to a storyboard's finished film (plays on `/v/<id>` like a clip). */
export async function createFilmShare(db: Db, storyboardId: string, { hidePrompt = false }: { hidePrompt?: boolean } = {}) {
  if (!(await filmAsRow(db, storyboardId))) throw new AppError("invalid", "Export the film before sharing it.");
  const share: ShareRow = {
    id: randomBytes(16).toString("base64url"),
    kind: "clip",
    generationIds: [],
    hidePrompt,
    title: null,
    storyboardId,
    createdAt: new Date(),
    revokedAt: null,
  };
  await db.insert(shares).values(share);
  return { id: share.id, path: sharePath(share) };
}
