import "server-only";
import { claimGeneration, getGenerationById, releaseGeneration } from "@/lib/db/queries";
import { taskStateFromResult } from "@/lib/seedance/types";
import { verifyCallbackSignature } from "./callback-url";
import type { PipelineContext } from "./context";
import { isTerminal } from "./machine";
import { applyTaskState } from "./worker";
import { log } from "@/lib/log";

export const CALLBACK_MAX_BYTES = 64 * 1024;

export type CallbackOutcome = { status: number; body: { ok: boolean; message: string } };

/**
 * An upstream callback for one generation. Verified by the per-generation signature first;
 * then the body only tells us *which* task to look at: the result is confirmed by retrieving
 * the task upstream before any video URL is trusted. Repeats and late arrivals change nothing.
 */
export async function handleSeedanceCallback(
  ctx: PipelineContext,
  { id, signature, rawBody }: { id: string; signature: string | null; rawBody: string },
): Promise<CallbackOutcome> {
  if (!verifyCallbackSignature(ctx.config.callbackSecret, id, signature)) {
    return { status: 401, body: { ok: false, message: "Invalid callback signature." } };
  }
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { status: 400, body: { ok: false, message: "Callback body is not JSON." } };
  }
  const row = await getGenerationById({ db: ctx.db, id });
  if (!row) return { status: 404, body: { ok: false, message: "Unknown generation." } };
  const claimed = taskStateFromResult(json);
  if (claimed && !row.upstreamTaskId && !isTerminal(row.status)) {
    // The upstream answered before our create call finished writing its task id: ask it to
    // deliver again (polling would also pick the result up).
    return { status: 503, body: { ok: false, message: "Not ready for this callback yet; retry." } };
  }
  if (!claimed || !row.upstreamTaskId || claimed.taskId !== row.upstreamTaskId) {
    return { status: 409, body: { ok: false, message: "Callback task does not match this generation." } };
  }
  if (isTerminal(row.status)) return { status: 200, body: { ok: true, message: "Already finished." } };

  const owner = ctx.config.instanceId;
  const leased = await claimGeneration({ db: ctx.db, id, owner, leaseMs: 120_000 });
  if (!leased) {
    // Someone is working on it right now (a poll or a download); they will finish the job.
    ctx.wake();
    return { status: 202, body: { ok: true, message: "Already being processed." } };
  }
  try {
    if (isTerminal(leased.status) || leased.upstreamVideoUrl) {
      await releaseGeneration({ db: ctx.db, id, owner });
      ctx.wake();
      return { status: 200, body: { ok: true, message: "Already handled." } };
    }
    const confirmed = await ctx.upstream.retrieveTask(row.upstreamTaskId);
    if (!confirmed) {
      await releaseGeneration({ db: ctx.db, id, owner });
      return { status: 202, body: { ok: true, message: "Task not visible upstream yet; polling continues." } };
    }
    await applyTaskState(ctx, leased, confirmed);
    return { status: 200, body: { ok: true, message: "Applied." } };
  } catch (error) {
    await releaseGeneration({ db: ctx.db, id, owner }).catch(() => undefined);
    log().warn({ id, err: error }, "callback confirmation failed");
    ctx.wake();
    return { status: 202, body: { ok: true, message: "Confirmation deferred to polling." } };
  }
}
