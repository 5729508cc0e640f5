"use client";

import { useEffect, useRef, useState, useTransition, type CSSProperties, type ReactNode } from "react";
import { createGenerationAction, deleteGenerationAction, setFavoriteAction } from "@/app/(studio)/actions";
import type { Generation } from "@/lib/dto/generation";
import { useTranslations } from "next-intl";
import { useRenderedAt } from "@/lib/client/render-time";
import { useFormatNumber } from "@/lib/i18n/use-format-number";
import { useErrorText } from "@/lib/i18n/use-error-text";
import { isTerminal } from "@/lib/status";
import { useGalleryCache } from "@/lib/query/generations";
import { MODELS, estimateGenerationSeconds, isModelId } from "@/lib/seedance/models";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Menu, type MenuItem } from "@/components/ui/menu";
import { Tooltip } from "@/components/ui/tooltip";
import { aspectOf, isPolicyRefusal } from "@/components/gallery/layout";
import { AlertIcon, ContinueIcon, DownloadIcon, MoreIcon, RemixIcon, ShareIcon, StarIcon } from "@/components/gallery/icons";
import { requestWithDataUrls } from "@/components/composer/request-images";
import { SharePanel } from "./share-panel";

function formatSeconds(total: number) {
  const m = Math.floor(total / 60);
  const s = Math.floor(total % 60);
  return m ? `${m}:${String(s).padStart(2, "0")}` : `${s} s`;
}

