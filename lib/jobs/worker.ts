import "server-only";
import { coded } from "@/lib/errors/codes";
import { errorColumns } from "./error-columns";
import { claimGenerations, listOverdueGenerationIds, releaseGeneration, releaseGenerations } from "@/lib/db/generations";
import { log } from "@/lib/log";
import type { SeedanceTaskState } from "@/lib/seedance/types";
import type { AppContext } from "@/lib/context";
import { applyTaskState, nextCheckDelay } from "./apply-task-state";
import { downloadResult } from "./download";
import { startLoop } from "./loop";
import { submitGeneration } from "./submit";
import { updateGeneration } from "./transition";

const LEASE_MS = 120_000;
/** Tasks checked per tick: one retrieve_batch call (the client splits past the API's batch size). */
const CHECK_BATCH = 1000;
const SLOW_PHASE_MS = 10_000;
/** Clips copied into storage at the same time. */
const DOWNLOAD_SLOTS = 4;

/** Ends tasks that ran past `execution_expires_after`. */
async function expireOverdue(ctx: AppContext) {
  for (const id of await listOverdueGenerationIds({ db: ctx.db, now: new Date() })) {
    await updateGeneration(ctx, {
      id,
      to: "expired",
      patch: errorColumns(coded("expired")),
    });
  }
}

async function submitQueued(ctx: AppContext) {
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

async function checkRunning(ctx: AppContext) {
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
async function downloadFinished(ctx: AppContext) {
  const slot = async () => {
    for (;;) {
      const [row] = await claimGenerations({ db: ctx.db, owner: ctx.config.instanceId, leaseMs: LEASE_MS, limit: 1, kind: "download" });
      if (!row) return;
      await downloadResult(ctx, row).catch((error: unknown) => log().error({ id: row.id, err: error }, "clip download crashed"));
    }
  };
  await Promise.all(Array.from({ length: DOWNLOAD_SLOTS }, slot));
}

type Phase = readonly [name: string, step: (ctx: AppContext) => Promise<void>];
const FOLLOW_PHASES: Phase[] = [
  ["expire", expireOverdue],
  ["submit", submitQueued],
  ["check", checkRunning],
];
const DOWNLOAD_PHASES: Phase[] = [["download", downloadFinished]];

/** One pass over every kind of due work, in order (tests and tools drive this by hand). */
export async function runWorkerTick(ctx: AppContext) {
  await runPhases(ctx, [...FOLLOW_PHASES, ...DOWNLOAD_PHASES]);
}

async function runPhases(ctx: AppContext, phases: Phase[]) {
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

/**
 * The worker: one loop follows tasks (expiry, submits, batched polls) and another copies
 * finished clips into storage, so a slow download never delays anyone else's status.
 */
export function startWorker(ctx: AppContext, { idleMs = 1000 }: { idleMs?: number } = {}): Worker {
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
