import Link from "next/link";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { site } from "@/lib/site";

export default function ShareLayout({ children }: { children: ReactNode }) {
  const t = useTranslations("share");
  return (
    <div className="mx-auto flex min-h-dvh max-w-5xl flex-col gap-6 p-4 sm:p-8">
      <main id="main" className="flex-1">{children}</main>
      <footer className="text-center text-xs text-muted">
        {t("madeWith")} <Link href="/" className="underline">{site.name}</Link>
      </footer>
    </div>
  );
}
