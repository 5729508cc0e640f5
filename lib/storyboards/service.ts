import "server-only";
import { randomBytes } from "node:crypto";
import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { generations, storyboards, type GenerationRow, type StoryboardItem, type StoryboardRow } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { exportIsStuck, MAX_CROSSFADE_SEC } from "./export";

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
  items: z.array(itemSchema).min(1, { error: "A storyboard needs at least one clip." }).max(MAX_STORYBOARD_CLIPS).optional(),
  crossfadeSec: z.number().min(0).max(MAX_CROSSFADE_SEC).optional(),
});
export type UpdateStoryboardInput = z.input<typeof updateStoryboardSchema>;

/** What the browser sees of a storyboard and its clips. */
export interface StoryboardDto {
  id: string;
  title: string;
  crossfadeSec: number;
  createdAt: string;
  updatedAt: string;
  items: (StoryboardItem & {
    prompt: string;
    durationSec: number | null;
    width: number | null;
    height: number | null;
    hasAudio: boolean;
    posterUrl: string | null;
    videoUrl: string | null;
    available: boolean;
  })[];
  export: {
    status: StoryboardRow["exportStatus"];
    /** Marked running but nobody works on it (its process crashed): Export starts it again. */
    stuck: boolean;
    error: string | null;
    film: null | {
      url: string;
      downloadUrl: string;
      posterUrl: string | null;
      width: number | null;
      height: number | null;
      durationSec: number | null;
      hasAudio: boolean;
      bytes: number | null;
    };
  };
}

const mediaUrl = (key: string) => `/api/media/${key}`;
const newId = () => `sb_${randomBytes(12).toString("base64url")}`;

export function toStoryboardDto(row: StoryboardRow, clips: Map<string, GenerationRow>): StoryboardDto {
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
      stuck: exportIsStuck(row),
      error: row.exportError,
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

async function clipsOf(db: Db, rows: StoryboardRow[]) {
  const ids = [...new Set(rows.flatMap((r) => r.items.map((i) => i.generationId)))];
  const clips = ids.length ? await db.select().from(generations).where(inArray(generations.id, ids)) : [];
  return new Map(clips.map((c) => [c.id, c]));
}

export async function getStoryboardRow(db: Db, id: string): Promise<StoryboardRow | null> {
  const [row] = await db.select().from(storyboards).where(eq(storyboards.id, id));
  return row ?? null;
}

export async function getStoryboard(db: Db, id: string): Promise<StoryboardDto> {
  const row = await getStoryboardRow(db, id);
  if (!row) throw new AppError("not_found", "No such storyboard.");
  return toStoryboardDto(row, await clipsOf(db, [row]));
}

export async function listStoryboards(db: Db, limit = 50): Promise<StoryboardDto[]> {
  const rows = await db.select().from(storyboards).orderBy(desc(storyboards.updatedAt)).limit(limit);
  const clips = await clipsOf(db, rows);
  return rows.map((row) => toStoryboardDto(row, clips));
}

/** Finished clips only, in the given order (unknown or unfinished ids are refused). */
async function requireFinished(db: Db, ids: string[]) {
  const rows = ids.length ? await db.select().from(generations).where(inArray(generations.id, ids)) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const id of ids) {
    const row = byId.get(id);
    if (!row) throw new AppError("not_found", "A clip of this storyboard does not exist.");
    if (row.status !== "succeeded" || !row.videoKey) throw new AppError("invalid", "Only finished clips can go into a storyboard.");
  }
  return byId;
}

export async function createStoryboard(db: Db, { generationIds, title }: { generationIds: string[]; title?: string }): Promise<StoryboardDto> {
  if (generationIds.length === 0) throw new AppError("invalid", "Choose at least one clip.");
  if (generationIds.length > MAX_STORYBOARD_CLIPS) throw new AppError("invalid", `A storyboard holds at most ${MAX_STORYBOARD_CLIPS} clips.`);
  const clips = await requireFinished(db, generationIds);
  const [row] = await db
    .insert(storyboards)
    .values({
      id: newId(),
      title: title ?? clips.get(generationIds[0]!)!.prompt.slice(0, 80),
      items: generationIds.map((generationId) => ({ generationId, trimStart: 0, trimEnd: null })),
    })
    .returning();
  return toStoryboardDto(row!, clips);
}

/**
 * The storyboard of a "Continue from last frame" chain: walks `parentId` up to the root, then
 * down while each clip has exactly one finished child. Made once per root; later calls return it.
 */
