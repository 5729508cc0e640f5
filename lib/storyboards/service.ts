import "server-only";
import { z } from "zod";
import type { AppContext } from "@/lib/context";
import { getGenerationById, getGenerationsByIds, listGenerationsByParentId } from "@/lib/db/generations";
import type { GenerationRow } from "@/lib/db/schema";
import { deleteStoryboardById, getStoryboardById, getStoryboardByRootGenerationId, insertStoryboard, listStoryboardsByRecentChange } from "@/lib/db/storyboards";
import { exportIsUnderWay, type StoryboardDto } from "@/lib/dto/storyboard";
import { AppError, issueText } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { writeStoryboard } from "./export-gate";
import { exportIsStuck } from "./export-lease";
import { EDITABLE_EXPORT_STATUSES } from "./export-machine";
import { filmKeys } from "@/lib/storage/keys";
import { MAX_CROSSFADE_SEC } from "./film";
import { storyboardDtoOf, storyboardDtosOf } from "./read";

export const MAX_STORYBOARD_CLIPS = 50;

const itemSchema = z.object({
  generationId: z.string().min(1).max(64),
  trimStart: z.number().min(0).max(3600).default(0),
  trimEnd: z.number().min(0).max(3600).nullable().default(null),
});

export const createStoryboardSchema = z.union([
  z.object({ fromChain: z.string().min(1).max(64) }),
  z.object({ generationIds: z.array(z.string().min(1).max(64)).min(1).max(MAX_STORYBOARD_CLIPS), title: z.string().trim().max(120).optional() }),
]);

export const updateStoryboardSchema = z.object({
  title: z.string().trim().max(120).optional(),
  items: z.array(itemSchema).min(1, { error: issueText("storyboard_empty") }).max(MAX_STORYBOARD_CLIPS).optional(),
  crossfadeSec: z.number().min(0).max(MAX_CROSSFADE_SEC).optional(),
});
export type UpdateStoryboardInput = z.input<typeof updateStoryboardSchema>;

const isFinished = (clip: GenerationRow) => clip.status === "succeeded" && !!clip.videoKey;

async function requireStoryboard(ctx: AppContext, id: string) {
  const row = await getStoryboardById({ db: ctx.db, id });
  if (!row) throw new AppError("storyboard_not_found");
  return row;
}

export async function getStoryboard(ctx: AppContext, { id }: { id: string }): Promise<StoryboardDto> {
  return storyboardDtoOf({ db: ctx.db, row: await requireStoryboard(ctx, id) });
}

/** Most recently changed first (an export step is a change). */
export async function listStoryboards(ctx: AppContext, { limit = 50 }: { limit?: number } = {}): Promise<StoryboardDto[]> {
  return storyboardDtosOf({ db: ctx.db, rows: await listStoryboardsByRecentChange({ db: ctx.db, limit }) });
}

/** Finished clips only, in the given order (unknown or unfinished ids are refused). */
async function requireFinished(ctx: AppContext, ids: string[]) {
  const byId = new Map((await getGenerationsByIds({ db: ctx.db, ids })).map((r) => [r.id, r]));
  for (const id of ids) {
    const row = byId.get(id);
    if (!row) throw new AppError("storyboard_clip_missing");
    if (!isFinished(row)) throw new AppError("storyboard_clip_unfinished");
  }
  return byId;
}

export async function createStoryboard(ctx: AppContext, { generationIds, title }: { generationIds: string[]; title?: string }): Promise<StoryboardDto> {
  if (generationIds.length === 0) throw new AppError("storyboard_empty");
  if (generationIds.length > MAX_STORYBOARD_CLIPS) throw new AppError("storyboard_too_many", { max: MAX_STORYBOARD_CLIPS });
  const clips = await requireFinished(ctx, generationIds);
  const row = await insertStoryboard({
    db: ctx.db,
    values: {
      id: newId("sb"),
      title: title ?? clips.get(generationIds[0]!)!.prompt.slice(0, 80),
      items: generationIds.map((generationId) => ({ generationId, trimStart: 0, trimEnd: null })),
    },
  });
  return storyboardDtoOf({ db: ctx.db, row: row! });
}

/**
 * The storyboard of a "Continue from last frame" chain: walks `parentId` up to the root, then
 * down while each clip has exactly one finished child. Made once per root; later calls return it.
 */
