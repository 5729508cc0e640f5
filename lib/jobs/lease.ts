import "server-only";
import { renewGenerationLease } from "@/lib/db/generations";
import { log } from "@/lib/log";
import type { AppContext } from "@/lib/context";

/**
 * Runs `work` while renewing this instance's lease on a row (every quarter of `leaseMs`, so a
 * slow statement or two never lets it lapse). For work that may outlast the lease and must not be
 * done twice: a create call in flight (a second send is a second paid task), a clip download (a
 * second copy races the first on the same keys).
 */
export async function whileHoldingLease<T>(ctx: AppContext, id: string, leaseMs: number, work: () => Promise<T>): Promise<T> {
  const owner = ctx.config.instanceId;
  const timer = setInterval(() => {
    renewGenerationLease({ db: ctx.db, id, owner, leaseMs })
      .then((held) => {
        if (!held) log().error({ id }, "lost a row's lease while working on it");
      })
      .catch((err: unknown) => log().warn({ id, err }, "lease renewal failed"));
  }, leaseMs / 4);
  timer.unref?.();
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
