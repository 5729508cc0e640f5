"use client";

import { useTranslations } from "next-intl";
import { estimateGenerationSeconds } from "@/lib/seedance/models";
import { estimateCost, type CostInput, type PriceTable } from "@/lib/seedance/pricing";
import { useFormatNumber } from "@/lib/i18n/use-format-number";

interface GenerateBarProps {
  busy: boolean;
  /** What the estimate is computed from; null while one of its fields is refused. */
  cost: CostInput | null;
  prices?: PriceTable;
  variations: number;
  /** Invalid fields after a press, each with its label: links that take the creator there. */
  invalid: { name: string; label: string }[];
  onJump: (name: string) => void;
  formError: string | null;
  progressText: string;
  waiting: boolean;
}

/**
 * Generate, with what it costs on the button itself: tokens for the chosen model, resolution,
 * length, sound and reference video seconds (money where a price is configured or listed), times
 * the variations. Never computed from a value the schema refuses.
 */
export function GenerateBar({ busy, cost, prices, variations, invalid, onJump, formError, progressText, waiting }: GenerateBarProps) {
  const t = useTranslations("form");
  const formatNumber = useFormatNumber();
  const estimate = cost ? estimateCost(cost, prices) : null;
  const tokens = estimate ? formatNumber(estimate.billedTokens * variations, "compact") : "";
  const figure = estimate
    ? estimate.usd !== null
      ? t("estimateMoney", { tokens, money: formatNumber(estimate.usd * variations, "usd") })
      : t("estimateTokens", { tokens })
    : null;

  return (
    // Down over the pane's own padding, so what scrolls under the bar never shows below it.
    <div className="sticky bottom-0 -mx-1 -mb-4 flex flex-col gap-2 bg-surface px-1 pb-4 pt-2 max-lg:-mb-3 max-lg:pb-3">
      {invalid.length > 0 && (
        <div role="group" aria-labelledby="error-summary-title" className="rounded-lg border border-red-500/40 bg-red-500/10 px-3 py-2 text-sm text-red-700 dark:text-red-300">
          <p id="error-summary-title" className="font-medium">
            {t("fixFields", { count: invalid.length })}
          </p>
          <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-xs">
            {invalid.map(({ name, label }) => (
              <li key={name}>
                <a
                  href={`#${name}`}
                  className="underline hover:text-ink"
                  onClick={(event) => {
                    event.preventDefault();
                    onJump(name);
                  }}
                >
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
      {formError && (
        <p role="alert" className="rounded-lg border border-red-500/40 bg-red-500/10 px-3 py-2 text-sm text-red-700 dark:text-red-300">
          {formError}
        </p>
      )}
      <button
        type="submit"
        disabled={busy}
        aria-disabled={busy}
        className="flex items-center justify-center gap-2 rounded-xl bg-accent px-4 py-3 font-semibold text-white shadow transition hover:bg-accent-strong disabled:cursor-progress disabled:opacity-70"
      >
        <span>{busy ? t("sending") : t("generate")}</span>
        {!busy && figure && <span className="text-sm font-normal">· {figure}</span>}
      </button>
      <p className="flex justify-between gap-2 text-xs text-muted" aria-live="polite">
        {estimate && cost ? (
          <span title={estimate.priceFrom === "list" ? `${t("estimateHint")} ${t("estimateListPrice")}` : t("estimateHint")}>
            {t("estimateTime", { seconds: estimateGenerationSeconds(cost) })}
            {variations > 1 ? ` · ${t("variationCount", { count: variations })}` : ""}
          </span>
        ) : (
          <span className="text-red-700 dark:text-red-300">{t("estimateUnavailable")}</span>
        )}
      </p>
      {/* Seen as well as heard: the press's answer sits under the button the creator pressed. */}
      <p role="status" aria-live="polite" className={`text-xs ${progressText ? "" : "sr-only"} ${waiting ? "text-amber-700 dark:text-amber-300" : "text-muted"}`}>
        {progressText}
      </p>
    </div>
  );
}
