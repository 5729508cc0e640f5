"use client";

import { useState, type KeyboardEvent } from "react";

const controlsIn = (list: Element | null) => [...(list?.querySelectorAll<HTMLElement>("[data-roving]") ?? [])];

/**
 * One Tab stop for a list of like controls (the WAI-ARIA roving tabindex): the arrow keys, Home
 * and End move between them, Tab leaves the list. The controls carry `data-roving`, inside the
 * element that gets `onKeyDown`. After one is removed, `focusAt(list, index, whenEmpty)` keeps
 * the focus in the list (on the one that took its place, or the new last), or hands it to
 * `whenEmpty` once the list is gone, instead of dropping it on the page.
 */
export function useRovingFocus(count: number) {
  const [active, setActive] = useState(0);
  const current = Math.min(active, Math.max(0, count - 1));

  const focusAt = (list: Element | null, index: number, whenEmpty?: () => void) => {
    // After React has drawn the list without the removed control.
    requestAnimationFrame(() => {
      const all = list?.isConnected ? controlsIn(list) : [];
      const target = all[Math.min(index, all.length - 1)];
      if (!target) return whenEmpty?.();
      setActive(all.indexOf(target));
      target.focus();
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const all = controlsIn(event.currentTarget);
    const from = all.indexOf(event.target as HTMLElement);
    if (from < 0) return;
    const to = { ArrowRight: from + 1, ArrowDown: from + 1, ArrowLeft: from - 1, ArrowUp: from - 1, Home: 0, End: all.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const next = (to + all.length) % all.length;
    setActive(next);
    all[next]!.focus();
  };

  return { onKeyDown, focusAt, tabIndexOf: (index: number) => (index === current ? 0 : -1) };
}
