import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { generationEvents, generations, GENERATION_STATUSES, type GenerationRow, type GenerationStatus, type NewGenerationRow } from "@/lib/db/schema";
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
  const now = new Date();
  const allowedFrom = to
    ? GENERATION_STATUSES.filter((from) => canTransition(from, to))
    : GENERATION_STATUSES.filter((from) => !isTerminal(from));
  if (allowedFrom.length === 0) return null;
  const set: Partial<NewGenerationRow> = { ...patch, updatedAt: now };
  if (to) {
    set.status = to;
    if (to !== "queued") (set as Record<string, unknown>)[STATUS_TIMESTAMP[to]] = now;
  }
  const result = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(generations)
      .set(set)
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

/** Announces a row as it is now (creation, deletion marker), without changing it. */
export async function announceGeneration(ctx: PipelineContext, row: GenerationRow) {
  const generation = toGeneration(row);
  const [event] = await ctx.db.insert(generationEvents).values({ generationId: row.id, payload: generation }).returning({ id: generationEvents.id });
  await ctx.broadcast({ eventId: event!.id, generation });
}
