import "server-only";
import { bringCheckForward, claimGeneration, getGenerationById, releaseGeneration } from "@/lib/db/generations";
import { taskStateFromResult } from "@/lib/seedance/types";
import { checkCallbackSignature } from "./callback-url";
import type { AppContext } from "@/lib/context";
import { isTerminal } from "@/lib/status";
import { applyTaskState } from "./apply-task-state";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";

export const CALLBACK_MAX_BYTES = 64 * 1024;

/**
 * A callback the studio took: 200 once it is applied (or was already), 202 when polling will
 * finish the job. A refused one is thrown as a coded AppError (a bad signature, an expired URL,
 * a task that is not this generation's), answered like every other error.
 */
export type CallbackOutcome =
  | { status: 200; outcome: "applied" | "already_finished" | "already_handled" }
  | { status: 202; outcome: "being_processed" | "not_visible_yet" | "deferred_to_polling" };

/**
 * After a callback's own upstream read learns nothing final, the row stays leased this long, so
 * a replay (or a flood of them) costs no further read: never more often than polling reads it
 * (the poll interval), at least 1 s and at most 5 s.
 */
export const callbackCooldownMs = (ctx: AppContext) => Math.min(Math.max(ctx.config.pollIntervalMs, 1000), 5000);

/**
 * An upstream callback for one generation. Verified by the per-generation signature (and its
 * expiry) first; then the body only tells us *which* task to look at: the result is confirmed
 * by retrieving the task upstream before any video URL is trusted. Repeats and late arrivals
 * change nothing, and cost no upstream read while the row is being worked on, is finished, or
 * was read by a callback within the cool-down.
 */
export async function handleSeedanceCallback(
  ctx: AppContext,
  { id, signature, rawBody }: { id: string; signature: string | null; rawBody: string },
): Promise<CallbackOutcome> {
  const signed = checkCallbackSignature(ctx.config.callbackSecret, id, signature);
  if (signed === "invalid") throw new AppError("callback_signature_invalid");
  // The task it was made for can no longer call back: refused before any read.
  if (signed === "expired") throw new AppError("callback_expired");
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new AppError("body_not_json");
  }
  const row = await getGenerationById({ db: ctx.db, id });
  if (!row) throw new AppError("generation_not_found");
  const claimed = taskStateFromResult(json);
  if (claimed && !row.upstreamTaskId && !isTerminal(row.status)) {
    // The upstream answered before our create call finished writing its task id: ask it to
    // deliver again (polling would also pick the result up).
    throw new AppError("callback_not_ready", {}, { retryAfterSec: 1 });
  }
  if (!claimed || !row.upstreamTaskId || claimed.taskId !== row.upstreamTaskId) {
    throw new AppError("callback_task_mismatch");
  }
  if (isTerminal(row.status)) return { status: 200, outcome: "already_finished" };

  const owner = ctx.config.instanceId;
  const cooldownMs = callbackCooldownMs(ctx);
  const leased = await claimGeneration({ db: ctx.db, id, owner, leaseMs: 120_000 });
  if (!leased) {
    // Someone is working on it right now (a poll, a download, another copy of this callback) or
    // it was read moments ago: no upstream read here, but the next poll comes within the cool-down,
    // so a genuine callback that lands now is not left waiting for a long poll interval.
    await bringCheckForward({ db: ctx.db, id, at: new Date(Date.now() + cooldownMs) });
    ctx.wake();
    return { status: 202, outcome: "being_processed" };
  }
  // Keeps the row for the cool-down (a shorter lease than the one claimed, or a new one).
  const coolDown = () => claimGeneration({ db: ctx.db, id, owner, leaseMs: cooldownMs, reentrant: true });
  try {
    if (isTerminal(leased.status) || leased.upstreamVideoUrl) {
      await releaseGeneration({ db: ctx.db, id, owner });
      ctx.wake();
      return { status: 200, outcome: "already_handled" };
    }
    const confirmed = await ctx.upstream.retrieveTask(row.upstreamTaskId);
    if (!confirmed) {
      await coolDown();
      return { status: 202, outcome: "not_visible_yet" };
    }
    await applyTaskState(ctx, leased, confirmed);
    // Still pending (an early or replayed claim): applyTaskState released the row; hold it again.
    if (confirmed.state === "pending") await claimGeneration({ db: ctx.db, id, owner, leaseMs: cooldownMs });
    return { status: 200, outcome: "applied" };
  } catch (error) {
    await coolDown().catch(() => undefined);
    log().warn({ id, err: error }, "callback confirmation failed");
    ctx.wake();
    return { status: 202, outcome: "deferred_to_polling" };
  }
}
