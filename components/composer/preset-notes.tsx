"use client";

import { useTranslations } from "next-intl";
import { CloseIcon } from "@/components/ui/icons";
import type { ContinueFrom } from "./form-values";

/** "Continuing from" as a chip with its frame, until the creator removes it. */
export function ContinuingChip({ from, onStop }: { from: ContinueFrom; onStop: () => void }) {
  const t = useTranslations("form");
  return (
    <div className="flex items-center gap-2 self-start rounded-full border border-accent/50 bg-accent/10 py-1 pl-1 pr-2 text-sm" role="group" aria-label={t("continuingFrom")}>
      {/* eslint-disable-next-line @next/next/no-img-element -- the clip's last frame, our own media URL */}
      <img src={from.thumb} alt="" className="h-7 w-12 rounded-full object-cover" />
      <span className="max-w-64 truncate" title={from.prompt}>
        {t("continuingFrom")} <span className="text-muted">{from.prompt}</span>
      </span>
      <button type="button" aria-label={t("stopContinuing")} title={t("stopContinuing")} className="rounded-full p-0.5 text-muted hover:text-ink" onClick={onStop}>
        <CloseIcon />
      </button>
    </div>
  );
}

/** What a preset brought (a remix, an extend, a restored draft), with Start over for a draft. */
export function PresetNote({ note, onStartOver }: { note: string; onStartOver?: () => void }) {
  const t = useTranslations("form");
  return (
    <p className="rounded-lg bg-accent/10 px-3 py-2 text-sm" role="status">
      {note}
      {onStartOver && (
        <>
          {" "}
          <button type="button" className="underline hover:text-ink" onClick={onStartOver}>
            {t("startOver")}
          </button>
        </>
      )}
    </p>
  );
}

/** On a phone the composer peeks over the gallery (prompt, model, Generate): this opens the rest. */
export const SHEET_EXTRA = "max-lg:group-data-[sheet=peek]/sheet:hidden";

export function SheetHandle({ open, onToggle }: { open: boolean; onToggle: () => void }) {
  const t = useTranslations("form");
  return (
    <button type="button" aria-expanded={open} onClick={onToggle} className="-mt-1 flex flex-col items-center gap-1 self-center px-4 text-xs text-muted lg:hidden">
      <span aria-hidden className="h-1 w-10 rounded-full bg-line" />
      {open ? t("sheetClose") : t("sheetOpen")}
    </button>
  );
}
