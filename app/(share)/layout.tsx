import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { buttonClass } from "@/components/ui/button";
import { site } from "@/lib/site";
import { KoreanFontStylesheet } from "@/app/fonts/korean-font";

/** Public pages: the studio's name, an invitation to make one's own, nothing of the studio's chrome. */
export default function ShareLayout({ children }: { children: ReactNode }) {
  const t = useTranslations("share");
  return (
    <div className="mx-auto flex min-h-dvh max-w-5xl flex-col gap-6 p-4 sm:p-8">
      {/* A shared prompt or film title may be Korean: the font comes before the first paint. */}
      <KoreanFontStylesheet />
      <header className="flex items-center justify-between gap-3">
        {/* Plain links: a share page ships no client code for them. */}
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a full load into the studio is fine */}
        <a href="/" className="flex items-center gap-2 text-base font-semibold tracking-tight">
          <span aria-hidden className="inline-block h-3 w-3 rounded-full bg-accent" />
          {site.name}
        </a>
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a full load into the studio is fine */}
        <a href="/" className={buttonClass({ variant: "primary", size: "md" })}>
          {t("makeYourOwn")}
        </a>
      </header>
      <main id="main" className="flex-1">
        {children}
      </main>
      <footer className="text-center text-xs text-muted">
        {t("madeWith", { studio: site.name })}
      </footer>
    </div>
  );
}