export async function storyboardFromChain(ctx: AppContext, { generationId }: { generationId: string }): Promise<StoryboardDto> {
  const db = ctx.db;
  let current = await getGenerationById({ db, id: generationId });
  if (!current) throw new AppError("clip_not_found");
  const seen = new Set<string>([current.id]);
  while (current.parentId) {
    const parent: GenerationRow | null = await getGenerationById({ db, id: current.parentId });
    if (!parent || seen.has(parent.id)) break;
    seen.add(parent.id);
    current = parent;
  }
  const root = current;
  const existing = await getStoryboardByRootGenerationId({ db, rootGenerationId: root.id });
  if (existing) return storyboardDtoOf({ db, row: existing });

  const chain: GenerationRow[] = [root];
  const visited = new Set([root.id]);
  for (let node = root; chain.length < MAX_STORYBOARD_CLIPS; ) {
    const children = (await listGenerationsByParentId({ db, parentId: node.id })).filter(isFinished);
    if (children.length !== 1 || visited.has(children[0]!.id)) break;
    node = children[0]!;
    visited.add(node.id);
    chain.push(node);
  }
  const finished = chain.filter(isFinished);
  if (finished.length === 0) throw new AppError("chain_unfinished");
  const row = await insertStoryboard({
    db,
    values: {
      id: newId("sb"),
      title: root.prompt.slice(0, 80),
      rootGenerationId: root.id,
      items: finished.map((c) => ({ generationId: c.id, trimStart: 0, trimEnd: null })),
    },
  });
  // Null: another request made it first.
  return storyboardDtoOf({ db, row: row ?? (await getStoryboardByRootGenerationId({ db, rootGenerationId: root.id }))! });
}

/** Reorder, remove, trim, crossfade, title. A change while an export runs is refused. */
export async function updateStoryboard(ctx: AppContext, { id, input }: { id: string; input: UpdateStoryboardInput }): Promise<StoryboardDto> {
  const parsed = updateStoryboardSchema.parse(input);
  const row = await requireStoryboard(ctx, id);
  const busy = () => new AppError("export_busy");
  if (exportIsUnderWay(row.exportStatus)) throw busy();
  if (parsed.items) {
    const clips = await requireFinished(ctx, parsed.items.map((i) => i.generationId));
    for (const item of parsed.items) {
      // The end is the clip's own when none is set: a start at or past it keeps nothing either.
      const duration = clips.get(item.generationId)?.durationSec ?? null;
      const end = item.trimEnd ?? duration;
      if (end !== null && end <= item.trimStart) throw new AppError("trim_order");
      if (duration !== null && item.trimEnd !== null && item.trimEnd > duration + 1e-6) throw new AppError("trim_past_end", { seconds: duration });
    }
  }
  const updated = await writeStoryboard(ctx, {
    id,
    from: EDITABLE_EXPORT_STATUSES,
    patch: {
      ...(parsed.title !== undefined ? { title: parsed.title } : {}),
      ...(parsed.items ? { items: parsed.items } : {}),
      ...(parsed.crossfadeSec !== undefined ? { crossfadeSec: parsed.crossfadeSec } : {}),
    },
  });
  if (!updated) {
    // An export started (or the storyboard went) between the read and the write.
    await requireStoryboard(ctx, id);
    throw busy();
  }
  return storyboardDtoOf({ db: ctx.db, row: updated });
}

/** Queues the export job (a no-op while one is queued or running, unless that one is stuck after a crash). */
export async function requestExport(ctx: AppContext, { id }: { id: string }): Promise<StoryboardDto> {
  const row = await requireStoryboard(ctx, id);
  if (!exportIsUnderWay(row.exportStatus) || exportIsStuck(row)) {
    await requireFinished(ctx, row.items.map((i) => i.generationId));
    // Only as read: an export another instance took over meanwhile is left to it.
    const queued = await writeStoryboard(ctx, {
      id,
      to: "queued",
      from: [row.exportStatus],
      owner: row.leaseOwner,
      patch: { exportError: null, exportAttempts: 0, exportRequestedAt: new Date(), leaseOwner: null, leaseUntil: null },
    });
    if (queued) return storyboardDtoOf({ db: ctx.db, row: queued });
  }
  return getStoryboard(ctx, { id });
}

/** Deletes a storyboard and its film files (films/<id>/); shares of its film stop playing. */
export async function deleteStoryboard(ctx: AppContext, { id }: { id: string }): Promise<void> {
  await deleteStoryboardById({ db: ctx.db, id });
  // After the row: an export finishing meanwhile finds no row and removes what it stored itself,
  // and a crash between the two leaves files the export loop's sweep removes.
  await ctx.storage.deletePrefix(filmKeys(id).prefix);
}
