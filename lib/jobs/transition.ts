import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { generationEvents, generations, GENERATION_STATUSES, type GenerationRow, type GenerationStatus, type NewGenerationRow } from "@/lib/db/schema";
import { updateUnchangedGenerationWithEvent } from "@/lib/db/queries";
import { toGeneration } from "@/lib/generations/dto";
import type { PipelineContext } from "./context";
import { canTransition, isTerminal, STATUS_TIMESTAMP } from "./machine";

type Patch = Partial<Omit<NewGenerationRow, "id" | "status">>;

/**
 * Every write that a creator can see goes through here: the row changes only if the state
 * machine allows it (`to` moves forward, or no `to` and the task is not finished), and the
 * new state is logged as an event and broadcast, in one transaction.
 * Returns the new row, or null when the change was refused (late, duplicate, backwards).
 */
export async function updateGeneration(
  ctx: PipelineContext,
  { id, to, patch = {} }: { id: string; to?: GenerationStatus; patch?: Patch },
): Promise<GenerationRow | null> {
  const change = changeFor(to, patch);
  if (!change) return null;
  const { allowedFrom, set } = change;
  const result = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(generations)
      // Every write moves updated_at forward, even two in one millisecond: the known-row path
      // below relies on an unchanged updated_at meaning an unchanged row.
      .set({ ...set, updatedAt: sql`greatest(${set.updatedAt!.toISOString()}::timestamptz, ${generations.updatedAt} + interval '1 millisecond')` })
      .where(and(eq(generations.id, id), inArray(generations.status, allowedFrom)))
      .returning();
    if (!row) return null;
    const generation = toGeneration(row);
    const [event] = await tx.insert(generationEvents).values({ generationId: id, payload: generation }).returning({ id: generationEvents.id });
    return { row, eventId: event!.id, generation };
  });
  if (!result) return null;
  await ctx.broadcast({ eventId: result.eventId, generation: result.generation });
  return result.row;
}

/** Which states may take the change, and the columns it writes (the new state's timestamp included). */
function changeFor(to: GenerationStatus | undefined, patch: Patch, now = new Date()) {
  const allowedFrom = to
    ? GENERATION_STATUSES.filter((from) => canTransition(from, to))
    : GENERATION_STATUSES.filter((from) => !isTerminal(from));
  if (allowedFrom.length === 0) return null;
  const set: Partial<NewGenerationRow> = { ...patch, updatedAt: now };
  if (to) {
    set.status = to;
    if (to !== "queued") (set as Record<string, unknown>)[STATUS_TIMESTAMP[to]] = now;
  }
  return { allowedFrom, set };
}

/**
 * `updateGeneration` for a caller that holds the row as last written (the create path): the new
 * row is known before the write, so the update and its event are one statement. Falls back to
 * `updateGeneration` when anything wrote the row in between.
 */
export async function updateKnownGeneration(
  ctx: PipelineContext,
  { row, to, patch = {} }: { row: GenerationRow; to?: GenerationStatus; patch?: Patch },
): Promise<GenerationRow | null> {
  const change = changeFor(to, patch, new Date(Math.max(Date.now(), row.updatedAt.getTime() + 1)));
  if (!change) return null;
  const next = { ...row, ...change.set } as GenerationRow;
  const generation = toGeneration(next);
  const eventId = await updateUnchangedGenerationWithEvent({ db: ctx.db, row, from: change.allowedFrom, set: change.set, payload: generation });
  if (eventId === null) return updateGeneration(ctx, { id: row.id, to, patch });
  await ctx.broadcast({ eventId, generation });
  return next;
}
