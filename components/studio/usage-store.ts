import { useSyncExternalStore } from "react";
import type { UsageSummary } from "@/lib/dto/usage";

// The header's usage figures: rendered with the page, refreshed by the live gallery when a clip
// finishes. A tiny store rather than the query cache, so the header needs none of its code.
let current: UsageSummary | null = null;
const listeners = new Set<() => void>();

export function setUsage(usage: UsageSummary) {
  current = usage;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The latest figures this tab has seen, else the server's. */
export function useUsage(initial: UsageSummary): UsageSummary {
  return useSyncExternalStore(subscribe, () => current ?? initial, () => initial);
}
