"use client";

import { useTranslations } from "next-intl";

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  const t = useTranslations("pages");
  return (
    <main id="main" className="mx-auto flex min-h-dvh max-w-md flex-col items-center justify-center gap-4 p-8 text-center">
      <h1 className="text-2xl font-semibold">{t("errorTitle")}</h1>
      <p className="text-muted">{t("errorText")}</p>
      {/* Not the kit's Button: this boundary loads with every page, and Button would come with it
          (a copy of its variants in this chunk, 0.3 KB gzip of the studio's first load). */}
      <button type="button" onClick={reset} className="rounded-lg bg-accent px-4 py-2 font-medium text-white">
        {t("tryAgain")}
      </button>
    </main>
  );
}
