import { useTranslations } from "next-intl";
import { buttonClass } from "@/components/ui/button";
import type { PublicClip } from "@/lib/dto/share";

export function SharedClip({ clip, autoPlay }: { clip: PublicClip; autoPlay?: boolean }) {
  const t = useTranslations("share");
  const tc = useTranslations("clip");
  return (
    <figure className="flex flex-col gap-2">
      <video
        src={clip.videoUrl}
        poster={clip.posterUrl ?? undefined}
        controls
        playsInline
        autoPlay={autoPlay}
        muted={autoPlay}
        loop
        preload="metadata"
        aria-label={clip.prompt ? tc("label", { prompt: clip.prompt.slice(0, 80) }) : t("sharedClip")}
        className="w-full rounded-xl bg-black"
        style={clip.width && clip.height ? { aspectRatio: `${clip.width} / ${clip.height}` } : undefined}
      />
      <figcaption className="flex items-start justify-between gap-3 text-sm">
        <span>{clip.prompt ?? <span className="text-muted">{t("privatePrompt")}</span>}</span>
        <a href={`${clip.videoUrl}?download=1`} className={buttonClass({ className: "shrink-0 text-xs" })}>
          {tc("download")}
        </a>
      </figcaption>
    </figure>
  );
}
