import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { SharedClip } from "@/components/share/shared-clip";
import { loadShare, shareHeading, shareMetadata } from "@/app/(share)/page-data";

export async function generateMetadata({ params }: PageProps<"/v/[id]">): Promise<Metadata> {
  const data = await loadShare((await params).id, "clip");
  return data ? shareMetadata(data) : { title: "Not found" };
}

/** One clip, or a film: a film says so and lists the clips it was cut from. */
export default async function SharedClipPage({ params }: PageProps<"/v/[id]">) {
  const data = await loadShare((await params).id, "clip");
  if (!data) notFound();
  const [t, format, heading] = await Promise.all([getTranslations("share"), getFormatter(), shareHeading(data)]);
  const clip = data.clips[0]!;
  const seconds = (s: number | null) => (s === null ? null : t("seconds", { s: format.number(s, { maximumFractionDigits: 1 }) }));
  const film = data.kind === "film";
  const kicker = film ? t("filmKicker", { count: data.filmClips.length }) : t("clipKicker");
  const length = seconds(clip.duration);
  return (
    <article className="flex flex-col gap-5">
      <header className="flex flex-col gap-1">
        <p className="text-xs font-medium uppercase tracking-wide text-accent-text">
          {kicker}
          {length ? ` · ${length}` : ""}
        </p>
        <h1 className="text-2xl font-semibold tracking-tight text-balance sm:text-3xl">{heading}</h1>
      </header>
      <SharedClip
        clip={clip}
        autoPlay
        label={film ? t("filmVideo", { title: heading }) : t("clipVideo", { title: heading })}
        caption={film ? undefined : clip.prompt === null ? <span className="text-muted">{t("privatePrompt")}</span> : clip.prompt !== heading ? clip.prompt : undefined}
      />
      {film && data.filmClips.length > 0 && (
        <section aria-labelledby="film-clips" className="flex flex-col gap-2">
          <h2 id="film-clips" className="text-base font-semibold">
            {t("filmClips")}
          </h2>
          <ol className="flex flex-col divide-y divide-line rounded-2xl border border-line bg-surface">
            {data.filmClips.map((c, i) => (
              <li key={i} className="flex items-baseline gap-3 px-4 py-2.5 text-sm">
                <span aria-hidden className="w-5 shrink-0 text-right tabular-nums text-muted">
                  {i + 1}
                </span>
                <span className="min-w-0 flex-1">{c.prompt ?? <span className="text-muted">{t("filmClipPrivate", { n: i + 1 })}</span>}</span>
                {c.keptSec !== null && <span className="shrink-0 tabular-nums text-muted">{seconds(c.keptSec)}</span>}
              </li>
            ))}
          </ol>
        </section>
      )}
    </article>
  );
}
