/**
 * The generation state machine: the one place that decides whether a status change is allowed.
 * Callbacks, polling, the submit path and the user's cancel all go through it, so a late,
 * duplicate or out-of-order event can never move a task backwards.
 */
import type { GenerationStatus } from "@/lib/db/schema";

const RANK: Record<GenerationStatus, number> = {
  queued: 0,
  submitted: 1,
  running: 2,
  succeeded: 3,
  failed: 3,
  expired: 3,
  cancelled: 3,
};

export const TERMINAL_STATUSES = ["succeeded", "failed", "expired", "cancelled"] as const satisfies readonly GenerationStatus[];
export const UNFINISHED_STATUSES = ["queued", "submitted", "running"] as const satisfies readonly GenerationStatus[];

export function isTerminal(status: GenerationStatus): boolean {
  return RANK[status] === 3;
}

/** Forward only; nothing leaves a terminal status; staying put is not a transition. */
export function canTransition(from: GenerationStatus, to: GenerationStatus): boolean {
  if (isTerminal(from)) return false;
  return RANK[to] > RANK[from];
}

/** The timestamp column each status stamps when entered. */
export const STATUS_TIMESTAMP = {
  queued: "createdAt",
  submitted: "submittedAt",
  running: "runningAt",
  succeeded: "succeededAt",
  failed: "failedAt",
  expired: "expiredAt",
  cancelled: "cancelledAt",
} as const satisfies Record<GenerationStatus, string>;
