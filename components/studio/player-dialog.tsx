"use client";

import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from "react";
import type { Generation } from "@/lib/dto/generation";
import { useTranslations } from "next-intl";
import { useFormatNumber } from "@/lib/i18n/use-format-number";
import { DEFAULT_DURATION, MODELS, isModelId } from "@/lib/seedance/models";
import { buttonClass } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { CloseIcon } from "@/components/ui/icons";
import { Menu } from "@/components/ui/menu";
import { Tooltip } from "@/components/ui/tooltip";
import { ChevronLeftIcon, ChevronRightIcon, ContinueIcon, CopyIcon, DownloadIcon, FilmIcon, FrameIcon, RemixIcon, ShareIcon } from "@/components/gallery/icons";
import { aspectOf } from "@/components/gallery/layout";
import { SharePanel } from "./share-panel";
import { apiRequestFor } from "./api-request";
import { PlayerMaterials } from "./player-materials";
import { derivable, type Derivation } from "./clip-card";

/** What the player hands back to the studio: each closes the player first. */
export interface PlayerActions {
  onRemix: (g: Generation) => void;
  onContinue: (g: Generation) => void;
  /** A still of the video where it is paused, as a data URL, for the form's first or last frame. */
  onUseFrame: (frame: string, as: "firstFrame" | "lastFrame") => void;
  onAddToStoryboard: (g: Generation) => void;
  onDerive: (g: Generation, how: Derivation) => void;
}

/** The video's current picture as a JPEG data URL (our own media: the canvas is not tainted). */
function stillOf(video: HTMLVideoElement): string | null {
  if (!video.videoWidth || !video.videoHeight) return null;
  const canvas = document.createElement("canvas");
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext("2d")?.drawImage(video, 0, 0);
  try {
    return canvas.toDataURL("image/jpeg", 0.92);
  } catch {
    return null;
  }
}

/**
 * Resolves once the video has a picture to draw: mid-seek (as each time a loop wraps) it has
 * none. Gives up after a while (a video that failed to load), and the caller says so.
 */
