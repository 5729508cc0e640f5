import "server-only";
import { renewGenerationLease } from "@/lib/db/generations";
import { log } from "@/lib/log";
import type { AppContext } from "@/lib/context";

/**
 * Runs `work` while renewing a lease on a row (every quarter of `leaseMs`, so a slow statement or
 * two never lets it lapse). For work that may outlast the lease and must not be done twice: a
 * create call in flight (a second send is a second paid task), a clip download (a second copy
 * races the first on the same keys), a film export (a second ffmpeg run on the same film).
 * `renew` answers whether the lease was still ours.
 */
export async function whileRenewing<T>(
  { renew, leaseMs, row }: { renew: () => Promise<boolean>; leaseMs: number; row: Record<string, unknown> },
  work: () => Promise<T>,
): Promise<T> {
  const timer = setInterval(() => {
    renew()
      .then((held) => {
        if (!held) log().error(row, "lost a row's lease while working on it");
      })
      .catch((err: unknown) => log().warn({ ...row, err }, "lease renewal failed"));
  }, leaseMs / 4);
  timer.unref?.();
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** `whileRenewing` this instance's lease on a generation. */
export function whileHoldingLease<T>(ctx: AppContext, id: string, leaseMs: number, work: () => Promise<T>): Promise<T> {
  const owner = ctx.config.instanceId;
  return whileRenewing({ renew: () => renewGenerationLease({ db: ctx.db, id, owner, leaseMs }), leaseMs, row: { id } }, work);
}
