import { useTranslations } from "next-intl";

export default function NotFound() {
  const t = useTranslations("pages");
  return (
    <main id="main" className="mx-auto flex min-h-dvh max-w-md flex-col items-center justify-center gap-4 p-8 text-center">
      <h1 className="text-2xl font-semibold">{t("notFound")}</h1>
      <p className="text-muted">{t("notFoundText")}</p>
      {/* A plain link: next/link in the root not-found puts the client link code in every page's first load. */}
      {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a full load from a 404 is fine */}
      <a href="/" className="rounded-lg bg-accent px-4 py-2 font-medium text-white">
        {t("openStudio")}
      </a>
    </main>
  );
}
