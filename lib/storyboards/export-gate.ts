import "server-only";
import type { AppContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { insertStoryboardEvent } from "@/lib/db/generation-events";
import { STORYBOARD_EXPORT_STATUSES, type StoryboardExportStatus, type StoryboardRow } from "@/lib/db/schema";
import { claimDueExport, updateStoryboardIf, type StoryboardPatch } from "@/lib/db/storyboards";
import { exportSourcesOf } from "./export-machine";
import { storyboardDtoOf } from "./read";

/**
 * Every write to a storyboard goes through here: the row changes only if the export state
 * machine allows it (`to`, when given, may be entered from the status the row is in, which must
 * also be one of `from`), and the new state is logged as a `storyboard` event and broadcast on
 * the one event stream, in one transaction. Returns the new row, or null when the change was
 * refused (the status moved on, the lease is someone else's, the storyboard is gone).
 */
export async function writeStoryboard(
  ctx: AppContext,
  {
    id,
    to,
    from = STORYBOARD_EXPORT_STATUSES,
    owner,
    patch = {},
  }: {
    id: string;
    to?: StoryboardExportStatus;
    from?: readonly StoryboardExportStatus[];
    /** Only while the lease is held by this owner (null: by nobody); any holder when left out. */
    owner?: string | null;
    patch?: StoryboardPatch;
  },
): Promise<StoryboardRow | null> {
  const allowedFrom = to ? exportSourcesOf(to).filter((s) => from.includes(s)) : [...from];
  if (allowedFrom.length === 0) return null;
  const set: StoryboardPatch = { ...patch, ...(to ? { exportStatus: to } : {}) };
  return withEvent(ctx, (tx) => updateStoryboardIf({ db: tx, id, from: allowedFrom, owner, set }));
}

/**
 * The export loop's step "queued -> running" (or "running -> running", taking over an export
 * whose lease ran out or whose owner is in `goneOwners`): the due export asked for longest ago,
 * with a lease for `owner` and one more attempt counted. Null: nothing is due.
 */
export async function claimNextExport(
  ctx: AppContext,
  { leaseMs, goneOwners }: { leaseMs: number; goneOwners: readonly string[] },
): Promise<StoryboardRow | null> {
  return withEvent(ctx, (tx) =>
    claimDueExport({ db: tx, from: exportSourcesOf("running"), owner: ctx.config.instanceId, leaseMs, goneOwners, set: { exportStatus: "running" } }),
  );
}

async function withEvent(ctx: AppContext, write: (tx: Db) => Promise<StoryboardRow | null>): Promise<StoryboardRow | null> {
  const result = await ctx.db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    const row = await write(tx);
    if (!row) return null;
    const storyboard = await storyboardDtoOf({ db: tx, row });
    const eventId = await insertStoryboardEvent({ db: tx, storyboardId: row.id, storyboard });
    return { row, eventId, storyboard };
  });
  if (!result) return null;
  await ctx.broadcast({ eventId: result.eventId, storyboard: result.storyboard });
  return result.row;
}
