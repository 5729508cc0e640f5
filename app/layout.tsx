import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import { NextIntlClientProvider } from "next-intl";
import { getLocale } from "next-intl/server";
import type { ReactNode } from "react";
import { site } from "@/lib/site";
import { NOTO_SANS_KR_HREF } from "@/lib/i18n/korean-font";
import { geistMono } from "./fonts/geist-mono";
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
  const locale = await getLocale();
  return (
    <html lang={locale} className={geistMono.variable}>
      <body className="min-h-dvh font-sans antialiased">
        {/* Hangul glyphs, for the Korean interface only (see app/fonts/noto-sans-kr). */}
        {locale === "ko" && <link rel="stylesheet" href={NOTO_SANS_KR_HREF} precedence="default" />}
        <NextIntlClientProvider>
          {children}
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
