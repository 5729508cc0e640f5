"use client";

import { useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { MODEL_MENU_ORDER, MODELS, modelBadges, resolutionOn, type ModelBadge, type ModelId } from "@/lib/seedance/models";
import { estimateCost, type CostInput, type PriceTable } from "@/lib/seedance/pricing";
import { useFormatNumber } from "@/lib/i18n/use-format-number";
import { ChevronDownIcon } from "@/components/ui/icons";

interface ModelPickerProps {
  model: ModelId;
  /** The current settings: each card's estimate is for them, as that model would take them; null while one is refused. */
  settings: Omit<CostInput, "model"> | null;
  prices?: PriceTable;
  onPick: (model: ModelId) => void;
}

const MENU_ID = "model-menu";

/** The settings as `model` takes them: its resolution, its length range. */
function settingsOn(model: ModelId, settings: Omit<CostInput, "model">): CostInput {
  const caps = MODELS[model];
  const duration = settings.duration === undefined || settings.duration === -1 ? settings.duration : Math.min(caps.durationMax, Math.max(caps.durationMin, settings.duration));
  return { ...settings, model, resolution: resolutionOn(model, settings.resolution), duration, frames: caps.acceptsFrames ? settings.frames : undefined };
}

/**
 * The model as a chip that opens its cards, newest first as the provider lists them: what each
 * is for, what it can do (badges), and what the current settings would cost on it. A native
 * popover (top layer, light dismiss, Escape) so none of it costs script until it is opened.
 */
export function ModelPicker({ model, settings, prices, onPick }: ModelPickerProps) {
  const t = useTranslations("form");
  const tm = useTranslations("models");
  const tb = useTranslations("modelBadges");
  const formatNumber = useFormatNumber();
  const menu = useRef<HTMLDivElement>(null);
  // The cards exist while the menu is open: nine estimates are no part of the first render.
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const node = menu.current;
    if (!node) return;
    const onToggle = (event: Event) => setOpen((event as ToggleEvent).newState === "open");
    node.addEventListener("toggle", onToggle);
    return () => node.removeEventListener("toggle", onToggle);
  }, []);
  const estimates = open ? MODEL_MENU_ORDER.map((id) => ({ id, cost: settings ? estimateCost(settingsOn(id, settings), prices) : null })) : [];
  const priced = estimates.filter((e) => e.cost?.usd != null);
  const cheapest = priced.length > 1 ? priced.reduce((a, b) => (b.cost!.usd! < a.cost!.usd! ? b : a)).id : undefined;

  return (
    <>
      <button
        type="button"
        id="model"
        popoverTarget={MENU_ID}
        className="flex items-center gap-1.5 rounded-full border border-line bg-surface px-3 py-1.5 text-xs font-medium hover:border-accent"
      >
        <span className="text-muted">{t("model")}</span>
        <span>{MODELS[model].label}</span>
        <ChevronDownIcon className="h-3.5 w-3.5 text-muted" />
      </button>
      <div
        ref={menu}
        id={MENU_ID}
        popover="auto"
        role="dialog"
        aria-label={t("chooseModel")}
        className="m-auto max-h-[85dvh] w-[min(44rem,calc(100vw-1.5rem))] overflow-y-auto rounded-2xl border border-line bg-surface p-3 text-ink shadow-2xl backdrop:bg-black/40"
      >
        <p className="mb-2 px-1 text-sm font-medium">{t("chooseModel")}</p>
        {open && (
        <div role="radiogroup" aria-label={t("chooseModel")} className="grid gap-2 sm:grid-cols-2">
          {estimates.map(({ id, cost }) => {
            const badges: ModelBadge[] = [...modelBadges(id), ...(id === cheapest ? (["cheapest"] as const) : [])];
            const figure = !cost
              ? t("estimateUnavailable")
              : cost.usd !== null
                ? t("estimateMoney", { tokens: formatNumber(cost.billedTokens, "compact"), money: formatNumber(cost.usd, "usd") })
                : t("estimateTokens", { tokens: formatNumber(cost.billedTokens, "compact") });
            return (
              <button
                key={id}
                type="button"
                role="radio"
                aria-checked={id === model}
                aria-label={MODELS[id].label}
                aria-describedby={`model-card-${id}`}
                onClick={() => {
                  onPick(id);
                  menu.current?.hidePopover();
                }}
                className="flex flex-col gap-1 rounded-xl border border-line p-3 text-left hover:border-accent aria-checked:border-accent aria-checked:bg-accent/10"
              >
                <span className="text-sm font-semibold">{MODELS[id].label}</span>
                <span id={`model-card-${id}`} className="flex flex-col gap-1">
                  <span className="flex flex-wrap gap-1">
                    {badges.map((badge) => (
                      <span key={badge} className={`rounded-full px-1.5 py-px text-[10px] font-medium ${badge === "cheapest" ? "bg-emerald-500/15 text-emerald-700 dark:text-emerald-300" : "bg-surface-2 text-muted"}`}>
                        {tb(badge)}
                      </span>
                    ))}
                  </span>
                  <span className="text-xs text-muted">{tm(id)}</span>
                  <span className="text-xs tabular-nums">{figure}</span>
                </span>
              </button>
            );
          })}
        </div>
        )}
      </div>
    </>
  );
}
