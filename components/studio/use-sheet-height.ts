"use client";

import { useEffect, type RefObject } from "react";

/**
 * On a phone the composer is a sheet fixed over the bottom of the gallery: its height pads the
 * end of the page (`page`, the element holding the gallery) and the window's scroll (so a card
 * scrolled into view lands above the sheet, not under it). Nothing on a wide screen, where it is a
 * column. Set as the two elements' own (not inherited) properties: an inherited custom property
 * on the root would restyle every element of the page each time the sheet changes height.
 */
export function useSheetHeight(sheet: RefObject<HTMLElement | null>, page: RefObject<HTMLElement | null>) {
  useEffect(() => {
    const node = sheet.current;
    const padded = page.current;
    if (!node || !padded || typeof ResizeObserver === "undefined") return;
    const root = document.documentElement;
    const update = () => {
      const fixed = getComputedStyle(node).position === "fixed";
      const height = fixed ? `${Math.round(node.getBoundingClientRect().height)}px` : "";
      padded.style.paddingBottom = height;
      root.style.scrollPaddingBottom = height;
    };
    // Its first report comes with the first layout after hydration: measuring here instead would
    // force a layout in the middle of hydration's commit.
    const observer = new ResizeObserver(update);
    observer.observe(node);
    window.addEventListener("resize", update);
    return () => {
      observer.disconnect();
      window.removeEventListener("resize", update);
      padded.style.paddingBottom = "";
      root.style.scrollPaddingBottom = "";
    };
  }, [sheet, page]);
}
