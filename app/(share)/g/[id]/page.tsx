import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { SharedClip } from "@/components/share/shared-clip";
import { loadShare, shareMetadata } from "@/app/(share)/page-data";

export async function generateMetadata({ params }: PageProps<"/g/[id]">): Promise<Metadata> {
  const data = await loadShare((await params).id, "collection");
  return data ? shareMetadata(data) : { title: "Not found" };
}

export default async function SharedCollectionPage({ params }: PageProps<"/g/[id]">) {
  const data = await loadShare((await params).id, "collection");
  if (!data) notFound();
  const t = await getTranslations("share");
  return (
    <section className="flex flex-col gap-6">
      <h1 className="text-xl font-semibold">{data.title ?? t("clipCount", { count: data.clips.length })}</h1>
      <ul className="grid gap-6 sm:grid-cols-2">
        {data.clips.map((clip) => (
          <li key={clip.index}>
            <SharedClip clip={clip} />
          </li>
        ))}
      </ul>
    </section>
  );
}
