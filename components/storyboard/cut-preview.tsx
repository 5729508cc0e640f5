"use client";

import { useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";

export interface CutPart {
  videoUrl: string;
  start: number;
  /** null: to the clip's end. */
  end: number | null;
}

/**
 * The cut before it is exported: each clip's kept part, one after another, in one player (hard
 * cuts; the export adds the crossfades). Nothing is rendered on the server for it.
 */
export function CutPreview({ parts }: { parts: CutPart[] }) {
  const t = useTranslations("storyboard");
  const video = useRef<HTMLVideoElement>(null);
  const [index, setIndex] = useState(0);
  const part = parts[Math.min(index, parts.length - 1)];

  useEffect(() => {
    video.current?.load();
  }, [part?.videoUrl, index]);

  if (!part) return null;
  const next = () => {
    if (index + 1 < parts.length) setIndex(index + 1);
    else video.current?.pause();
  };
  return (
    <figure className="flex flex-col gap-1.5">
      <video
        ref={video}
        src={`${part.videoUrl}#t=${part.start}`}
        muted
        playsInline
        autoPlay
        controls
        aria-label={t("previewOf")}
        className="max-h-72 w-full rounded-xl bg-black"
        onLoadedMetadata={(e) => {
          e.currentTarget.currentTime = part.start;
          void e.currentTarget.play().catch(() => undefined);
        }}
        onTimeUpdate={(e) => {
          if (part.end !== null && e.currentTarget.currentTime >= part.end - 0.02) next();
        }}
        onEnded={next}
      />
      <figcaption className="flex items-center justify-between text-xs text-muted">
        <span aria-live="polite">{t("previewClip", { n: index + 1, count: parts.length })}</span>
        <button type="button" className="underline hover:text-ink" onClick={() => setIndex(0)}>
          {t("previewAgain")}
        </button>
      </figcaption>
    </figure>
  );
}
