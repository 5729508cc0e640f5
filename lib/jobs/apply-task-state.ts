import "server-only";
import { coded, type Coded } from "@/lib/errors/codes";
import { errorColumns } from "./error-columns";
import { releaseGeneration } from "@/lib/db/generations";
import type { GenerationRow } from "@/lib/db/schema";
import type { AppContext } from "@/lib/context";
import type { SeedanceTaskState } from "@/lib/seedance/types";
import { downloadResult } from "./download";
import { updateGeneration } from "./transition";

/** Checks in a row that find the task unknown upstream before it counts as lost. */
const MISSING_LIMIT = 6;

/** Next poll: the configured interval, stretched for long-running tasks (max 1 minute). */
export function nextCheckDelay(ctx: AppContext, attempts: number) {
  return Math.min(ctx.config.pollIntervalMs * 1.25 ** Math.max(0, attempts - 12), 60_000);
}


/**
 * Applies what the upstream says about a task (from a poll or a verified callback).
 * The caller holds the row's lease.
 */
export async function applyTaskState(
  ctx: AppContext,
  row: GenerationRow,
  state: SeedanceTaskState | null,
  { downloadNow = true }: { downloadNow?: boolean } = {},
): Promise<void> {
  const owner = ctx.config.instanceId;
  const attempts = row.checkAttempts + 1;
  if (!state) {
    // Unknown to the upstream: a few misses in a row can be eventual consistency; more is a lost task.
    const misses = row.missingChecks + 1;
    if (misses >= MISSING_LIMIT && row.status !== "queued") {
      await updateGeneration(ctx, {
        id: row.id,
        to: "failed",
        patch: { ...errorColumns(coded("task_not_found")), leaseOwner: null, leaseUntil: null },
      });
      return;
    }
    await releaseGeneration({
      db: ctx.db,
      id: row.id,
      owner,
      patch: { checkAttempts: attempts, missingChecks: misses, nextCheckAt: new Date(Date.now() + nextCheckDelay(ctx, attempts)) },
    });
    return;
  }
  switch (state.state) {
    case "pending": {
      const next = { checkAttempts: attempts, missingChecks: 0, nextCheckAt: new Date(Date.now() + nextCheckDelay(ctx, attempts)) };
      if (row.status === "submitted") await updateGeneration(ctx, { id: row.id, to: "running", patch: next });
      await releaseGeneration({ db: ctx.db, id: row.id, owner, patch: next });
      return;
    }
    case "succeeded": {
      const patch = {
        upstreamVideoUrl: state.videoUrl,
        upstreamLastFrameUrl: state.lastFrameUrl ?? null,
        ...(state.seed !== undefined ? { seedUsed: state.seed } : {}),
        ...(state.usage ? { usage: state.usage } : {}),
        ...(state.traceId && !row.traceId ? { traceId: state.traceId } : {}),
        checkAttempts: attempts,
      };
      const updated =
        row.status === "submitted"
          ? await updateGeneration(ctx, { id: row.id, to: "running", patch })
          : await updateGeneration(ctx, { id: row.id, patch });
      if (!updated) return;
      if (downloadNow) {
        await downloadResult(ctx, updated);
      } else {
        // Leave the copy to the download phase, so one slow download never holds up polling.
        await releaseGeneration({ db: ctx.db, id: row.id, owner, patch: { nextCheckAt: new Date() } });
        ctx.wake();
      }
      return;
    }
    default:
      await updateGeneration(ctx, {
        id: row.id,
        to: state.state,
        patch: { ...errorColumns({ code: state.error.code, params: {}, detail: state.error.detail } as Coded), leaseOwner: null, leaseUntil: null },
      });
  }
}
