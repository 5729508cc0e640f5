"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { useFormatter, useTranslations } from "next-intl";
import type { StoryboardDto } from "@/lib/storyboards/service";

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
  };
}

type Source = { fromChain: string } | { generationIds: string[] } | { id: string };
type Item = StoryboardDto["items"][number];

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, headers: { "content-type": "application/json", ...init?.headers } });
  const body = (await response.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
  if (!response.ok) throw new Error(body?.error?.message ?? `Request failed (${response.status})`);
  return body as T;
}

/**
 * A storyboard editor in a dialog: clips in order with thumbnails, reorder by drag and drop
 * or Up/Down, remove, trims, crossfade, "Export film" with live status, the film and its download.
 */
export function StoryboardPanel({ source, onClose }: { source: Source; onClose: () => void }) {
  const TEXT = useStoryboardText();
  const [board, setBoard] = useState<StoryboardDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragIndex, setDragIndex] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [shareUrl, setShareUrl] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const sourceKey = JSON.stringify(source);
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let cancelled = false;
    const parsed = JSON.parse(sourceKey) as Source;
    const load = "id" in parsed ? call<StoryboardDto>(`/api/storyboards/${encodeURIComponent(parsed.id)}`) : call<StoryboardDto>("/api/storyboards", { method: "POST", body: sourceKey });
    load
      .then((b) => !cancelled && setBoard(b))
      .catch((e: Error) => !cancelled && setError(e.message));
    return () => {
      cancelled = true;
    };
  }, [sourceKey]);

  // Focus once on open; Escape closes (through a ref, so a parent's re-render never steals focus).
  const closeRef = useRef(onClose);
  useEffect(() => {
    closeRef.current = onClose;
  }, [onClose]);
  useEffect(() => {
    dialog.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && closeRef.current();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  // Live export status: poll while queued or running. A stuck export (its process crashed) is
  // not "exporting": Export is pressable again and re-queues it.
  const exporting = (board?.export.status === "queued" || board?.export.status === "running") && !board?.export.stuck;
  const boardId = board?.id;
  useEffect(() => {
    if (!exporting || !boardId) return;
    const timer = setInterval(() => {
      call<StoryboardDto>(`/api/storyboards/${boardId}`)
        .then(setBoard)
        .catch(() => {});
    }, 2000);
    return () => clearInterval(timer);
  }, [exporting, boardId]);

  const save = useCallback(
    async (patch: { items?: Item[]; crossfadeSec?: number }) => {
      if (!board) return;
      setError(null);
      const items = patch.items?.map(({ generationId, trimStart, trimEnd }) => ({ generationId, trimStart, trimEnd }));
      // Show the change at once; the server's answer replaces it.
      setBoard({ ...board, ...(patch.items ? { items: patch.items } : {}), ...(patch.crossfadeSec !== undefined ? { crossfadeSec: patch.crossfadeSec } : {}) });
      try {
        setBoard(await call<StoryboardDto>(`/api/storyboards/${board.id}`, { method: "PATCH", body: JSON.stringify({ items, crossfadeSec: patch.crossfadeSec }) }));
      } catch (e) {
        setError((e as Error).message);
        setBoard(board);
      }
    },
    [board],
  );

  const move = (from: number, to: number) => {
    if (!board || to < 0 || to >= board.items.length || from === to) return;
    const items = [...board.items];
    const [moved] = items.splice(from, 1);
    items.splice(to, 0, moved!);
    void save({ items });
  };
  const remove = (index: number) => {
    if (!board) return;
    if (board.items.length <= 1) return setError(TEXT.lastClip);
    void save({ items: board.items.filter((_, i) => i !== index) });
  };
  const trim = (index: number, field: "trimStart" | "trimEnd", raw: string) => {
    if (!board) return;
    const value = raw.trim() === "" ? (field === "trimStart" ? 0 : null) : Number(raw);
    if (value !== null && !Number.isFinite(value)) return;
    void save({ items: board.items.map((item, i) => (i === index ? { ...item, [field]: value } : item)) });
  };
  const exportFilm = async () => {
    if (!board) return;
    setBusy(true);
    setError(null);
    try {
      setBoard(await call<StoryboardDto>(`/api/storyboards/${board.id}/export`, { method: "POST" }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const shareFilm = async () => {
    if (!board) return;
    setError(null);
    try {
      const share = await call<{ path: string }>(`/api/storyboards/${board.id}/share`, { method: "POST", body: "{}" });
      setShareUrl(`${window.location.origin}${share.path}`);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <div className="fixed inset-0 z-50 flex items-start justify-center overflow-y-auto bg-black/60 p-4" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={dialog} tabIndex={-1} role="dialog" aria-modal="true" aria-labelledby="storyboard-title" className="flex w-full max-w-3xl flex-col gap-3 rounded-2xl bg-surface p-4 shadow-xl outline-none">
        <div className="flex items-center justify-between gap-2">
          <h2 id="storyboard-title" className="text-lg font-semibold">
            {TEXT.title}
            {board?.title ? `: ${board.title}` : ""}
          </h2>
          <button type="button" onClick={onClose} className="rounded-lg border border-line px-2 py-1 text-sm">
            {TEXT.close}
          </button>
        </div>
        {error && (
          <p role="alert" className="text-sm text-red-600">
            {error}
          </p>
        )}
        {!board ? (
          !error && <p className="text-sm text-muted">{TEXT.loading}</p>
        ) : (
          <>
            <p className="text-xs text-muted">{TEXT.dragHint}</p>
            <ol aria-label={TEXT.clips} className="flex flex-col gap-2">
              {board.items.map((item, i) => (
                <li
                  key={`${item.generationId}-${i}`}
                  draggable={!exporting}
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
                    {!item.available && <span className="text-red-600">{TEXT.unavailable}</span>}
                  </div>
                  <TrimInput
                    label={TEXT.start}
                    ariaLabel={TEXT.trimStart(i + 1)}
                    value={item.trimStart}
                    disabled={exporting}
                    onCommit={(raw) => trim(i, "trimStart", raw)}
                  />
                  <TrimInput
                    label={TEXT.end}
                    ariaLabel={TEXT.trimEnd(i + 1)}
                    value={item.trimEnd ?? item.durationSec}
                    disabled={exporting}
                    onCommit={(raw) => trim(i, "trimEnd", raw)}
                  />
                  <div className="flex gap-1 text-xs">
                    <button type="button" aria-label={TEXT.moveUp(i + 1)} disabled={exporting || i === 0} onClick={() => move(i, i - 1)} className="rounded-lg border border-line px-2 py-1 disabled:opacity-40">
                      {TEXT.up}
                    </button>
                    <button
                      type="button"
                      aria-label={TEXT.moveDown(i + 1)}
                      disabled={exporting || i === board.items.length - 1}
                      onClick={() => move(i, i + 1)}
                      className="rounded-lg border border-line px-2 py-1 disabled:opacity-40"
                    >
                      {TEXT.down}
                    </button>
                    <button type="button" aria-label={TEXT.remove(i + 1)} disabled={exporting} onClick={() => remove(i)} className="rounded-lg border border-line px-2 py-1 hover:border-red-500 disabled:opacity-40">
                      {TEXT.removeShort}
                    </button>
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
                  if (v !== board.crossfadeSec) void save({ crossfadeSec: v });
                }}
                className="w-16 rounded-lg border border-line bg-transparent px-1 py-0.5"
              />
            </label>
            <div className="flex flex-wrap items-center gap-3">
              <button type="button" disabled={busy || exporting} onClick={() => void exportFilm()} className="rounded-lg bg-accent px-3 py-1.5 text-sm text-white disabled:opacity-50">
                {board.export.status === "succeeded" ? TEXT.reexport : TEXT.exportFilm}
              </button>
              <span role="status" aria-live="polite" className="text-sm">
                {TEXT.status[board.export.status]}
                {board.export.status === "failed" && board.export.error ? ` ${board.export.error}` : ""}
              </span>
              {exporting && <progress aria-label={TEXT.status[board.export.status]} className="h-2 w-32" />}
            </div>
            {board.export.film && (
              <figure className="flex flex-col gap-2">
                <video controls preload="metadata" src={board.export.film.url} poster={board.export.film.posterUrl ?? undefined} aria-label={TEXT.film} className="max-h-96 w-full rounded-xl bg-black" />
                <figcaption className="flex items-center gap-3 text-xs text-muted">
                  <span>{TEXT.filmInfo(board.export.film.width, board.export.film.height, board.export.film.durationSec)}</span>
                  <a href={board.export.film.downloadUrl} download className="rounded-lg border border-line px-2 py-1 text-foreground underline-offset-2 hover:border-accent">
                    {TEXT.download}
                  </a>
                  <button type="button" onClick={() => void shareFilm()} className="rounded-lg border border-line px-2 py-1 text-foreground hover:border-accent">
                    {TEXT.share}
                  </button>
                </figcaption>
                {shareUrl && (
                  <div className="flex items-center gap-2 text-xs">
                    <input readOnly value={shareUrl} aria-label={TEXT.shareLink} className="min-w-0 flex-1 rounded-lg border border-line bg-transparent px-2 py-1" />
                    <button
                      type="button"
                      onClick={() => void navigator.clipboard?.writeText(shareUrl).then(() => setCopied(true))}
                      className="rounded-lg border border-line px-2 py-1"
                    >
                      {copied ? TEXT.copied : TEXT.copy}
                    </button>
                  </div>
                )}
              </figure>
            )}
          </>
        )}
      </div>
    </div>
  );
}

/** A trim point in seconds, saved when the field is left with a changed value. */
function TrimInput({
  label,
  ariaLabel,
  value,
  disabled,
  onCommit,
}: {
  label: string;
  ariaLabel: string;
  value: number | null;
  disabled: boolean;
  onCommit: (raw: string) => void;
}) {
  return (
    <label className="flex items-center gap-1 text-xs">
      {label}
      <input
        type="number"
        min={0}
        step={0.05}
        aria-label={ariaLabel}
        defaultValue={value ?? ""}
        disabled={disabled}
        onBlur={(e) => Number(e.target.value) !== value && onCommit(e.target.value)}
        className="w-16 rounded-lg border border-line bg-transparent px-1 py-0.5"
      />
    </label>
  );
}
