/**
 * Runs `task` once the browser is idle (at the latest after `timeout` ms), in a task of its own;
 * returns a cancel. For effects that would otherwise run in the hydration commit: the first read
 * of `localStorage` or `Notification.permission` asks the browser process and costs 1–10 ms each
 * here, time Lighthouse counted as blocking while it sat in the commit's one long task.
 */
export function whenIdle(task: () => void, timeout = 2000): () => void {
  if (typeof requestIdleCallback === "function") {
    const handle = requestIdleCallback(task, { timeout });
    return () => cancelIdleCallback(handle);
  }
  // Safari has no requestIdleCallback: a timer still leaves the commit's task.
  const handle = window.setTimeout(task, Math.min(timeout, 200));
  return () => clearTimeout(handle);
}