function pictureReady(video: HTMLVideoElement, timeoutMs = 3000): Promise<void> {
  if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && !video.seeking) return Promise.resolve();
  return new Promise((resolve) => {
    const events = ["loadeddata", "seeked", "canplay"] as const;
    const done = () => {
      clearTimeout(timer);
      for (const e of events) video.removeEventListener(e, done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    for (const e of events) video.addEventListener(e, done);
  });
}

/** A horizontal swipe this long (px) steps to the neighbour clip. */
const SWIPE_PX = 50;

interface PlayerDialogProps {
  generation: Generation;
  position: { index: number; count: number };
  onClose: () => void;
  onStep: (delta: number) => void;
  actions: PlayerActions;
}

/**
 * The player as the workspace: the clip full-bleed, its prompt and frames beside it, every action
 * inside. Previous and next by buttons, the arrow keys (listened to on the window, so they keep
 * working whatever inside has focus and however often the clip changes) and a swipe on touch;
 * Escape and a press on the dark stage around the video close it.
 */
export function PlayerDialog({ generation: g, position, onClose, onStep, actions }: PlayerDialogProps) {
  const t = useTranslations("player");
  const tc = useTranslations("clip");
  const formatNumber = useFormatNumber();
  // Both belong to the clip they were for: stepping to another shows neither.
  const [doneFor, setDone] = useState<{ id: string; text: string } | null>(null);
  const done = doneFor?.id === g.id ? doneFor.text : null;
  const [sharingId, setSharingId] = useState<string | null>(null);
  const sharing = sharingId === g.id;
  const video = useRef<HTMLVideoElement>(null);
  const body = useRef<HTMLDivElement>(null);
  const api = apiRequestFor(g);
  const step = useRef(onStep);
  useEffect(() => {
    step.current = onStep;
  }, [onStep]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
      const target = event.target as HTMLElement | null;
      if (target?.closest("input, textarea, select, [role=menu]")) return;
      // Before the video's own controls seek with it.
      event.preventDefault();
      event.stopPropagation();
      step.current(event.key === "ArrowRight" ? 1 : -1);
    };
    window.addEventListener("keydown", onKey, { capture: true });
    return () => window.removeEventListener("keydown", onKey, { capture: true });
  }, []);

  // A new clip: focus stays in the player (the old video element is gone).
  useEffect(() => {
    const dialog = body.current?.closest("dialog");
    if (dialog && !dialog.contains(document.activeElement)) body.current?.focus({ preventScroll: true });
  }, [g.id]);

  const close = () => body.current?.closest("dialog")?.close();
  const copy = (what: string, text: string) => {
    void navigator.clipboard?.writeText(text).then(() => setDone({ id: g.id, text: t("copied", { what }) }));
  };
  const takeFrame = async (as: "firstFrame" | "lastFrame") => {
    if (video.current) await pictureReady(video.current);
    const frame = video.current && stillOf(video.current);
    if (!frame) return setDone({ id: g.id, text: t("frameNotReady") });
    close();
    actions.onUseFrame(frame, as);
  };

  const swipe = useRef<{ x: number; y: number } | null>(null);
  const onPointerDown = (event: ReactPointerEvent) => {
    if (event.pointerType !== "mouse") swipe.current = { x: event.clientX, y: event.clientY };
  };
  const onPointerUp = (event: ReactPointerEvent) => {
    const start = swipe.current;
    swipe.current = null;
    if (!start) return;
    const dx = event.clientX - start.x;
    if (Math.abs(dx) > SWIPE_PX && Math.abs(dx) > Math.abs(event.clientY - start.y)) onStep(dx < 0 ? 1 : -1);
  };

  const yesNo = (on: boolean | undefined | null) => t(on ? "yes" : "no");
  const model = isModelId(g.model) ? MODELS[g.model].label : g.model;
  const aspect = aspectOf(g);
  const settings: [string, string][] = [
    [t("model"), model],
    [t("seed"), g.seed !== null ? String(g.seed) : t("random")],
    [t("size"), g.width && g.height ? `${g.width}×${g.height}` : (g.request.resolution ?? t("default"))],
    [t("ratio"), g.request.ratio ?? t("default")],
    [t("length"), g.duration ? `${formatNumber(g.duration, "seconds")} s` : g.request.frames ? `${g.request.frames} frames` : `${g.request.duration ?? DEFAULT_DURATION} s`],
    [t("cameraFixed"), yesNo(g.request.camerafixed)],
    [t("watermark"), yesNo(g.request.watermark)],
    [t("audio"), yesNo(g.hasAudio)],
    [t("serviceTier"), g.request.service_tier ?? t("default")],
    [t("status"), tc(g.status)],
  ];
  const ids: [string, string][] = [
    [t("modelId"), g.model],
    [t("upstreamTaskId"), g.upstreamTaskId ?? "–"],
    [t("traceId"), g.traceId ?? "–"],
    [t("clipId"), g.id],
  ];
  const action = buttonClass({ className: "justify-start gap-2 border-white/20 text-left hover:border-white/60" });

  return (
    <Dialog
      aria-label={t("label")}
      onClose={onClose}
      className="m-0! h-dvh max-h-none! w-screen max-w-none! rounded-none! border-0! bg-zinc-950! text-white! backdrop:bg-black/80"
    >
      <div ref={body} tabIndex={-1} className="grid h-full outline-none md:grid-cols-[1fr_340px]">
        <div
          data-testid="player-stage"
          className="relative flex min-h-0 items-center justify-center bg-black [--stage-h:70dvh] [touch-action:pan-y] md:[--stage-h:100dvh]"
          onClick={(event) => {
            if (event.target === event.currentTarget) close();
          }}
          onPointerDown={onPointerDown}
          onPointerUp={onPointerUp}
        >
          {g.videoUrl ? (
            <video
              ref={video}
              key={g.id}
              src={g.videoUrl}
              poster={g.posterUrl ?? undefined}
              controls
              autoPlay
              loop
              playsInline
              // As large as the stage allows, in the clip's own shape, so the dark stage around
              // it stays a place to press to close (the video itself would not).
              style={{ aspectRatio: aspect, width: `min(100%, calc(var(--stage-h) * ${aspect}))` }}
              className="h-auto object-contain"
              aria-label={t("video")}
            />
          ) : (
            <p className="p-12 text-center text-white/70">{t("notReady")}</p>
          )}
          <div className="pointer-events-none absolute inset-x-2 top-1/2 flex -translate-y-1/2 justify-between">
            <button type="button" aria-label={t("previous")} disabled={position.index === 0} onClick={() => onStep(-1)} className="pointer-events-auto rounded-full bg-white/10 p-2.5 text-xl hover:bg-white/25 disabled:opacity-0">
              <ChevronLeftIcon />
            </button>
            <button type="button" aria-label={t("next")} disabled={position.index >= position.count - 1} onClick={() => onStep(1)} className="pointer-events-auto rounded-full bg-white/10 p-2.5 text-xl hover:bg-white/25 disabled:opacity-0">
              <ChevronRightIcon />
            </button>
          </div>
          <p className="pointer-events-none absolute left-3 top-3 rounded-full bg-black/60 px-2 py-0.5 text-xs tabular-nums text-white/80">
            {t("position", { index: position.index + 1, count: position.count })}
          </p>
        </div>

        <aside className="flex min-h-0 flex-col gap-4 overflow-y-auto border-white/10 p-4 text-sm md:border-l">
          <div className="flex items-start justify-between gap-2">
            <p className="font-medium leading-snug">{g.prompt}</p>
            <Tooltip text={t("close")} align="end">
              <button type="button" onClick={close} aria-label={t("close")} className={buttonClass({ size: "icon", className: "border border-white/20 hover:border-white/60" })}>
                <CloseIcon />
              </button>
            </Tooltip>
          </div>
          <p className="text-xs text-white/60">
            {model} · {settings[2]![1]} · {settings[4]![1]}
            {g.seed !== null ? ` · ${tc("seed", { seed: g.seed })}` : ""}
          </p>
          <PlayerMaterials generation={g} />

          <div className="grid grid-cols-2 gap-1.5 text-xs" role="group" aria-label={t("actions")}>
            {g.videoUrl && (
              <a href={`${g.videoUrl}?download=1`} download className={action}>
                <DownloadIcon /> {tc("download")}
              </a>
            )}
            <button type="button" className={action} onClick={() => (close(), actions.onRemix(g))}>
              <RemixIcon /> {tc("remix")}
            </button>
            {g.lastFrameUrl && (
              <button type="button" className={action} onClick={() => (close(), actions.onContinue(g))}>
                <ContinueIcon /> {tc("continue")}
              </button>
            )}
            {derivable(g) && (
              <>
                <button type="button" className={action} onClick={() => (close(), actions.onDerive(g, "extend"))}>
                  <ContinueIcon /> {tc("extend")}
                </button>
                <button type="button" className={action} onClick={() => (close(), actions.onDerive(g, "edit"))}>
                  <RemixIcon /> {tc("edit")}
                </button>
                <button type="button" className={action} onClick={() => (close(), actions.onDerive(g, "reference"))}>
                  <FilmIcon /> {tc("useAsReference")}
                </button>
                {g.posterUrl && (
                  <button type="button" className={action} onClick={() => (close(), actions.onDerive(g, "referencePoster"))}>
                    <FrameIcon /> {tc("posterAsReference")}
                  </button>
                )}
                {g.lastFrameUrl && (
                  <button type="button" className={action} onClick={() => (close(), actions.onDerive(g, "referenceLastFrame"))}>
                    <FrameIcon /> {tc("lastFrameAsReference")}
                  </button>
                )}
              </>
            )}
            {g.videoUrl && (
              <>
                <button type="button" className={action} onClick={() => void takeFrame("firstFrame")}>
                  <FrameIcon /> {t("useAsFirst")}
                </button>
                <button type="button" className={action} onClick={() => void takeFrame("lastFrame")}>
                  <FrameIcon /> {t("useAsLast")}
                </button>
              </>
            )}
            {g.status === "succeeded" && (
              <>
                <button type="button" className={action} onClick={() => (close(), actions.onAddToStoryboard(g))}>
                  <FilmIcon /> {t("addToStoryboard")}
                </button>
                <button type="button" className={action} aria-expanded={sharing} onClick={() => setSharingId(sharing ? null : g.id)}>
                  <ShareIcon /> {tc("share")}
                </button>
              </>
            )}
            {g.seed !== null && (
              <button type="button" className={action} onClick={() => copy(t("seed").toLowerCase(), String(g.seed))}>
                <CopyIcon /> {tc("copySeed")}
              </button>
            )}
          </div>
          {done && (
            <p role="status" className="text-xs text-emerald-300">
              {done}
            </p>
          )}
          {sharing && (
            <div className="text-ink">
              <SharePanel generationIds={[g.id]} onClose={() => setSharingId(null)} />
            </div>
          )}

          <details className="text-xs">
            <summary className="cursor-pointer text-white/70">{t("apiAndIds")}</summary>
            <div className="mt-2 flex flex-wrap items-center gap-1.5">
              <Menu
                label={t("copyRequest")}
                items={[
                  { label: t("copyJson"), onSelect: () => copy("json", api.json) },
                  { label: t("copyCurl"), onSelect: () => copy("curl", api.curl) },
                ]}
              />
            </div>
            <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
              {ids.map(([k, v]) => (
                <div key={k} className="contents">
                  <dt className="text-white/55">{k}</dt>
                  <dd className="break-words font-mono">{v}</dd>
                </div>
              ))}
            </dl>
            <p className="mt-2 text-white/55">{t("apiRequest")}</p>
            <pre className="mt-1 overflow-x-auto rounded-lg bg-white/5 p-2">{api.json}</pre>
          </details>
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
            {settings.map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-white/55">{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>

          <p className="text-xs text-white/45 [@media(pointer:coarse)]:hidden">{t("keys")}</p>
        </aside>
      </div>
    </Dialog>
  );
}
