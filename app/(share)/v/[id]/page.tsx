import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { SharedClip } from "@/components/share/shared-clip";
import { loadShare, shareMetadata } from "@/app/(share)/page-data";

export async function generateMetadata({ params }: PageProps<"/v/[id]">): Promise<Metadata> {
  const data = await loadShare((await params).id, "clip");
  return data ? shareMetadata(data) : { title: "Not found" };
}

export default async function SharedClipPage({ params }: PageProps<"/v/[id]">) {
  const data = await loadShare((await params).id, "clip");
  if (!data) notFound();
  const t = await getTranslations("share");
  return (
    <article className="flex flex-col gap-4">
      <h1 className="sr-only">{data.title ?? t("sharedClip")}</h1>
      <SharedClip clip={data.clips[0]!} autoPlay />
    </article>
  );
}
