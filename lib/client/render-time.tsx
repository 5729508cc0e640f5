"use client";

import { createContext, useContext } from "react";

/**
 * When the server rendered the page. A clock the server drew (a clip's elapsed time) must hydrate
 * showing the same figure: one that differs makes React drop the server's HTML of the whole
 * gallery and draw it again, losing what was typed into it meanwhile. Clocks start from this and
 * catch up right after they mount (a clock mounted later shows its first frame a little behind).
 */
const RenderTime = createContext<number | null>(null);
export const RenderTimeProvider = RenderTime.Provider;

/** The page's render time (ms since the epoch), or null outside the studio. */
export function useRenderedAt(): number | null {
  return useContext(RenderTime);
}
