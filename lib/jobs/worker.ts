import "server-only";
import { and, inArray, isNull, lt } from "drizzle-orm";
import { claimGenerations, releaseGeneration, releaseGenerations } from "@/lib/db/queries";
import { generations, type GenerationRow } from "@/lib/db/schema";
import { log } from "@/lib/log";
import type { SeedanceTaskState } from "@/lib/seedance/types";
import type { PipelineContext } from "./context";
import { downloadResult } from "./download";
import { submitGeneration } from "./submit";
import { updateGeneration } from "./transition";

const LEASE_MS = 120_000;
/** Tasks checked per tick: one retrieve_batch call (the client splits past the API's batch size). */
const CHECK_BATCH = 1000;
const MISSING_LIMIT = 6;
const SLOW_PHASE_MS = 10_000;
/** Clips copied into storage at the same time. */
const DOWNLOAD_SLOTS = 4;

/** Next poll: the configured interval, stretched for long-running tasks (max 1 minute). */
function nextCheckDelay(ctx: PipelineContext, attempts: number) {
  return Math.min(ctx.config.pollIntervalMs * 1.25 ** Math.max(0, attempts - 12), 60_000);
}

/**
 * What a creator reads for a failed task: our plain explanation plus the upstream's own reason
 * (contract §3.3: show `response.error.message`), except for content-policy failures, whose
 * friendly message replaces the raw upstream text.
 */
function failureMessage(error: { message: string; kind?: string; upstreamMessage?: string }): string {
  const reason = error.upstreamMessage?.trim();
  if (!reason || error.kind === "content_policy" || error.message.includes(reason)) return error.message;
  const short = reason.length > 300 ? `${reason.slice(0, 299)}…` : reason;
  return `${error.message} SeeDance said: "${short}"`;
}

/**
 * Applies what the upstream says about a task (from a poll or a verified callback).
 * The caller holds the row's lease.
 */
export async function applyTaskState(
  ctx: PipelineContext,
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
        patch: { errorCode: "task_not_found", errorMessage: "SeeDance no longer knows this task. Retry to generate it again.", leaseOwner: null, leaseUntil: null },
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
        patch: { errorCode: state.error.code, errorMessage: failureMessage(state.error), leaseOwner: null, leaseUntil: null },
      });
  }
}

/** Ends tasks that ran past `execution_expires_after`. */
async function expireOverdue(ctx: PipelineContext) {
  const overdue = await ctx.db
    .select({ id: generations.id })
    .from(generations)
    // A task the upstream finished in time is not expired while we are still storing its clip.
    .where(and(inArray(generations.status, ["submitted", "running"]), isNull(generations.upstreamVideoUrl), lt(generations.expiresAt, new Date())));
  for (const { id } of overdue) {
    await updateGeneration(ctx, {
      id,
      to: "expired",
      patch: { errorCode: "expired", errorMessage: "The task ran past its time limit (task expiry) before SeeDance finished it." },
    });
  }
}

async function submitQueued(ctx: PipelineContext) {
  const rows = await claimGenerations({ db: ctx.db, owner: ctx.config.instanceId, leaseMs: LEASE_MS, limit: 20, kind: "submit" });
  for (const [index, row] of rows.entries()) {
    const after = await submitGeneration(ctx, row.id, { leased: true });
    if (after?.status === "queued") {
      // The upstream refused it for now (rate limit): the rest wait as long, rather than each
      // spending its own round of retries against a limit that is already known.
      const rest = rows.slice(index + 1).map((r) => r.id);
      await releaseGenerations({ db: ctx.db, ids: rest, owner: ctx.config.instanceId, patch: { nextCheckAt: after.nextCheckAt } });
      return;
    }
  }
}

