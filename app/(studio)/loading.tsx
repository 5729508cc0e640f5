import { useTranslations } from "next-intl";

export default function Loading() {
  const t = useTranslations("pages");
  return (
    <div className="mx-auto grid max-w-[1600px] gap-6 p-4 lg:grid-cols-[420px_1fr]" aria-busy="true" aria-label={t("loading")}>
      <div className="h-[80dvh] animate-pulse rounded-2xl bg-surface" />
      <div className="grid grid-cols-2 gap-4 xl:grid-cols-3">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="aspect-video animate-pulse rounded-xl bg-surface" />
        ))}
      </div>
    </div>
  );
}