function useElapsed(g: Generation) {
  const unfinished = !isTerminal(g.status);
  const renderedAt = useRenderedAt();
  const [now, setNow] = useState(() => renderedAt ?? Date.now());
  useEffect(() => {
    if (!unfinished) return;
    const tick = () => setNow(Date.now());
    // Started from the page's render time (see render-time.tsx): catch up at once, then every second.
    const first = setTimeout(tick);
    const timer = setInterval(tick, 1000);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [unfinished]);
  const end = unfinished ? now : new Date(g.updatedAt).getTime();
  return { unfinished, elapsed: Math.max(0, (end - new Date(g.createdAt).getTime()) / 1000) };
}

/** What a clip's card and row can ask the gallery for. */
export interface ClipActions {
  onOpen: () => void;
  onRemix: () => void;
  onContinue: () => void | Promise<void>;
  onDerive: (how: Derivation) => void;
}

/**
 * A new clip made from this one: 2.5 extends or edits it (its chain grows), or it, its poster or
 * its last frame joins the composer's references.
 */
export type Derivation = "extend" | "edit" | "reference" | "referencePoster" | "referenceLastFrame";

/** Whether 2.5 can take the clip as its reference video: a stored clip of an accepted length. */
export function derivable(g: Pick<Generation, "status" | "videoUrl" | "duration">): boolean {
  return g.status === "succeeded" && Boolean(g.videoUrl) && (g.duration ?? 0) >= 2 && (g.duration ?? 0) <= 30.05;
}

/** Our own stored input image (a frame the clip was made from), small enough to show as a badge. */
const ownImage = (url: string | undefined) => (url && url.startsWith("/api/media/") ? url : undefined);

/** Star, delete, retry: the clip's own writes, each answered into the gallery's cache. */
function useClipWrites(g: Generation) {
  const t = useTranslations("clip");
  const cache = useGalleryCache();
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const toggleFavorite = () =>
    startTransition(async () => {
      // Shown at once; put back if the server says no.
      cache.upsert({ ...g, favorite: !g.favorite });
      const result = await setFavoriteAction({ id: g.id, favorite: !g.favorite });
      if (result.ok) cache.upsert(result.data);
      else {
        cache.upsert(g);
        setMessage(result.message);
      }
    });
  const remove = (after: () => void) =>
    startTransition(async () => {
      const result = await deleteGenerationAction({ id: g.id });
      if (result.ok) cache.remove(g.id);
      else setMessage(result.message);
      after();
    });
  const retry = () =>
    startTransition(async () => {
      setMessage(null);
      try {
        const { request: spec, missing } = await requestWithDataUrls(g.request);
        // The same clip without its frames would be another clip: Remix is the way to re-add them.
        if (missing.length > 0) {
          setMessage(t("retryFramesMissing"));
          return;
        }
        const result = await createGenerationAction({ spec, idempotencyKey: crypto.randomUUID(), parentId: g.parentId ?? undefined });
        if (result.ok) cache.upsert(result.data);
        else setMessage(result.message);
      } catch {
        setMessage(t("unreachable"));
      }
    });
  return { message, pending, toggleFavorite, remove, retry };
}

/** "Delete" asks first: the confirmation replaces it in place. */
function DeleteConfirm({ pending, onConfirm, onKeep }: { pending: boolean; onConfirm: () => void; onKeep: () => void }) {
  const t = useTranslations("clip");
  return (
    <span className="flex items-center gap-1" role="group" aria-label={t("confirmDelete")}>
      <Button variant="danger" disabled={pending} onClick={onConfirm} autoFocus>
        {t("deleteForGood")}
      </Button>
      <Button className="bg-surface" onClick={onKeep}>
        {t("keep")}
      </Button>
    </span>
  );
}

/** An icon button over the clip; its hint is placed against the row it sits in (see Tooltip's `anchor`), above or below it. */
function IconAction({ label, children, onClick, pressed, side = "top", align }: { label: string; children: ReactNode; onClick: () => void; pressed?: boolean; side?: "top" | "bottom"; align?: "end" }) {
  return (
    <Tooltip text={label} side={side} align={align} anchor="row">
      <button type="button" aria-label={label} aria-pressed={pressed} onClick={onClick} className={TILE_BUTTON}>
        {children}
      </button>
    </Tooltip>
  );
}

/** Icon buttons over video: dark glass, light icon, in both schemes. */
const TILE_BUTTON = "inline-flex h-7 w-7 items-center justify-center rounded-lg bg-black/55 text-white backdrop-blur-sm hover:bg-black/75 focus-visible:outline-2 focus-visible:outline-white";

/** Shown on hover and keyboard focus where there is a pointer that hovers; always on touch screens. */
const ON_HOVER = "transition-opacity [@media(hover:hover)]:opacity-0 group-hover/tile:opacity-100 group-focus-within/tile:opacity-100";

interface ClipTileProps extends ClipActions {
  generation: Generation;
  /** Takes in a group leave the prompt to the group's heading. */
  showPrompt: boolean;
  selected: boolean;
  onSelect: (selected: boolean) => void;
  /** A "Storyboard of the chain" press for clips made with Continue. */
  extra?: ReactNode;
}

/**
 * One clip as a tile of the justified grid: the tile's box has the clip's own aspect ratio, and
 * `flex-grow` in proportion to it, so every tile of a row is exactly as tall as the others.
 * Only what is unusual is badged (queued, generating, continued, a favourite); the actions show
 * on hover and focus, with the rest in "More".
 */
export function ClipTile({ generation: g, showPrompt, selected, onSelect, onOpen, onRemix, onContinue, onDerive, extra }: ClipTileProps) {
  const t = useTranslations("clip");
  const formatNumber = useFormatNumber();
  const errorText = useErrorText();
  const video = useRef<HTMLVideoElement>(null);
  const { unfinished, elapsed } = useElapsed(g);
  const [sharing, setSharing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const writes = useClipWrites(g);
  const aspect = aspectOf(g);
  const estimate = estimateGenerationSeconds(g.request);
  // Still on its way, with no video to show yet: the tile shows time and progress instead.
  const pending = unfinished && !g.videoUrl;
  const label = g.storing ? `${t(g.status)} ${t("saving")}` : t(g.status);
  const seconds = g.duration ?? (g.request.frames ? g.request.frames / 24 : g.request.duration && g.request.duration > 0 ? g.request.duration : null);
  const firstFrame = ownImage(g.request.firstFrame);
  const lastFrame = ownImage(g.request.lastFrame);

  const play = () => void video.current?.play().catch(() => undefined);
  const stop = () => {
    if (!video.current) return;
    video.current.pause();
    video.current.currentTime = 0;
  };

  const more: MenuItem[] = [
    ...(derivable(g)
      ? [
          { label: t("extend"), onSelect: () => onDerive("extend") },
          { label: t("edit"), onSelect: () => onDerive("edit") },
          { label: t("useAsReference"), onSelect: () => onDerive("reference") },
        ]
      : []),
    ...(g.videoUrl ? [{ label: t("download"), onSelect: () => void window.open(`${g.videoUrl}?download=1`, "_self") }] : []),
    ...(g.seed !== null ? [{ label: t("copySeed"), onSelect: () => void navigator.clipboard?.writeText(String(g.seed)) }] : []),
    { label: t("delete"), onSelect: () => setConfirming(true) },
  ];
  // Grows with its row-mates in proportion to its shape, up to half again its base size: a row
  // short of tiles (the last, or a small block) stays a little loose rather than giant.
  const style = { flexGrow: aspect, flexBasis: `calc(var(--row-h) * ${aspect})`, maxWidth: `calc(var(--row-h) * ${aspect * 1.5})` } as CSSProperties;

  return (
    <article aria-label={t("label", { prompt: g.prompt.slice(0, 80) })} data-status={g.status} data-clip={g.id} className="group/tile @container relative min-w-0" style={style}>
      <div className="relative w-full overflow-hidden rounded-xl bg-black" style={{ aspectRatio: aspect }} onMouseEnter={play} onMouseLeave={stop}>
        {g.videoUrl ? (
          <button type="button" onClick={onOpen} onFocus={play} onBlur={stop} className="block h-full w-full" aria-label={t("play", { prompt: g.prompt.slice(0, 60) })}>
            <video ref={video} src={g.videoUrl} poster={g.posterUrl ?? undefined} muted loop playsInline preload={g.posterUrl ? "none" : "metadata"} className="h-full w-full object-cover" />
          </button>
        ) : (
          <div className={`flex h-full flex-col items-center gap-1.5 p-2 text-center text-xs text-white/80 ${unfinished ? "justify-start pt-8" : "justify-center"}`}>
            {unfinished ? (
              // Why it waits (the upstream is rate limiting, say): unusual, so said.
              g.error && (
                <span role="note" className="line-clamp-3 text-[11px] text-amber-200">
                  {errorText(g.error)}
                </span>
              )
            ) : (
              <span>{t("noClip")}</span>
            )}
          </div>
        )}
        {/* Along the top edge: the progress of an unfinished clip, clear of the prompt and the actions at the bottom. */}
        {pending && (
          <div className="absolute inset-x-0 top-0 h-1 bg-white/15" aria-hidden>
            <div className="h-full bg-accent transition-all" style={{ width: `${Math.min(95, (elapsed / Math.max(estimate, 1)) * 100)}%` }} />
          </div>
        )}

        {/* Top left: what the clip is, only where it is not the usual. */}
        <div className="pointer-events-none absolute left-1.5 top-1.5 flex flex-wrap items-center gap-1 text-[11px] font-medium text-white">
          <span
            role="status"
            aria-live="off"
            aria-label={t("status", { status: label })}
            className={g.status === "succeeded" && !g.storing ? "sr-only" : "rounded-full bg-black/60 px-1.5 py-0.5 backdrop-blur-sm"}
          >
            {label}
          </span>
          {pending && (
            <span className="inline-flex items-center gap-1 rounded-full bg-black/60 px-1.5 py-0.5 tabular-nums">
              <span className="h-2.5 w-2.5 animate-spin rounded-full border border-white/30 border-t-white" aria-hidden />
              {formatSeconds(elapsed)} <span className="text-white/60">/ ~{formatSeconds(estimate)}</span>
            </span>
          )}
          {seconds !== null && g.status === "succeeded" && <span className="rounded-full bg-black/55 px-1.5 py-0.5 tabular-nums">{formatNumber(seconds, "tenths")} s</span>}
          {g.parentId && <span className="rounded-full bg-accent/85 px-1.5 py-0.5">{t("continued")}</span>}
          {firstFrame && (
            // eslint-disable-next-line @next/next/no-img-element -- a 20 px badge of our own stored image
            <img src={firstFrame} alt={t("madeFromFirst")} className="h-5 w-5 rounded border border-white/70 object-cover" />
          )}
          {lastFrame && (
            // eslint-disable-next-line @next/next/no-img-element -- as above
            <img src={lastFrame} alt={t("madeFromLast")} className="h-5 w-5 rounded border border-white/70 object-cover" />
          )}
        </div>

        {/* Top right: select and star; hidden until wanted, unless on. The row spans the tile, so the star's hint can too. */}
        <div className="pointer-events-none absolute inset-x-1.5 top-1.5 flex items-center justify-end gap-1 [&>*]:pointer-events-auto">
          {g.status === "succeeded" && (
            <label className={`flex h-7 items-center rounded-lg bg-black/55 px-1.5 ${selected ? "" : ON_HOVER}`}>
              <input type="checkbox" checked={selected} onChange={(e) => onSelect(e.target.checked)} aria-label={t("selectLabel", { prompt: g.prompt.slice(0, 60) })} />
            </label>
          )}
          <span className={g.favorite ? "" : ON_HOVER}>
            {/* Its hint opens below the corner, leftwards: above, the tile's edge would cut it off. */}
            <IconAction label={g.favorite ? t("unfavorite") : t("favorite")} pressed={g.favorite} onClick={writes.toggleFavorite} side="bottom" align="end">
              <StarIcon className={g.favorite ? "fill-amber-300 text-amber-300" : ""} />
            </IconAction>
          </span>
        </div>

        {/* Bottom: the prompt (single clips), and the actions on hover and focus. */}
        <div className="pointer-events-none absolute inset-x-0 bottom-0 flex flex-col gap-1 bg-gradient-to-t from-black/80 via-black/40 to-transparent p-1.5 pt-6">
          {showPrompt && (
            <p className="hidden text-xs leading-snug text-white @[110px]:line-clamp-2" title={g.prompt}>
              {g.prompt}
            </p>
          )}
          {!showPrompt && g.seed !== null && <p className="text-[11px] tabular-nums text-white/85">{t("seed", { seed: g.seed })}</p>}
          <div className={`pointer-events-auto relative flex flex-wrap items-center gap-1 text-white ${ON_HOVER}`}>
            {g.videoUrl && (
              <span className="hidden @[150px]:inline-flex">
                <Tooltip text={t("download")} side="top" anchor="row">
                  <a href={`${g.videoUrl}?download=1`} download aria-label={t("download")} className={TILE_BUTTON}>
                    <DownloadIcon />
                  </a>
                </Tooltip>
              </span>
            )}
            <IconAction label={t("remix")} onClick={onRemix}>
              <RemixIcon />
            </IconAction>
            {g.lastFrameUrl && (
              <IconAction label={t("continue")} onClick={() => void onContinue()}>
                <ContinueIcon />
              </IconAction>
            )}
            {g.status === "succeeded" && (
              <span className="hidden @[190px]:inline-flex">
                <IconAction label={t("share")} pressed={sharing} onClick={() => setSharing(true)}>
                  <ShareIcon />
                </IconAction>
              </span>
            )}
            <Menu
              label={
                <>
                  <MoreIcon />
                  <span className="sr-only">{t("more")}</span>
                </>
              }
              items={g.status === "succeeded" ? [{ label: t("share"), onSelect: () => setSharing(true) }, ...more] : more}
              size="icon"
              align="end"
            />
          </div>
        </div>
        {extra && <div className="absolute bottom-1.5 right-1.5">{extra}</div>}
        {confirming && (
          <div className="absolute inset-0 flex items-center justify-center bg-black/60 p-2 text-xs">
            <DeleteConfirm pending={writes.pending} onConfirm={() => writes.remove(() => setConfirming(false))} onKeep={() => setConfirming(false)} />
          </div>
        )}
      </div>
      {/* The numbers, for screen readers and the search of the page (the player shows them all). */}
      <p className="sr-only">
        {isModelId(g.model) ? MODELS[g.model].label : g.model}
        {g.width && g.height ? ` · ${g.width}×${g.height}` : ""}
        {g.hasAudio ? ` · ${t("sound")}` : ""}
        {g.seed !== null ? ` · ${t("seed", { seed: g.seed })}` : ""}
        {g.usage?.totalTokens ? ` · ${t("tokensUsed", { tokens: formatNumber(g.usage.totalTokens, "compact") })}` : ""}
      </p>
      {writes.message && (
        <p role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400">
          {writes.message}
        </p>
      )}
      {sharing && (
        <Dialog aria-label={t("share")} onClose={() => setSharing(false)} className="w-[min(420px,94vw)] p-3">
          <SharePanel generationIds={[g.id]} onClose={() => setSharing(false)} />
        </Dialog>
      )}
    </article>
  );
}

interface FailureRowProps {
  generation: Generation;
  onRemix: () => void;
}

/**
 * A clip that did not finish, as one compact row: what happened and why, "Edit and retry" (the
 * form, with everything back), and Retry where sending it again can help (not after a refusal
 * by the content policy, which would refuse it again).
 */
export function FailureRow({ generation: g, onRemix }: FailureRowProps) {
  const t = useTranslations("clip");
  const errorText = useErrorText();
  const writes = useClipWrites(g);
  const [confirming, setConfirming] = useState(false);
  const reason = g.status === "expired" && !g.error ? t("expiredBeforeFinish") : g.error ? errorText(g.error) : t("noClip");
  return (
    <article aria-label={t("label", { prompt: g.prompt.slice(0, 80) })} data-status={g.status} data-clip={g.id} className="flex flex-wrap items-center gap-x-3 gap-y-1.5 rounded-xl border border-line bg-surface px-3 py-2 text-xs">
      <AlertIcon className="shrink-0 text-red-600 dark:text-red-400" />
      <span role="status" aria-live="off" aria-label={t("status", { status: t(g.status) })} className="font-medium text-red-700 dark:text-red-300">
        {t(g.status)}
      </span>
      <p className="min-w-40 flex-1">
        <span className="line-clamp-1 text-ink" title={g.prompt}>
          {g.prompt}
        </span>
        <span className="line-clamp-2 text-muted" role="note">
          {reason}
          {g.traceId ? ` · ${t("traceId", { id: g.traceId })}` : ""}
        </span>
      </p>
      <div className="flex flex-wrap items-center gap-1.5">
        <Button onClick={onRemix}>{t("editAndRetry")}</Button>
        {!isPolicyRefusal(g) && g.status !== "cancelled" && (
          <Button variant="accent" disabled={writes.pending} onClick={writes.retry}>
            {t("retry")}
          </Button>
        )}
        {confirming ? (
          <DeleteConfirm pending={writes.pending} onConfirm={() => writes.remove(() => setConfirming(false))} onKeep={() => setConfirming(false)} />
        ) : (
          <Button variant="dangerOutline" onClick={() => setConfirming(true)}>
            {t("delete")}
          </Button>
        )}
      </div>
      {writes.message && (
        <p role="alert" className="basis-full text-red-600 dark:text-red-400">
          {writes.message}
        </p>
      )}
    </article>
  );
}