export async function storyboardFromChain(db: Db, generationId: string): Promise<StoryboardDto> {
  let [current] = await db.select().from(generations).where(eq(generations.id, generationId));
  if (!current) throw new AppError("not_found", "No such clip.");
  const seen = new Set<string>([current.id]);
  while (current.parentId) {
    const [parent] = await db.select().from(generations).where(eq(generations.id, current.parentId));
    if (!parent || seen.has(parent.id)) break;
    seen.add(parent.id);
    current = parent;
  }
  const root = current;
  const [existing] = await db.select().from(storyboards).where(eq(storyboards.rootGenerationId, root.id));
  if (existing) return toStoryboardDto(existing, await clipsOf(db, [existing]));

  const chain: GenerationRow[] = [root];
  const visited = new Set([root.id]);
  for (let node = root; chain.length < MAX_STORYBOARD_CLIPS; ) {
    const children = (await db.select().from(generations).where(eq(generations.parentId, node.id))).filter((c) => c.status === "succeeded" && c.videoKey);
    if (children.length !== 1 || visited.has(children[0]!.id)) break;
    node = children[0]!;
    visited.add(node.id);
    chain.push(node);
  }
  const finished = chain.filter((c) => c.status === "succeeded" && c.videoKey);
  if (finished.length === 0) throw new AppError("invalid", "This chain has no finished clip yet.");
  const [row] = await db
    .insert(storyboards)
    .values({
      id: newId(),
      title: root.prompt.slice(0, 80),
      rootGenerationId: root.id,
      items: finished.map((c) => ({ generationId: c.id, trimStart: 0, trimEnd: null })),
    })
    .onConflictDoNothing()
    .returning();
  if (!row) {
    // Another request made it first.
    const [made] = await db.select().from(storyboards).where(eq(storyboards.rootGenerationId, root.id));
    return toStoryboardDto(made!, await clipsOf(db, [made!]));
  }
  return toStoryboardDto(row, new Map(finished.map((c) => [c.id, c])));
}

/** Reorder, remove, trim, crossfade, title. A change while an export runs is refused. */
export async function updateStoryboard(db: Db, id: string, input: UpdateStoryboardInput): Promise<StoryboardDto> {
  const parsed = updateStoryboardSchema.parse(input);
  const row = await getStoryboardRow(db, id);
  if (!row) throw new AppError("not_found", "No such storyboard.");
  if (row.exportStatus === "queued" || row.exportStatus === "running") throw new AppError("conflict", "Wait for the export to finish before changing the storyboard.");
  if (parsed.items) {
    await requireFinished(db, parsed.items.map((i) => i.generationId));
    for (const item of parsed.items) {
      if (item.trimEnd !== null && item.trimEnd <= item.trimStart) throw new AppError("invalid", "A clip's end must come after its start.");
    }
  }
  const [updated] = await db
    .update(storyboards)
    .set({
      ...(parsed.title !== undefined ? { title: parsed.title } : {}),
      ...(parsed.items ? { items: parsed.items } : {}),
      ...(parsed.crossfadeSec !== undefined ? { crossfadeSec: parsed.crossfadeSec } : {}),
      updatedAt: new Date(),
    })
    .where(eq(storyboards.id, id))
    .returning();
  return toStoryboardDto(updated!, await clipsOf(db, [updated!]));
}

/** Queues the export job (a no-op while one is queued or running, unless that one is stuck after a crash). */
export async function requestExport(db: Db, id: string): Promise<StoryboardDto> {
  const row = await getStoryboardRow(db, id);
  if (!row) throw new AppError("not_found", "No such storyboard.");
  if ((row.exportStatus !== "queued" && row.exportStatus !== "running") || exportIsStuck(row)) {
    await requireFinished(db, row.items.map((i) => i.generationId));
    await db
      .update(storyboards)
      .set({ exportStatus: "queued", exportError: null, exportAttempts: 0, exportRequestedAt: new Date(), leaseOwner: null, leaseUntil: null })
      // Only as read: an export another instance took over meanwhile is left to it.
      .where(and(eq(storyboards.id, id), eq(storyboards.exportStatus, row.exportStatus), row.leaseOwner ? eq(storyboards.leaseOwner, row.leaseOwner) : isNull(storyboards.leaseOwner)));
  }
  return getStoryboard(db, id);
}

export async function deleteStoryboard(db: Db, id: string): Promise<void> {
  await db.delete(storyboards).where(eq(storyboards.id, id));
}
