import "server-only";
import { and, desc, eq, inArray, isNotNull, isNull, lt, ne, or, sql } from "drizzle-orm";
import type { Db } from "./client";
import { storyboards, type StoryboardExportStatus, type StoryboardRow } from "./schema";

export type NewStoryboardRow = typeof storyboards.$inferInsert;
/** What a write may change: everything but the id (the export status goes through the gate's `to`). */
export type StoryboardPatch = Partial<Omit<NewStoryboardRow, "id" | "createdAt" | "updatedAt">>;

export async function getStoryboardById({ db, id }: { db: Db; id: string }): Promise<StoryboardRow | null> {
  const [row] = await db.select().from(storyboards).where(eq(storyboards.id, id)).limit(1);
  return row ?? null;
}

/** The storyboard made from a "Continue from last frame" chain (one per chain root). */
export async function getStoryboardByRootGenerationId({ db, rootGenerationId }: { db: Db; rootGenerationId: string }): Promise<StoryboardRow | null> {
  const [row] = await db.select().from(storyboards).where(eq(storyboards.rootGenerationId, rootGenerationId)).limit(1);
  return row ?? null;
}

/** Most recently changed first. */
export async function listStoryboardsByRecentChange({ db, limit }: { db: Db; limit: number }): Promise<StoryboardRow[]> {
  return db.select().from(storyboards).orderBy(desc(storyboards.updatedAt)).limit(limit);
}

/** Which of `ids` are storyboards (the rest were deleted). */
export async function existingStoryboardIds({ db, ids }: { db: Db; ids: readonly string[] }): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.select({ id: storyboards.id }).from(storyboards).where(inArray(storyboards.id, [...ids]));
  return new Set(rows.map((r) => r.id));
}

/** Inserts a storyboard; with a root generation that already has one, null (the caller reads that one). */
export async function insertStoryboard({ db, values }: { db: Db; values: NewStoryboardRow }): Promise<StoryboardRow | null> {
  const [row] = await db.insert(storyboards).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

/** Deletes a storyboard row; false when there was none. */
export async function deleteStoryboardById({ db, id }: { db: Db; id: string }): Promise<boolean> {
  const rows = await db.delete(storyboards).where(eq(storyboards.id, id)).returning({ id: storyboards.id });
  return rows.length > 0;
}

/** The lease condition of a write: any holder (undefined), nobody (null), or this instance. */
const heldBy = (owner: string | null | undefined) => (owner === undefined ? undefined : owner === null ? isNull(storyboards.leaseOwner) : eq(storyboards.leaseOwner, owner));

/**
 * Every write moves updated_at forward, even two in one millisecond: the browser keeps the newer
 * of two states by it (events and answers can arrive in either order).
 */
const nextUpdatedAt = (now: Date) => sql`greatest(${now.toISOString()}::timestamptz, ${storyboards.updatedAt} + interval '1 millisecond')`;

/**
 * Applies `set` to one storyboard if its export status is one of `from` and its lease is held as
 * `owner` says; the status gate (lib/storyboards/export-gate.ts) is the only caller.
 * `countAttempt` adds one to the export's attempts in the same statement.
 */
export async function updateStoryboardIf({
  db,
  id,
  from,
  owner,
  set,
  countAttempt = false,
  now = new Date(),
}: {
  db: Db;
  id: string;
  from: readonly StoryboardExportStatus[];
  owner?: string | null;
  set: StoryboardPatch;
  countAttempt?: boolean;
  now?: Date;
}): Promise<StoryboardRow | null> {
  const [row] = await db
    .update(storyboards)
    .set({ ...set, ...(countAttempt ? { exportAttempts: sql`${storyboards.exportAttempts} + 1` } : {}), updatedAt: nextUpdatedAt(now) })
    .where(and(eq(storyboards.id, id), inArray(storyboards.exportStatus, [...from]), heldBy(owner)))
    .returning();
  return row ?? null;
}

/**
 * Takes the export asked for longest ago among those in `from` whose lease is free (none, run
 * out, or held by an owner in `goneOwners`): the lease, `set` and one more attempt are written in
 * the same statement as a `FOR UPDATE SKIP LOCKED` pick, so two instances never take one export.
 */
export async function claimDueExport({
  db,
  from,
  owner,
  leaseMs,
  goneOwners,
  set,
  now = new Date(),
}: {
  db: Db;
  from: readonly StoryboardExportStatus[];
  owner: string;
  leaseMs: number;
  goneOwners: readonly string[];
  set: StoryboardPatch;
  now?: Date;
}): Promise<StoryboardRow | null> {
  const free = or(isNull(storyboards.leaseUntil), lt(storyboards.leaseUntil, now), ...(goneOwners.length ? [inArray(storyboards.leaseOwner, [...goneOwners])] : []));
  const picked = db
    .select({ id: storyboards.id })
    .from(storyboards)
    .where(and(inArray(storyboards.exportStatus, [...from]), free))
    .orderBy(storyboards.exportRequestedAt)
    .limit(1)
    .for("update", { skipLocked: true });
  const [row] = await db
    .update(storyboards)
    .set({
      ...set,
      leaseOwner: owner,
      leaseUntil: new Date(now.getTime() + leaseMs),
      exportAttempts: sql`${storyboards.exportAttempts} + 1`,
      updatedAt: nextUpdatedAt(now),
    })
    .where(inArray(storyboards.id, picked))
    .returning();
  return row ?? null;
}

/** Extends an export's lease this owner still holds (no event: nothing a creator sees changes). */
export async function renewExportLease({ db, id, owner, leaseMs }: { db: Db; id: string; owner: string; leaseMs: number }): Promise<boolean> {
  const rows = await db
    .update(storyboards)
    .set({ leaseUntil: new Date(Date.now() + leaseMs) })
    .where(and(eq(storyboards.id, id), eq(storyboards.leaseOwner, owner)))
    .returning({ id: storyboards.id });
  return rows.length > 0;
}

/** Owners of running exports other than `except` (one small query; usually none). */
export async function listRunningExportOwners({ db, except }: { db: Db; except: string }): Promise<string[]> {
  const rows = await db
    .selectDistinct({ owner: storyboards.leaseOwner })
    .from(storyboards)
    .where(and(eq(storyboards.exportStatus, "running"), isNotNull(storyboards.leaseOwner), ne(storyboards.leaseOwner, except)));
  return rows.map((r) => r.owner!);
}
