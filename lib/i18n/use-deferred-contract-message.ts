"use client";

import { useSyncExternalStore } from "react";
import { useTranslations } from "next-intl";

type Catalogue = typeof import("./contract-messages");

let catalogue: Catalogue | undefined;
let loading: Promise<Catalogue> | undefined;
const listeners = new Set<() => void>();

/** Fetches the message catalogue (once); the studio form asks for it when the creator first touches it. */
export function loadContractMessages(): Promise<Catalogue> {
  return (loading ??= import("./contract-messages").then((loaded) => {
    catalogue = loaded;
    for (const listener of listeners) listener();
    return loaded;
  }));
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/**
 * `useContractMessage` for the studio form, whose messages only appear after the creator acts:
 * the catalogue's patterns stay out of the page's first load, and arrive with the form's first
 * touch (`loadContractMessages`). Until then a message shows as written.
 */
export function useDeferredContractMessage() {
  const t = useTranslations("contract");
  const upstream = useTranslations("upstreamErrors");
  const ready = useSyncExternalStore(subscribe, () => catalogue, () => undefined);
  return (message: string | undefined, code?: string | null): string | undefined =>
    message && ready ? ready.translateContractMessage({ t, upstream }, message, code) : message;
}
