"use client";

import { useTranslations } from "next-intl";
import type { Generation } from "@/lib/dto/generation";


/** True when the clip is part of a "Continue from last frame" chain (has a parent, or a child among `all`). */
export function isChained(g: Generation, all: readonly Generation[]): boolean {
  return g.status === "succeeded" && (g.parentId !== null || all.some((other) => other.parentId === g.id));
}

/** The "Storyboard" button shown on a chained clip. */
export function ChainStoryboardButton({ generation, onOpen }: { generation: Generation; onOpen: () => void }) {
  const t = useTranslations("storyboard");
  return (
    <button
      type="button"
      onClick={onOpen}
      aria-label={t("storyboardOf", { prompt: generation.prompt.slice(0, 60) })}
      className="mt-1 rounded-lg border border-line px-2 py-1 text-xs hover:border-accent"
    >
      {t("title")}
    </button>
  );
}

/** "Make storyboard" in the gallery's selection bar. */
export function MakeStoryboardButton({ onOpen }: { onOpen: () => void }) {
  const t = useTranslations("storyboard");
  return (
    <button type="button" className="rounded-lg border border-accent px-2 py-1 text-xs text-accent" onClick={onOpen}>
      {t("makeStoryboard")}
    </button>
  );
}
