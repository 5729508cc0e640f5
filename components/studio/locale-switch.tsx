"use client";

import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { setLocaleAction } from "@/app/locale-actions";
import { LOCALE_NAMES, LOCALES, type Locale } from "@/lib/i18n/config";

/** English / 한국어: saved in a cookie, so the choice sticks across visits. */
export function LocaleSwitch() {
  const t = useTranslations("studio");
  const locale = useLocale();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <label className="flex items-center gap-1">
      <span className="sr-only">{t("language")}</span>
      <select
        value={locale}
        disabled={pending}
        aria-label={t("language")}
        className="rounded-lg border border-line bg-surface px-1.5 py-0.5 text-xs"
        onChange={(e) =>
          startTransition(async () => {
            await setLocaleAction(e.target.value as Locale);
            router.refresh();
          })
        }
      >
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
