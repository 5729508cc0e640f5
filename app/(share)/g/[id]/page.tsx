import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { SharedClip } from "@/components/share/shared-clip";
import { loadShare, shareHeading, shareMetadata } from "@/app/(share)/page-data";

export async function generateMetadata({ params }: PageProps<"/g/[id]">): Promise<Metadata> {
  const data = await loadShare((await params).id, "collection");
  return data ? shareMetadata(data) : { title: "Not found" };
}

export default async function SharedCollectionPage({ params }: PageProps<"/g/[id]">) {
  const data = await loadShare((await params).id, "collection");
  if (!data) notFound();
  const [t, heading] = await Promise.all([getTranslations("share"), shareHeading(data)]);
  return (
    <section className="flex flex-col gap-6">
      <header className="flex flex-col gap-1">
        <p className="text-xs font-medium uppercase tracking-wide text-accent-text">{t("collectionKicker", { count: data.clips.length })}</p>
        <h1 className="text-2xl font-semibold tracking-tight text-balance">{heading}</h1>
      </header>
      <ul className="grid gap-6 sm:grid-cols-2">
        {data.clips.map((clip, i) => (
          <li key={clip.index}>
            <SharedClip
              clip={clip}
              autoPlay={i === 0}
              label={clip.prompt ? t("clipVideo", { title: clip.prompt.slice(0, 80) }) : t("clipVideoN", { n: i + 1 })}
              caption={clip.prompt ?? <span className="text-muted">{t("privatePrompt")}</span>}
            />
          </li>
        ))}
      </ul>
    </section>
  );
}
