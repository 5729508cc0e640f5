"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { Button, buttonClass } from "@/components/ui/button";
import { StatusBadge, type StatusTone } from "@/components/ui/status-badge";
import { useErrorText } from "@/lib/i18n/use-error-text";
import { useFormatNumber } from "@/lib/i18n/use-format-number";
import { exportIsUnderWay, type StoryboardDto } from "@/lib/dto/storyboard";
import { useStoryboards } from "@/lib/query/storyboards";
import { filmMatches } from "@/lib/query/generations";
import type { GalleryFilter } from "@/lib/query/keys";
import { asErrorLike, fetchJson } from "@/lib/query/client";
import type { ShareLink } from "@/lib/dto/share";

const FILM_TONE: Record<StoryboardDto["export"]["status"], StatusTone> = { none: "neutral", queued: "info", running: "progress", succeeded: "success", failed: "danger" };

/**
 * Exported films as gallery items, under the gallery's filters: status while the export job runs (it survives restarts on
 * the server), then a preview, a download and the storyboard (with its share link) one click away.
 * Kept current by `storyboard` events on the one event stream: a film exported from the panel
 * shows here as it finishes, without polling.
 */
export function FilmsStrip({ initialStoryboards, filter, onOpen }: { initialStoryboards: StoryboardDto[]; filter: GalleryFilter; onOpen: (id: string) => void }) {
  const t = useTranslations("storyboard");
  const errorText = useErrorText();
  const formatNumber = useFormatNumber();
  const { data } = useStoryboards(initialStoryboards);
  // Under the gallery's filters, as its clips are.
  const films = (data?.items ?? []).filter((b) => b.export.status !== "none" && filmMatches(filter, b));
  if (films.length === 0) return null;
  const status = { queued: t("statusQueued"), running: t("statusRunning"), succeeded: t("statusSucceeded"), failed: t("statusFailed"), none: t("statusNone") };
  return (
    <section aria-label={t("films")} className="flex flex-col gap-2">
      <h2 className="text-sm font-medium">{t("films")}</h2>
      <ul className="grid grid-cols-1 gap-3 sm:grid-cols-2 2xl:grid-cols-3">
        {films.map((board) => {
          const film = board.export.film;
          const unfinished = exportIsUnderWay(board.export.status);
          return (
            <li key={board.id}>
              <article aria-label={`${t("film")}: ${board.title}`} className="flex flex-col overflow-hidden rounded-2xl border border-line bg-surface">
                <div className="relative aspect-video bg-black">
                  {film ? (
                    <video src={film.url} poster={film.posterUrl ?? undefined} controls preload="metadata" playsInline className="h-full w-full object-contain" aria-label={`${t("film")}: ${board.title}`} />
                  ) : (
                    <div className="flex h-full flex-col items-center justify-center gap-2 text-sm text-white/80">
                      {unfinished && <progress aria-label={status[board.export.status]} className="h-2 w-1/2" />}
                    </div>
                  )}
                  <StatusBadge role="status" tone={FILM_TONE[board.export.status]} className="absolute left-2 top-2">
                    {status[board.export.status]}
                  </StatusBadge>
                </div>
                <div className="flex flex-col gap-2 p-3 text-sm">
                  <p className="line-clamp-1 font-medium">{board.title}</p>
                  {film && (
                    <p className="text-xs text-muted">
                      {t("filmInfo", {
                        width: film.width ?? "?",
                        height: film.height ?? "?",
                        seconds: film.durationSec !== null ? formatNumber(film.durationSec, "seconds") : "?",
                      })}
                    </p>
                  )}
                  {board.export.error && <p className="text-xs text-red-700 dark:text-red-300">{errorText(board.export.error)}</p>}
                  <div className="flex flex-wrap gap-1.5 text-xs">
                    {film && (
                      <a href={film.downloadUrl} download className={buttonClass()}>
                        {t("download")}
                      </a>
                    )}
                    <Button onClick={() => onOpen(board.id)} aria-label={t("openFilm", { title: board.title })}>
                      {t("title")}
                    </Button>
                    {film && <FilmShare boardId={board.id} title={board.title} />}
                  </div>
                </div>
              </article>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** "Share film" on a film card: a public link (as the storyboard panel makes it), then copy. */
function FilmShare({ boardId, title }: { boardId: string; title: string }) {
  const t = useTranslations("storyboard");
  const errorText = useErrorText();
  const [url, setUrl] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const share = async () => {
    setError(null);
    try {
      const link = await fetchJson<ShareLink>(`/api/storyboards/${boardId}/share`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      setUrl(`${window.location.origin}${link.path}`);
    } catch (e) {
      setError(errorText(asErrorLike(e)) ?? null);
    }
  };
  if (!url)
    return (
      <>
        <Button onClick={() => void share()} aria-label={t("shareFilmNamed", { title })}>
          {t("share")}
        </Button>
        {error && (
          <p role="alert" className="basis-full text-red-700 dark:text-red-300">
            {error}
          </p>
        )}
      </>
    );
  return (
    <div className="flex basis-full items-center gap-1.5">
      <input readOnly value={url} aria-label={t("shareLink")} onFocus={(e) => e.target.select()} className="min-w-0 flex-1 rounded-lg border border-line bg-surface px-2 py-1 font-mono" />
      <Button onClick={() => void navigator.clipboard?.writeText(url).then(() => setCopied(true))}>{copied ? t("copied") : t("copy")}</Button>
    </div>
  );
}
