"use client";

import dynamic from "next/dynamic";
import { useEffect, useRef, useState, useTransition } from "react";
import { createGenerationAction, deleteGenerationAction } from "@/app/(studio)/actions";
import type { Generation } from "@/lib/dto/generation";
import { useTranslations } from "next-intl";
import { useRenderedAt } from "@/lib/client/render-time";
import { useFormatNumber } from "@/lib/i18n/use-format-number";
import { useErrorText } from "@/lib/i18n/use-error-text";
import { isTerminal } from "@/lib/status";
import { useGalleryCache } from "@/lib/query/generations";
import { MODELS, estimateGenerationSeconds, isModelId } from "@/lib/seedance/models";
import { Button, buttonClass } from "@/components/ui/button";
import { StatusBadge, type StatusTone } from "@/components/ui/status-badge";
import { requestWithDataUrls } from "./request-images";

// Opened by a click: its code loads when first needed, under its own Suspense boundary (ssr: false;
// see gallery.tsx).
const SharePanel = dynamic(() => import("./share-panel").then((m) => m.SharePanel), { ssr: false });

const STATUS_TONE: Record<Generation["status"], StatusTone> = {
  queued: "neutral",
  submitted: "info",
  running: "progress",
  succeeded: "success",
  failed: "danger",
  expired: "warning",
  cancelled: "neutral",
};

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

interface ClipCardProps {
  generation: Generation;
  selected: boolean;
  onSelect: (selected: boolean) => void;
  onOpen: () => void;
  onRemix: () => void;
  onContinue: () => void | Promise<void>;
}

export function ClipCard({ generation: g, selected, onSelect, onOpen, onRemix, onContinue }: ClipCardProps) {
  const [sharing, setSharing] = useState(false);
  const t = useTranslations("clip");
  const formatNumber = useFormatNumber();
  const errorText = useErrorText();
  const cache = useGalleryCache();
  const video = useRef<HTMLVideoElement>(null);
  const { unfinished, elapsed } = useElapsed(g);
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const estimate = estimateGenerationSeconds(g.request);
  const label = g.storing ? `${t(g.status)} ${t("saving")}` : t(g.status);

  const play = () => void video.current?.play().catch(() => undefined);
  const stop = () => {
    if (!video.current) return;
    video.current.pause();
    video.current.currentTime = 0;
  };

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

  const remove = () =>
    startTransition(async () => {
      const result = await deleteGenerationAction({ id: g.id });
      if (result.ok) cache.remove(g.id);
      else setMessage(result.message);
      setConfirming(false);
    });

  return (
    <article
      aria-label={t("label", { prompt: g.prompt.slice(0, 80) })}
      className="group flex flex-col overflow-hidden rounded-2xl border border-line bg-surface"
      data-status={g.status}
    >
      <div className="relative aspect-video bg-black" onMouseEnter={play} onMouseLeave={stop}>
        {g.videoUrl ? (
          <button type="button" onClick={onOpen} onFocus={play} onBlur={stop} className="block h-full w-full" aria-label={t("play", { prompt: g.prompt.slice(0, 60) })}>
            <video
              ref={video}
              src={g.videoUrl}
              poster={g.posterUrl ?? undefined}
              muted
              loop
              playsInline
              preload="metadata"
              className="h-full w-full object-contain"
            />
          </button>
        ) : (
          <div className="flex h-full flex-col items-center justify-center gap-2 p-4 text-center text-sm text-white/80">
            {unfinished ? (
              <>
                <span className="h-6 w-6 animate-spin rounded-full border-2 border-white/30 border-t-white" aria-hidden />
                <span>
                  {formatSeconds(elapsed)} <span className="text-white/50">/ ~{formatSeconds(estimate)}</span>
                </span>
                <div className="h-1 w-2/3 overflow-hidden rounded bg-white/20" aria-hidden>
                  <div className="h-full bg-accent transition-all" style={{ width: `${Math.min(95, (elapsed / Math.max(estimate, 1)) * 100)}%` }} />
                </div>
              </>
            ) : (
              <span>{g.status === "expired" ? t("expiredBeforeFinish") : t("noClip")}</span>
            )}
          </div>
        )}
        {g.status === "succeeded" && (
          <label className="absolute right-2 top-2 flex items-center gap-1 rounded-full bg-black/60 px-2 py-0.5 text-xs text-white">
            <input type="checkbox" checked={selected} onChange={(e) => onSelect(e.target.checked)} aria-label={t("selectLabel", { prompt: g.prompt.slice(0, 60) })} />
            {t("select")}
          </label>
        )}
        <StatusBadge tone={STATUS_TONE[g.status]} className="absolute left-2 top-2" role="status" aria-label={t("status", { status: label })}>
          {label}
        </StatusBadge>
      </div>
      <div className="flex flex-1 flex-col gap-2 p-3">
        <p className="line-clamp-2 text-sm" title={g.prompt}>
          {g.prompt}
        </p>
        <p className="text-xs text-muted">
          {isModelId(g.model) ? MODELS[g.model].label : g.model}
          {g.width && g.height ? ` · ${g.width}×${g.height}` : ""}
          {g.duration ? ` · ${formatNumber(g.duration, "tenths")} s` : ""}
          {g.hasAudio ? ` · ${t("sound")}` : ""}
          {g.seed !== null ? ` · ${t("seed", { seed: g.seed })}` : ""}
          {g.usage?.totalTokens ? ` · ${t("tokensUsed", { tokens: formatNumber(g.usage.totalTokens, "compact") })}` : ""}
        </p>
        {g.error && (
          <p className="text-xs text-red-700 dark:text-red-300" role="note">
            {errorText(g.error)}
            {g.traceId ? <span className="block text-muted">{t("traceId", { id: g.traceId })}</span> : null}
          </p>
        )}
        {message && (
          <p role="alert" className="text-xs text-red-600">
            {message}
          </p>
        )}
        <div className="mt-auto flex flex-wrap gap-1.5 pt-1 text-xs">
          {g.videoUrl && (
            <a href={`${g.videoUrl}?download=1`} download className={buttonClass()}>
              {t("download")}
            </a>
          )}
          <Button onClick={onRemix}>{t("remix")}</Button>
          {g.lastFrameUrl && (
            <Button onClick={() => void onContinue()}>{t("continue")}</Button>
          )}
          {isTerminal(g.status) && g.status !== "succeeded" && (
            <Button variant="accent" disabled={pending} onClick={retry}>
              {t("retry")}
            </Button>
          )}
          {g.status === "succeeded" && (
            <Button aria-expanded={sharing} onClick={() => setSharing((v) => !v)}>
              {t("share")}
            </Button>
          )}
          {g.seed !== null && (
            <Button onClick={() => void navigator.clipboard?.writeText(String(g.seed))}>{t("copySeed")}</Button>
          )}
          {confirming ? (
            <span className="flex items-center gap-1" role="group" aria-label={t("confirmDelete")}>
              <Button variant="danger" disabled={pending} onClick={remove}>
                {t("deleteForGood")}
              </Button>
              <Button onClick={() => setConfirming(false)}>{t("keep")}</Button>
            </span>
          ) : (
            <Button variant="dangerOutline" onClick={() => setConfirming(true)}>
              {t("delete")}
            </Button>
          )}
        </div>
        {sharing && <SharePanel generationIds={[g.id]} onClose={() => setSharing(false)} />}
      </div>
    </article>
  );
}
