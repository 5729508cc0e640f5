"use client";

import { useTranslations } from "next-intl";
import { CloseIcon } from "@/components/ui/icons";
import { useErrorText } from "@/lib/i18n/use-error-text";
import type { InlineField } from "@/lib/seedance/flags";
import type { FlagChip } from "./use-inline-flags";

/** Catalogue keys (namespace `form`) naming each field an inline flag can set. */
export const FIELD_LABEL: Record<InlineField, string> = {
  resolution: "resolution",
  ratio: "aspectRatio",
  duration: "length",
  frames: "frames",
  fps: "fps",
  seed: "seed",
  camerafixed: "cameraFixed",
  watermark: "watermark",
};

/**
 * The flags lifted from the prompt, under it. A flag with a value the model refuses is drawn as
 * an error, with the reason beside it, right where it was typed (the control shows it too).
 */
export function FlagChips({ chips, errorOf, onClear }: { chips: FlagChip[]; errorOf: (field: InlineField) => string | undefined; onClear: (field: InlineField) => void }) {
  const t = useTranslations("form");
  const errorText = useErrorText();
  if (chips.length === 0) return null;
  return (
    <ul className="flex flex-wrap gap-1.5" aria-label={t("flagsFromPrompt")}>
      {chips.map((chip) => {
        const error = errorOf(chip.field);
        const label = t(FIELD_LABEL[chip.field]);
        return (
          <li
            key={chip.field}
            aria-describedby={error ? `flag-${chip.field}-error` : undefined}
            className={`flex items-center gap-1 rounded-full px-2.5 py-0.5 text-xs ${error ? "bg-red-500/15 text-red-700 ring-1 ring-red-500/60 dark:text-red-300" : "bg-accent/15"}`}
          >
            {label}: {chip.raw || t("missing")}
            {error && (
              <span id={`flag-${chip.field}-error`} className="sr-only">
                {errorText(error)}
              </span>
            )}
            <button type="button" aria-label={t("clearField", { field: label })} className="ml-0.5 text-muted hover:text-ink" onClick={() => onClear(chip.field)}>
              <CloseIcon />
            </button>
          </li>
        );
      })}
    </ul>
  );
}
