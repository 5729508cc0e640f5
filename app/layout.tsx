import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { site } from "@/lib/site";
import { geistMono } from "./fonts/geist-mono";
import { KoreanFontStylesheet, LaterKoreanFont } from "./fonts/korean-font";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: site.name, template: `%s · ${site.name}` },
  description: site.description,
};

export const viewport: Viewport = {
  colorScheme: "light dark",
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f5f5f8" },
    { media: "(prefers-color-scheme: dark)", color: "#1c1c24" },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: Next.js stamps the proxy's CSP nonce on its scripts.
  await headers();
  const [locale, t] = await Promise.all([getLocale(), getTranslations("pages")]);
  return (
    <html lang={locale} className={geistMono.variable}>
      <body className="min-h-dvh font-sans antialiased">
        {/*
          Hangul glyphs on every page (app/fonts/noto-sans-kr): the Korean interface, and Korean
          prompts in the English one. One cached file for both; the browser fetches a subset only
          when the page's text needs it. The English interface has it up front where a page shows
          Hangul from the start (its Korean content: the studio's clips, a share, key names), else
          once it is idle.
        */}
        {locale === "ko" ? <KoreanFontStylesheet /> : <LaterKoreanFont />}
        {/* The first Tab stop: past the header, to the page's <main id="main">. */}
        <a href="#main" className="skip-link">
          {t("skipToContent")}
        </a>
        <NextIntlClientProvider>
          {children}
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
