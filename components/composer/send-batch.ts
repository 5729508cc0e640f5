import type { ActionFailure, ActionResult } from "@/lib/errors";
import type { Generation } from "@/lib/dto/generation";

/** Where a batch stands, for the line beside Generate. */
export type BatchProgress =
  | { state: "sending"; started: number; total: number }
  /** The studio's rate limit stopped it part-way: the rest goes when the wait is over. */
  | { state: "waiting"; started: number; total: number; until: number };

/** A wait longer than this is not sat out: the batch stops and the form says how many started. */
const LONGEST_WAIT_SEC = 90;

interface SendBatchOptions<S> {
  /** One spec per clip of the batch (the variations differ by seed). */
  specs: readonly S[];
  create: (spec: S) => Promise<ActionResult<Generation>>;
  onCreated: (generation: Generation, index: number) => void;
  onProgress: (progress: BatchProgress) => void;
  /** Injected for tests; resolves after `ms`. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export type BatchOutcome = { ok: true; started: number } | { ok: false; started: number; failure: ActionFailure };

/**
 * Sends a batch one clip at a time. A rate limit part-way is not the end of it: the batch waits
 * out the server's Retry-After (the form counts it down) and sends the rest, so a batch of four
 * never silently stops at three. Any other refusal ends the batch, reported with how many started.
 */
export async function sendBatch<S>({ specs, create, onCreated, onProgress, sleep = defaultSleep, now = Date.now }: SendBatchOptions<S>): Promise<BatchOutcome> {
  const total = specs.length;
  let started = 0;
  while (started < total) {
    onProgress({ state: "sending", started, total });
    const result = await create(specs[started]!);
    if (result.ok) {
      onCreated(result.data, started);
      started++;
      continue;
    }
    const wait = result.kind === "rate_limited" ? result.retryAfterSec : undefined;
    // A single clip, or a wait too long to sit out, goes back to the creator as it is.
    if (total === 1 || wait === undefined || wait > LONGEST_WAIT_SEC) return { ok: false, started, failure: result };
    onProgress({ state: "waiting", started, total, until: now() + wait * 1000 });
    await sleep(wait * 1000);
  }
  return { ok: true, started };
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
