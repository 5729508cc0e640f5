"use client";

import { useCallback, useEffect, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { Button, buttonClass } from "@/components/ui/button";
import { closeDialog, Dialog } from "@/components/ui/dialog";
import type { ShareLink } from "@/lib/dto/share";
import { exportIsUnderWay, type StoryboardDto } from "@/lib/dto/storyboard";
import { useErrorText } from "@/lib/i18n/use-error-text";
import type { ErrorLike } from "@/lib/errors/render";
import { asErrorLike, fetchJson } from "@/lib/query/client";
import { upsertStoryboard, useStoryboard, useStoryboardCache, useStoryboardSaves, type StoryboardEdit } from "@/lib/query/storyboards";
import { CutPreview } from "./cut-preview";
import { TrimTimeline, type Trim } from "./trim-timeline";

/** Every string of this panel, from the message catalogue (namespace `storyboard`). */
function useStoryboardText() {
  const t = useTranslations("storyboard");
  const format = useFormatter();
  const seconds = (value: number) => format.number(value, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return {
    title: t("title"),
    loading: t("loading"),
    close: t("close"),
    clips: t("clips"),
    clip: (n: number) => t("clip", { n }),
    moveUp: (n: number) => t("moveUp", { n }),
    moveDown: (n: number) => t("moveDown", { n }),
    remove: (n: number) => t("remove", { n }),
    up: t("up"),
    down: t("down"),
    removeShort: t("removeShort"),
    trimStart: (n: number) => t("trimStart", { n }),
    trimEnd: (n: number) => t("trimEnd", { n }),
    start: t("start"),
    end: t("end"),
    seconds: (value: number) => t("seconds", { s: seconds(value) }),
    noAudio: t("noAudio"),
    withAudio: t("withAudio"),
    dragHint: t("dragHint"),
    crossfade: t("crossfade"),
    exportFilm: t("exportFilm"),
    reexport: t("reexport"),
    status: {
      none: t("statusNone"),
      queued: t("statusQueued"),
      running: t("statusRunning"),
      succeeded: t("statusSucceeded"),
      failed: t("statusFailed"),
    },
    film: t("film"),
    download: t("download"),
    share: t("share"),
    shareLink: t("shareLink"),
    copy: t("copy"),
    copied: t("copied"),
    filmInfo: (w: number | null, h: number | null, d: number | null) =>
      t("filmInfo", { width: w ?? "?", height: h ?? "?", seconds: d !== null ? seconds(d) : "?" }),
    unavailable: t("unavailable"),
    lastClip: t("lastClip"),
    previewCut: t("previewCut"),
    hidePreview: t("hidePreview"),
  };
}

type Source = { fromChain: string } | { generationIds: string[] } | { id: string };

const json = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/**
 * A storyboard editor in a dialog: clips in order with thumbnails, reorder by drag and drop
 * or Up/Down, remove, trims, crossfade, "Export film" with live status, the film and its download.
 * The storyboard lives in the query cache: the API's answers and the event stream's `storyboard`
 * events (lib/query/events.ts) write it there, so the export's progress arrives without polling.
 */
export function StoryboardPanel({ source, onClose }: { source: Source; onClose: () => void }) {
  const TEXT = useStoryboardText();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const cache = useStoryboardCache();
  const [boardId, setBoardId] = useState<string | null>("id" in source ? source.id : null);
  const { data: board, error: loadError } = useStoryboard(boardId);
  const [error, setError] = useState<ErrorLike | null>(null);
  const [dragIndex, setDragIndex] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [shareUrl, setShareUrl] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [previewing, setPreviewing] = useState(false);
  const sourceKey = JSON.stringify(source);

  // A new storyboard (from a selection or a chain) is made once; the answer goes into the cache.
  useEffect(() => {
    const parsed = JSON.parse(sourceKey) as Source;
    if ("id" in parsed) return;
    let cancelled = false;
    fetchJson<StoryboardDto>("/api/storyboards", json(parsed))
      .then((made) => {
        if (cancelled) return;
        upsertStoryboard(queryClient, made);
        setBoardId(made.id);
      })
      .catch((e: unknown) => !cancelled && setError(asErrorLike(e)));
    return () => {
      cancelled = true;
    };
  }, [sourceKey, queryClient]);

  // A stuck export (its process crashed) is not "exporting": Export is pressable again and re-queues it.
  const exporting = board ? exportIsUnderWay(board.export.status) && !board.export.stuck : false;

  const saveEdit = useStoryboardSaves(useCallback((e: unknown) => setError(asErrorLike(e)), []));
  const save = (edit: StoryboardEdit) => {
    if (!board) return;
    setError(null);
    saveEdit(board.id, edit);
  };

  const move = (from: number, to: number) => {
    if (!board || to < 0 || to >= board.items.length || from === to) return;
    const items = [...board.items];
    const [moved] = items.splice(from, 1);
    items.splice(to, 0, moved!);
    save({ items });
  };
  const remove = (index: number) => {
    if (!board) return;
    if (board.items.length <= 1) return setError({ message: TEXT.lastClip });
    save({ items: board.items.filter((_, i) => i !== index) });
  };
  const trim = (index: number, next: Trim) => {
    if (!board) return;
    save({ items: board.items.map((item, i) => (i === index ? { ...item, trimStart: next.start, trimEnd: next.end } : item)) });
  };
  const exportFilm = async () => {
    if (!board) return;
    setBusy(true);
    setError(null);
    try {
      cache.upsert(await fetchJson<StoryboardDto>(`/api/storyboards/${board.id}/export`, { method: "POST" }));
    } catch (e) {
      setError(asErrorLike(e));
    } finally {
      setBusy(false);
    }
  };

  const shareFilm = async () => {
    if (!board) return;
    setError(null);
    try {
      const share = await fetchJson<ShareLink>(`/api/storyboards/${board.id}/share`, json({}));
      setShareUrl(`${window.location.origin}${share.path}`);
    } catch (e) {
      setError(asErrorLike(e));
    }
  };

  const shownError = error ? errorText(error) : loadError ? errorText(asErrorLike(loadError)) : null;
  return (
    // The kit's dialog: focus stays inside while open, Escape closes, focus returns to the opener.
    // A press on the backdrop (the dialog element itself, outside the content) closes it too.
    <Dialog aria-labelledby="storyboard-title" onClose={onClose} onClick={(e) => e.target === e.currentTarget && e.currentTarget.close()} className="w-[min(48rem,96vw)] shadow-xl backdrop:bg-black/60">
      <div className="flex flex-col gap-3 p-4">
        <div className="flex items-center justify-between gap-2">
          <h2 id="storyboard-title" className="text-lg font-semibold">
            {TEXT.title}
            {board?.title ? `: ${board.title}` : ""}
          </h2>
          <Button onClick={closeDialog} className="text-sm">
            {TEXT.close}
          </Button>
        </div>
        {shownError && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            {shownError}
          </p>
        )}
        {!board ? (
          !shownError && <p className="text-sm text-muted">{TEXT.loading}</p>
        ) : (
          <>
            <p className="text-xs text-muted">{TEXT.dragHint}</p>
            <ol aria-label={TEXT.clips} className="flex flex-col gap-2">
              {board.items.map((item, i) => (
                <li
                  key={`${item.generationId}-${i}`}
                  // Draggable only for a press outside the trim timeline, whose handles drag themselves.
                  onPointerDownCapture={(e) => {
                    e.currentTarget.draggable = !exporting && !(e.target as HTMLElement).closest("[data-trim]");
                  }}
                  onDragStart={(e) => {
                    setDragIndex(i);
                    e.dataTransfer.effectAllowed = "move";
                    e.dataTransfer.setData("text/plain", String(i));
                  }}
                  onDragOver={(e) => {
                    e.preventDefault();
                    e.dataTransfer.dropEffect = "move";
                  }}
                  onDrop={(e) => {
                    e.preventDefault();
                    const from = dragIndex ?? Number(e.dataTransfer.getData("text/plain"));
                    setDragIndex(null);
                    if (Number.isInteger(from)) move(from, i);
                  }}
                  onDragEnd={() => setDragIndex(null)}
                  aria-label={TEXT.clip(i + 1)}
                  className={`flex flex-wrap items-center gap-3 rounded-xl border p-2 ${dragIndex === i ? "border-accent opacity-60" : "border-line"}`}
                >
                  <span aria-hidden className="w-5 cursor-grab text-center text-sm text-muted">
                    {i + 1}
                  </span>
                  {item.posterUrl ? (
                    // eslint-disable-next-line @next/next/no-img-element
                    <img src={item.posterUrl} alt="" className="h-14 w-24 rounded-lg bg-black object-contain" />
                  ) : (
                    <div className="h-14 w-24 rounded-lg bg-black" />
                  )}
                  <div className="flex min-w-0 flex-1 flex-col text-xs">
                    <span className="truncate font-medium">{item.prompt || TEXT.clip(i + 1)}</span>
                    <span className="text-muted">
                      {item.width}×{item.height} · {item.durationSec !== null ? TEXT.seconds(item.durationSec) : "?"} · {item.hasAudio ? TEXT.withAudio : TEXT.noAudio}
                    </span>
                    {!item.available && <span className="text-red-700 dark:text-red-300">{TEXT.unavailable}</span>}
                  </div>
                  <div className="flex gap-1 text-xs">
                    <Button aria-label={TEXT.moveUp(i + 1)} disabled={exporting || i === 0} onClick={() => move(i, i - 1)}>
                      {TEXT.up}
                    </Button>
                    <Button aria-label={TEXT.moveDown(i + 1)} disabled={exporting || i === board.items.length - 1} onClick={() => move(i, i + 1)}>
                      {TEXT.down}
                    </Button>
                    <Button variant="dangerOutline" aria-label={TEXT.remove(i + 1)} disabled={exporting} onClick={() => remove(i)}>
                      {TEXT.removeShort}
                    </Button>
                  </div>
                  <div data-trim className="w-full">
                    <TrimTimeline
                      n={i + 1}
                      duration={item.durationSec}
                      trim={{ start: item.trimStart, end: item.trimEnd }}
                      posterUrl={item.posterUrl}
                      videoUrl={item.available ? item.videoUrl : null}
                      disabled={exporting}
                      onCommit={(next) => trim(i, next)}
                    />
                  </div>
                </li>
              ))}
            </ol>
            <label className="flex items-center gap-2 text-sm">
              {TEXT.crossfade}
              <input
                type="number"
                min={0}
                max={1}
                step={0.1}
                key={board.crossfadeSec}
                defaultValue={board.crossfadeSec}
                disabled={exporting}
                onBlur={(e) => {
                  const v = Math.min(1, Math.max(0, Number(e.target.value) || 0));
                  if (v !== board.crossfadeSec) save({ crossfadeSec: v });
                }}
                className="w-16 rounded-lg border border-line bg-transparent px-1 py-0.5"
              />
            </label>
            {previewing && <CutPreview key={board.updatedAt} parts={board.items.filter((item) => item.available && item.videoUrl).map((item) => ({ videoUrl: item.videoUrl!, start: item.trimStart, end: item.trimEnd }))} />}
            <div className="flex flex-wrap items-center gap-3">
              <Button size="md" aria-pressed={previewing} onClick={() => setPreviewing((on) => !on)}>
                {previewing ? TEXT.hidePreview : TEXT.previewCut}
              </Button>
              <Button variant="primary" size="md" disabled={busy || exporting} onClick={() => void exportFilm()}>
                {board.export.status === "succeeded" ? TEXT.reexport : TEXT.exportFilm}
              </Button>
              <span role="status" aria-live="polite" className="text-sm">
                {TEXT.status[board.export.status]}
                {board.export.status === "failed" && board.export.error ? ` ${errorText(board.export.error)}` : ""}
              </span>
              {exporting && <progress aria-label={TEXT.status[board.export.status]} className="h-2 w-32" />}
            </div>
            {board.export.film && (
              <figure className="flex flex-col gap-2">
                <video controls preload="metadata" src={board.export.film.url} poster={board.export.film.posterUrl ?? undefined} aria-label={TEXT.film} className="max-h-96 w-full rounded-xl bg-black" />
                <figcaption className="flex items-center gap-3 text-xs text-muted">
                  <span>{TEXT.filmInfo(board.export.film.width, board.export.film.height, board.export.film.durationSec)}</span>
                  <a href={board.export.film.downloadUrl} download className={buttonClass()}>
                    {TEXT.download}
                  </a>
                  <Button onClick={() => void shareFilm()}>
                    {TEXT.share}
                  </Button>
                </figcaption>
                {shareUrl && (
                  <div className="flex items-center gap-2 text-xs">
                    <input readOnly value={shareUrl} aria-label={TEXT.shareLink} className="min-w-0 flex-1 rounded-lg border border-line bg-transparent px-2 py-1" />
                    <Button onClick={() => void navigator.clipboard?.writeText(shareUrl).then(() => setCopied(true))}>{copied ? TEXT.copied : TEXT.copy}</Button>
                  </div>
                )}
              </figure>
            )}
          </>
        )}
      </div>
    </Dialog>
  );
}
