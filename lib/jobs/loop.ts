import "server-only";
import { log } from "@/lib/log";

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