async function checkRunning(ctx: PipelineContext) {
  const rows = await claimGenerations({ db: ctx.db, owner: ctx.config.instanceId, leaseMs: LEASE_MS, limit: CHECK_BATCH, kind: "check" });
  if (rows.length === 0) return;
  let states: Map<string, SeedanceTaskState>;
  try {
    states = await ctx.upstream.retrieveTasks(rows.map((r) => r.upstreamTaskId!).filter(Boolean));
  } catch (error) {
    // The upstream is down or rate-limiting: try these again later, nothing else changes. The
    // attempt is counted, so the wait grows while the outage lasts.
    log().warn({ count: rows.length, error: error instanceof Error ? error.message : String(error) }, "task check failed");
    for (const row of rows) {
      const attempts = row.checkAttempts + 1;
      await releaseGeneration({
        db: ctx.db,
        id: row.id,
        owner: ctx.config.instanceId,
        patch: { checkAttempts: attempts, nextCheckAt: new Date(Date.now() + Math.min(ctx.config.pollIntervalMs * 2 ** Math.min(attempts, 5), 120_000)) },
      });
    }
    return;
  }
  // Tasks still pending that are already running change nothing a creator sees: only their next
  // check is scheduled, in one statement per delay rather than one per task (1,000 pending tasks
  // were 1,000 updates, about half a second of CPU, every tick).
  const pendingByAttempts = new Map<number, string[]>();
  for (const row of rows) {
    const state = row.upstreamTaskId ? (states.get(row.upstreamTaskId) ?? null) : null;
    if (state?.state === "pending" && row.status === "running") {
      const attempts = row.checkAttempts + 1;
      pendingByAttempts.set(attempts, [...(pendingByAttempts.get(attempts) ?? []), row.id]);
      continue;
    }
    await applyTaskState(ctx, row, state, { downloadNow: false });
  }
  for (const [attempts, ids] of pendingByAttempts) {
    await releaseGenerations({
      db: ctx.db,
      ids,
      owner: ctx.config.instanceId,
      patch: { checkAttempts: attempts, missingChecks: 0, nextCheckAt: new Date(Date.now() + nextCheckDelay(ctx, attempts)) },
    });
  }
}

/**
 * Copies finished clips, a few at once. Each slot claims its next clip only when it is free, so
 * a stalled download holds one slot (until its idle timeout), never the clips behind it.
 */
async function downloadFinished(ctx: PipelineContext) {
  const slot = async () => {
    for (;;) {
      const [row] = await claimGenerations({ db: ctx.db, owner: ctx.config.instanceId, leaseMs: LEASE_MS, limit: 1, kind: "download" });
      if (!row) return;
      await downloadResult(ctx, row).catch((error: unknown) => log().error({ id: row.id, err: error }, "clip download crashed"));
    }
  };
  await Promise.all(Array.from({ length: DOWNLOAD_SLOTS }, slot));
}

type Phase = readonly [name: string, step: (ctx: PipelineContext) => Promise<void>];
const FOLLOW_PHASES: Phase[] = [
  ["expire", expireOverdue],
  ["submit", submitQueued],
  ["check", checkRunning],
];
const DOWNLOAD_PHASES: Phase[] = [["download", downloadFinished]];

/** One pass over every kind of due work, in order (tests and tools drive this by hand). */
export async function runWorkerTick(ctx: PipelineContext) {
  await runPhases(ctx, [...FOLLOW_PHASES, ...DOWNLOAD_PHASES]);
}

async function runPhases(ctx: PipelineContext, phases: Phase[]) {
  for (const [phase, step] of phases) {
    const started = Date.now();
    await step(ctx);
    const took = Date.now() - started;
    // A slow phase delays every other task's polling: make it visible.
    if (took > SLOW_PHASE_MS) log().warn({ phase, ms: took }, "worker phase slow");
  }
}

export interface Worker {
  stop(): Promise<void>;
  wake(): void;
}

/** A loop that runs `tick` every `idleMs`, or at once when woken; never two at the same time. */
export function startLoop(name: string, tick: () => Promise<void>, idleMs: number) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const schedule = (delay: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(run, delay);
    timer.unref?.();
  };
  const run = () => {
    if (running) {
      again = true;
      return;
    }
    running = tick()
      .catch((error) => log().error({ err: error, loop: name }, "worker tick failed"))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          schedule(0);
        } else schedule(idleMs);
      });
  };
  schedule(0);
  return {
    wake: () => schedule(0),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/**
 * The worker: one loop follows tasks (expiry, submits, batched polls) and another copies
 * finished clips into storage, so a slow download never delays anyone else's status.
 */
export function startWorker(ctx: PipelineContext, { idleMs = 1000 }: { idleMs?: number } = {}): Worker {
  const follow = startLoop("follow", () => runPhases(ctx, FOLLOW_PHASES), idleMs);
  const downloads = startLoop("download", () => runPhases(ctx, DOWNLOAD_PHASES), idleMs);
  return {
    wake() {
      follow.wake();
      downloads.wake();
    },
    async stop() {
      await Promise.all([follow.stop(), downloads.stop()]);
    },
  };
}
