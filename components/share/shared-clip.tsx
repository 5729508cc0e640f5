import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { buttonClass } from "@/components/ui/button";
import type { PublicClip } from "@/lib/dto/share";

/**
 * A shared clip or film: looped, and with `autoPlay` playing muted at once (browsers allow only
 * muted autoplay), edge to edge on a phone. `caption` goes beside the download (the full prompt
 * when the heading above had to shorten it).
 */
export function SharedClip({ clip, autoPlay, label, caption }: { clip: PublicClip; autoPlay?: boolean; label: string; caption?: ReactNode }) {
  const t = useTranslations("share");
  return (
    <figure className="flex flex-col gap-3">
      {/* Edge to edge on a phone: the wrapper takes the page's side padding back. */}
      <div className="max-sm:-mx-4">
        <video
          src={clip.videoUrl}
          poster={clip.posterUrl ?? undefined}
          controls
          playsInline
          autoPlay={autoPlay}
          muted={autoPlay}
          loop
          preload={autoPlay ? "auto" : "metadata"}
          aria-label={label}
          className="max-h-[80dvh] w-full bg-black sm:rounded-2xl"
          style={clip.width && clip.height ? { aspectRatio: `${clip.width} / ${clip.height}` } : undefined}
        />
      </div>
      <figcaption className="flex items-start justify-between gap-3 text-sm">
        <span className="min-w-0">{caption}</span>
        <a href={`${clip.videoUrl}?download=1`} className={buttonClass({ className: "shrink-0 text-xs" })}>
          {t("download")}
        </a>
      </figcaption>
    </figure>
  );
}
