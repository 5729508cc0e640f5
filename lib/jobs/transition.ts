import "server-only";
import { GENERATION_STATUSES, type GenerationRow, type GenerationStatus, type NewGenerationRow } from "@/lib/db/schema";
import { updateGenerationWithEvent, updateUnchangedGenerationWithEvent } from "@/lib/db/generations";
import { toGeneration, type Generation } from "@/lib/dto/generation";
import type { AppContext } from "@/lib/context";
import { canTransition, isTerminal, STATUS_TIMESTAMP } from "@/lib/status";

type Patch = Partial<Omit<NewGenerationRow, "id" | "status">>;

/**
 * Every write that a creator can see goes through here: the row changes only if the state
 * machine allows it (`to` moves forward, or no `to` and the task is not finished), and the
 * new state is logged as an event and broadcast, in one transaction.
 * Returns the new row, or null when the change was refused (late, duplicate, backwards).
 */
export async function updateGeneration(
  ctx: AppContext,
  { id, to, patch = {} }: { id: string; to?: GenerationStatus; patch?: Patch },
): Promise<GenerationRow | null> {
  const change = changeFor(to, patch);
  if (!change) return null;
  const result = await updateGenerationWithEvent({ db: ctx.db, id, allowedFrom: change.allowedFrom, set: change.set, payloadOf: toGeneration });
  if (!result) return null;
  await ctx.broadcast({ eventId: result.eventId, generation: result.payload as Generation });
  return result.row;
}

/** Which states may take the change, and the columns it writes (the new state's timestamp included). */
function changeFor(to: GenerationStatus | undefined, patch: Patch, now = new Date()) {
  const allowedFrom = to
    ? GENERATION_STATUSES.filter((from) => canTransition(from, to))
    : GENERATION_STATUSES.filter((from) => !isTerminal(from));
  if (allowedFrom.length === 0) return null;
  const set: Partial<NewGenerationRow> & { updatedAt: Date } = { ...patch, updatedAt: now };
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
  ctx: AppContext,
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
