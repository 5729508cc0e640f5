"use client";

import dynamic from "next/dynamic";
import { useEffect, useRef, useState, useTransition } from "react";
import { createGenerationAction, deleteGenerationAction } from "@/app/(studio)/actions";
import type { Generation } from "@/lib/dto/generation";
import { useTranslations } from "next-intl";
import { useRenderedAt } from "@/lib/client/render-time";
import { useFormatNumber } from "@/lib/i18n/use-format-number";
import { useContractMessage } from "@/lib/i18n/use-contract-message";
import { useGalleryCache } from "@/lib/query/generations";
import { MODELS, estimateGenerationSeconds, isModelId } from "@/lib/seedance/models";
import { requestWithDataUrls } from "./request-images";

// Opened by a click: its code loads when first needed.
const SharePanel = dynamic(() => import("./share-panel").then((m) => m.SharePanel));

const STATUS_STYLE: Record<Generation["status"], string> = {
  queued: "bg-zinc-100 text-zinc-800",
  submitted: "bg-sky-100 text-sky-800",
  running: "bg-violet-100 text-violet-800",
  succeeded: "bg-emerald-100 text-emerald-800",
  failed: "bg-red-100 text-red-800",
  expired: "bg-amber-100 text-amber-800",
  cancelled: "bg-zinc-100 text-zinc-700",
};

function formatSeconds(total: number) {
  const m = Math.floor(total / 60);
  const s = Math.floor(total % 60);
  return m ? `${m}:${String(s).padStart(2, "0")}` : `${s} s`;
}


function useElapsed(g: Generation) {
  const unfinished = g.status === "queued" || g.status === "submitted" || g.status === "running";
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
  const translate = useContractMessage();
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
        <span className={`absolute left-2 top-2 rounded-full px-2 py-0.5 text-xs font-medium backdrop-blur ${STATUS_STYLE[g.status]}`} role="status" aria-label={t("status", { status: label })}>
          {label}
        </span>
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
            {translate(g.error.message, g.error.code)}
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
            <a href={`${g.videoUrl}?download=1`} download className="rounded-lg border border-line px-2 py-1 hover:border-accent">
              {t("download")}
            </a>
          )}
          <button type="button" onClick={onRemix} className="rounded-lg border border-line px-2 py-1 hover:border-accent">
            {t("remix")}
          </button>
          {g.lastFrameUrl && (
            <button type="button" onClick={() => void onContinue()} className="rounded-lg border border-line px-2 py-1 hover:border-accent">
              {t("continue")}
            </button>
          )}
          {(g.status === "failed" || g.status === "expired" || g.status === "cancelled") && (
            <button type="button" disabled={pending} onClick={retry} className="rounded-lg border border-accent px-2 py-1 text-accent">
              {t("retry")}
            </button>
          )}
          {g.status === "succeeded" && (
            <button type="button" aria-expanded={sharing} onClick={() => setSharing((v) => !v)} className="rounded-lg border border-line px-2 py-1 hover:border-accent">
              {t("share")}
            </button>
          )}
          {g.seed !== null && (
            <button type="button" onClick={() => void navigator.clipboard?.writeText(String(g.seed))} className="rounded-lg border border-line px-2 py-1 hover:border-accent">
              {t("copySeed")}
            </button>
          )}
          {confirming ? (
            <span className="flex items-center gap-1" role="group" aria-label={t("confirmDelete")}>
              <button type="button" disabled={pending} onClick={remove} className="rounded-lg bg-red-600 px-2 py-1 text-white">
                {t("deleteForGood")}
              </button>
              <button type="button" onClick={() => setConfirming(false)} className="rounded-lg border border-line px-2 py-1">
                {t("keep")}
              </button>
            </span>
          ) : (
            <button type="button" onClick={() => setConfirming(true)} className="rounded-lg border border-line px-2 py-1 hover:border-red-500">
              {t("delete")}
            </button>
          )}
        </div>
        {sharing && <SharePanel generationIds={[g.id]} onClose={() => setSharing(false)} />}
      </div>
    </article>
  );
}
