"use client";

import { useEffect, type RefObject } from "react";

/**
 * On a phone the composer is a sheet fixed over the bottom of the gallery: its height, as
 * `--sheet-h` on the page, pads the gallery's end and the window's scroll (so a card scrolled
 * into view lands above the sheet, not under it). Nothing on a wide screen, where it is a column.
 */
export function useSheetHeight(sheet: RefObject<HTMLElement | null>) {
  useEffect(() => {
    const node = sheet.current;
    if (!node || typeof ResizeObserver === "undefined") return;
    const root = document.documentElement;
    const update = () => {
      const fixed = getComputedStyle(node).position === "fixed";
      const height = fixed ? `${Math.round(node.getBoundingClientRect().height)}px` : "0px";
      root.style.setProperty("--sheet-h", height);
      root.style.scrollPaddingBottom = fixed ? height : "";
    };
    const observer = new ResizeObserver(update);
    observer.observe(node);
    window.addEventListener("resize", update);
    update();
    return () => {
      observer.disconnect();
      window.removeEventListener("resize", update);
      root.style.removeProperty("--sheet-h");
      root.style.scrollPaddingBottom = "";
    };
  }, [sheet]);
}
