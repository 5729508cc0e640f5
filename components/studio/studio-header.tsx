"use client";

import { useEffect, useState } from "react";
import { useTranslations } from "next-intl";
import type { UsageSummary } from "@/lib/dto/usage";
import { useFormatNumber } from "@/lib/i18n/use-format-number";
import { site } from "@/lib/site";
import { Icon } from "@/components/ui/icons";
import { Tooltip } from "@/components/ui/tooltip";
import { notifyState, setNotify, watchNotifyPermission, type NotifyState } from "@/lib/client/notify-preference";
import { whenIdle } from "@/lib/client/when-idle";
import { LocaleSwitch } from "./locale-switch";

const BellIcon = ({ off }: { off?: boolean }) => (
  <Icon>
    <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
    <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    {off && <path d="M3 3l18 18" />}
  </Icon>
);

const ChartIcon = () => (
  <Icon>
    <path d="M4 20V10m6 10V4m6 16v-7m4 7H2" />
  </Icon>
);

/**
 * The studio's one-line header: name, token usage, language, simulator, notifications. On a phone
 * it stays one line: the usage line folds behind an icon (a native popover, no code) and the
 * simulator pill shortens.
 */
export function StudioHeader({ usage, simulator }: { usage: UsageSummary; simulator: boolean }) {
  const t = useTranslations("studio");
  const formatNumber = useFormatNumber();
  const usageText = t("usage", { today: formatNumber(usage.today.tokens, "compact"), month: formatNumber(usage.month.tokens, "compact") });
  return (
    <header className="flex min-w-0 items-center justify-between gap-2 whitespace-nowrap">
      <h1 className="min-w-0 truncate text-base font-semibold tracking-tight sm:text-lg">
        <span aria-hidden className="mr-1.5 inline-block h-3 w-3 rounded-full bg-accent align-middle" />
        {site.name}
      </h1>
      <div className="flex shrink-0 items-center gap-1 text-xs text-muted sm:gap-3">
        <span role="note" title={t("usageHint")} aria-label={t("usageLabel")} className="hidden sm:inline">
          {usageText}
        </span>
        <span className="sm:hidden">
          <Tooltip text={t("usageLabel")}>
            <button type="button" popoverTarget="usage-popover" aria-label={t("showUsage")} className="rounded-lg p-1.5 text-base hover:text-ink">
              <ChartIcon />
            </button>
          </Tooltip>
          <span id="usage-popover" popover="auto" className="fixed inset-x-3 top-12 m-0 ml-auto w-max max-w-[calc(100vw-1.5rem)] rounded-lg border border-line bg-surface px-3 py-2 text-xs text-ink shadow-lg">
            {usageText}
          </span>
        </span>
        <LocaleSwitch />
        {simulator && (
          <span className="rounded-full border border-line px-2 py-0.5" title={t("simulatorHint")}>
            <span className="sm:hidden" aria-hidden>
              {t("simulatorShort")}
            </span>
            <span className="max-sm:sr-only">{t("simulator")}</span>
          </span>
        )}
        <NotifyToggle />
      </div>
    </header>
  );
}

/**
 * Notifications as a switch with its state: on, off, or blocked by the browser. A page cannot ask
 * again after Block, so then the press shows where to allow them; the switch follows the browser's
 * site settings when they change (or when the tab regains focus) and turns on by itself.
 * The server renders "off" (a visitor not asked yet, the common case); unsupported browsers drop it.
 */
function NotifyToggle() {
  const t = useTranslations("studio");
  const [state, setState] = useState<NotifyState>("off");
  const [explain, setExplain] = useState(false);
  // Read when the page is idle: the first reads of the permission and of localStorage are slow
  // (lib/client/when-idle.ts), and the switch shows "off" until then, as the server rendered it.
  useEffect(() => {
    const sync = () => setState(notifyState());
    let unwatch: (() => void) | undefined;
    const cancel = whenIdle(() => {
      sync();
      unwatch = watchNotifyPermission(sync);
    });
    return () => {
      cancel();
      unwatch?.();
    };
  }, []);
  if (state === "unsupported") return null;
  const blocked = state === "blocked";
  const on = state === "on";
  const press = () => {
    if (blocked) return setExplain((shown) => !shown);
    void setNotify(!on).then((next) => {
      setState(next);
      setExplain(next === "blocked");
    });
  };
  return (
    <span className="relative">
      <Tooltip text={blocked ? t("notifyBlocked") : on ? t("notifyOn") : t("notifyOff")} align="end">
        <button
          type="button"
          aria-pressed={on}
          aria-describedby={blocked ? "notify-blocked" : undefined}
          onClick={press}
          className={`rounded-lg p-1.5 text-base ${on ? "bg-accent/15 text-accent" : "hover:text-ink"}`}
        >
          <BellIcon off={!on} />
          <span className="sr-only">{t("notifyMe")}</span>
        </button>
      </Tooltip>
      {blocked && (
        <span
          id="notify-blocked"
          className={explain ? "absolute right-0 top-full z-20 mt-2 w-64 whitespace-normal rounded-lg border border-line bg-surface p-3 text-xs text-ink shadow-lg" : "sr-only"}
        >
          {t("notifyBlockedHint")}
        </span>
      )}
    </span>
  );
}
