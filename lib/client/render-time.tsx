"use client";

import { createContext, useContext, useSyncExternalStore } from "react";

/**
 * When the server rendered the page. A clock the server drew (a clip's elapsed time) must hydrate
 * showing the same figure: one that differs makes React drop the server's HTML of the whole
 * gallery and draw it again, losing what was typed into it meanwhile.
 */
const RenderTime = createContext<number | null>(null);
export const RenderTimeProvider = RenderTime.Provider;

const noSubscription = () => () => {};

/** "Now" for a first render: the server's render time while the page hydrates, the browser's after. */
export function useFirstRenderNow(): () => number {
  const renderedAt = useContext(RenderTime);
  const hydrated = useSyncExternalStore(noSubscription, () => true, () => false);
  return () => (!hydrated && renderedAt !== null ? renderedAt : Date.now());
}
