import "server-only";
import { headers } from "next/headers";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { env } from "@/lib/env";
import { appContext } from "@/lib/app/context";
import { site, siteOrigin } from "@/lib/site";
import { sharePath, toPublicClips, type PublicClip } from "@/lib/dto/share";
import { getActiveShare, type SharedFilmClip } from "@/lib/shares/service";

/** The absolute origin links should use: PUBLIC_BASE_URL, else the (checked) host the request came to. */
export async function publicOrigin(): Promise<string> {
  return siteOrigin(await headers(), { publicBaseUrl: env().publicBaseUrl, fallbackOrigin: env().internalBaseUrl });
}

export interface SharePageData {
  /** A film is shared on `/v/<id>` like a clip, but its page says film and lists its clips. */
  kind: "clip" | "film" | "collection";
  /** The share's own title, a film's storyboard title, else null (the page names it by its prompt). */
  title: string | null;
  clips: PublicClip[];
  filmClips: SharedFilmClip[];
  path: string;
}

export async function loadShare(id: string, route: "clip" | "collection"): Promise<SharePageData | null> {
  const found = await getActiveShare(await appContext(), { id });
  if (!found || found.share.kind !== route) return null;
  const film = found.filmClips !== undefined;
  const clips = toPublicClips(found.share, found.rows);
  return {
    kind: film ? "film" : route,
    // A film's "prompt" is its storyboard's title: shown as the title, even with prompts hidden.
    title: found.share.title ?? (film ? (found.rows[0]?.prompt ?? null) : null),
    clips: film ? clips.map((c) => ({ ...c, prompt: null })) : clips,
    filmClips: found.filmClips ?? [],
    path: sharePath(found.share),
  };
}

/** At most `max` characters, cut at a word boundary with an ellipsis (a word longer than that is cut inside). */
export function cutAtWord(text: string, max: number): string {
  const clean = text.replace(/\s+/g, " ").trim();
  if ([...clean].length <= max) return clean;
  const head = [...clean].slice(0, max - 1).join("");
  const space = head.lastIndexOf(" ");
  const cut = space >= max / 2 ? head.slice(0, space) : head;
  return `${cut.replace(/[\s,.;:!?·–—-]+$/, "")}…`;
}

/** The page's heading and the preview's title: the title, else the prompt, else what it is. */
export async function shareHeading(data: SharePageData): Promise<string> {
  const t = await getTranslations("share");
  const prompt = data.clips[0]?.prompt;
  if (data.title) return cutAtWord(data.title, 90);
  if (data.kind === "collection") return t("clipCount", { count: data.clips.length });
  return prompt ? cutAtWord(prompt, 90) : data.kind === "film" ? t("sharedFilm") : t("sharedClip");
}

/**
 * OpenGraph `video.other` (the MP4 and its poster) and a large-image Twitter card: previews show
 * the poster big with its description, and a click opens the page, which plays it. (A player card
 * would need a page built to be framed; the MP4 itself is not one, and our headers forbid framing.)
 */
export async function shareMetadata(data: SharePageData): Promise<Metadata> {
  const t = await getTranslations("share");
  const origin = await publicOrigin();
  const first = data.clips[0]!;
  const heading = await shareHeading(data);
  const title = cutAtWord(heading, 70);
  const description =
    data.kind === "film"
      ? t("filmDescription", { count: data.filmClips.length, studio: site.name })
      : data.kind === "collection"
        ? t("collectionDescription", { count: data.clips.length, studio: site.name })
        : first.prompt
          ? cutAtWord(first.prompt, 200)
          : t("clipDescription", { studio: site.name });
  const alt = data.kind === "film" ? t("filmPosterAlt", { title: heading }) : first.prompt ? t("posterAlt", { prompt: cutAtWord(first.prompt, 120) }) : t("posterAltPrivate");
  const videoUrl = `${origin}${first.videoUrl}`;
  const video = { url: videoUrl, secureUrl: origin.startsWith("https") ? videoUrl : undefined, type: "video/mp4", width: first.width ?? undefined, height: first.height ?? undefined };
  const image = first.posterUrl ? { url: `${origin}${first.posterUrl}`, width: first.width ?? undefined, height: first.height ?? undefined, alt, type: "image/jpeg" } : undefined;
  return {
    title,
    description,
    robots: { index: false },
    alternates: { canonical: `${origin}${data.path}` },
    openGraph: { type: "video.other", title, description, url: `${origin}${data.path}`, siteName: site.name, videos: [video], images: image ? [image] : undefined },
    twitter: { card: image ? "summary_large_image" : "summary", title, description, images: image ? [{ url: image.url, alt }] : undefined },
  };
}
