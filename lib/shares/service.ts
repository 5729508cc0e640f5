import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { AppContext } from "@/lib/context";
import { getGenerationsByIds } from "@/lib/db/generations";
import type { ShareRow } from "@/lib/db/schema";
import { getActiveShareById, insertShare, revokeShareById } from "@/lib/db/shares";
import { getStoryboardById } from "@/lib/db/storyboards";
import { toShareLink, type SharedMedia, type ShareLink } from "@/lib/dto/share";
import { AppError, issueText } from "@/lib/errors";
import { fieldErrorsFromZod } from "@/lib/errors/zod";

export const MAX_COLLECTION = 50;

export const createShareSchema = z.object({
  generationIds: z
    .array(z.string().min(1).max(64), { error: issueText("share_clips_required") })
    .min(1, { error: issueText("share_clips_required") })
    .max(MAX_COLLECTION, { error: issueText("share_too_many", { max: MAX_COLLECTION }) }),
  hidePrompt: z.boolean().default(false),
  title: z.string().trim().max(120).optional(),
});

/** 128 random bits, base64url: the link itself is the capability. */
const newShareId = () => randomBytes(16).toString("base64url");
const SHARE_ID = /^[A-Za-z0-9_-]{22}$/;

export async function createShare(ctx: AppContext, { input }: { input: unknown }): Promise<ShareLink> {
  const parsed = createShareSchema.safeParse(input);
  if (!parsed.success) throw new AppError("fields_invalid", {}, { fieldErrors: fieldErrorsFromZod(parsed.error) });
  const ids = [...new Set(parsed.data.generationIds)];
  const rows = await getGenerationsByIds({ db: ctx.db, ids });
  const ready = new Set(rows.filter((r) => r.status === "succeeded").map((r) => r.id));
  if (ids.some((id) => !ready.has(id))) throw new AppError("share_unfinished");
  const share: ShareRow = {
    id: newShareId(),
    kind: ids.length === 1 ? "clip" : "collection",
    generationIds: ids,
    hidePrompt: parsed.data.hidePrompt,
    title: parsed.data.title ?? null,
    storyboardId: null,
    createdAt: new Date(),
    revokedAt: null,
  };
  await insertShare({ db: ctx.db, share });
  return toShareLink(share);
}

export async function revokeShare(ctx: AppContext, { id }: { id: string }): Promise<void> {
  if (!(await revokeShareById({ db: ctx.db, id }))) throw new AppError("share_not_found");
}

/** A shared film's clips in their order: what its page lists (prompts hidden with the share's). */
export interface SharedFilmClip {
  prompt: string | null;
  /** Seconds of the clip the film keeps (its trims applied), null when unknown. */
  keptSec: number | null;
}

/**
 * An active share and its still-existing clips (or its film, with the clips it was cut from), in
 * the order they were shared; null means 404.
 */
export async function getActiveShare(
  ctx: AppContext,
  { id }: { id: string },
): Promise<{ share: ShareRow; rows: SharedMedia[]; filmClips?: SharedFilmClip[] } | null> {
  if (!SHARE_ID.test(id)) return null;
  const share = await getActiveShareById({ db: ctx.db, id });
  if (!share) return null;
  if (share.storyboardId) {
    const film = await filmOf(ctx, share.storyboardId);
    return film ? { share, rows: [film], filmClips: await filmClipsOf(ctx, share) } : null;
  }
  const found = (await getGenerationsByIds({ db: ctx.db, ids: share.generationIds })).filter((r) => r.status === "succeeded");
  const byId = new Map(found.map((r) => [r.id, r]));
  const rows = share.generationIds.map((gid) => byId.get(gid)).filter((r) => r !== undefined);
  if (rows.length === 0) return null;
  return { share, rows };
}

/** A storyboard's finished film in the shape share pages and media routes read (video, poster, size). */
async function filmOf(ctx: AppContext, storyboardId: string): Promise<SharedMedia | null> {
  const board = await getStoryboardById({ db: ctx.db, id: storyboardId });
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
  };
}

async function filmClipsOf(ctx: AppContext, share: ShareRow): Promise<SharedFilmClip[]> {
  const board = share.storyboardId ? await getStoryboardById({ db: ctx.db, id: share.storyboardId }) : undefined;
  if (!board) return [];
  const byId = new Map((await getGenerationsByIds({ db: ctx.db, ids: board.items.map((i) => i.generationId) })).map((r) => [r.id, r]));
  return board.items.map((item) => {
    const clip = byId.get(item.generationId);
    const end = item.trimEnd ?? clip?.durationSec ?? null;
    return { prompt: share.hidePrompt ? null : (clip?.prompt ?? null), keptSec: end === null ? null : Math.max(0, end - item.trimStart) };
  });
}

/** A public link to a storyboard's finished film (plays on `/v/<id>` like a clip). */
export async function createFilmShare(ctx: AppContext, { storyboardId, hidePrompt = false }: { storyboardId: string; hidePrompt?: boolean }): Promise<ShareLink> {
  if (!(await filmOf(ctx, storyboardId))) throw new AppError("film_not_exported");
  const share: ShareRow = {
    id: newShareId(),
    kind: "clip",
    generationIds: [],
    hidePrompt,
    title: null,
    storyboardId,
    createdAt: new Date(),
    revokedAt: null,
  };
  await insertShare({ db: ctx.db, share });
  return toShareLink(share);
}
