import "server-only";
import { headers } from "next/headers";
import type { Metadata } from "next";
import { env } from "@/lib/env";
import { appContext } from "@/lib/app/context";
import { site, siteOrigin } from "@/lib/site";
import { sharePath, toPublicClips, type PublicClip } from "@/lib/dto/share";
import { getActiveShare } from "@/lib/shares/service";

/** The absolute origin links should use: PUBLIC_BASE_URL, else the (checked) host the request came to. */
export async function publicOrigin(): Promise<string> {
  return siteOrigin(await headers(), { publicBaseUrl: env().publicBaseUrl, fallbackOrigin: env().internalBaseUrl });
}

export async function loadShare(id: string, kind: "clip" | "collection"): Promise<{ title: string | null; clips: PublicClip[]; path: string } | null> {
  const found = await getActiveShare(await appContext(), { id });
  if (!found || found.share.kind !== kind) return null;
  return { title: found.share.title, clips: toPublicClips(found.share, found.rows), path: sharePath(found.share) };
}

/** OpenGraph `video.other` and a Twitter player card, so a pasted link previews with the clip. */
export async function shareMetadata(data: { title: string | null; clips: PublicClip[]; path: string }): Promise<Metadata> {
  const origin = await publicOrigin();
  const first = data.clips[0]!;
  const title = data.title ?? (first.prompt ? first.prompt.slice(0, 70) : data.clips.length > 1 ? "A Seedance collection" : "A Seedance clip");
  const description = data.clips.length > 1 ? `${data.clips.length} clips made with Seedance Studio` : (first.prompt ?? "A clip made with Seedance Studio");
  const video = { url: `${origin}${first.videoUrl}`, secureUrl: origin.startsWith("https") ? `${origin}${first.videoUrl}` : undefined, type: "video/mp4", width: first.width ?? undefined, height: first.height ?? undefined };
  const image = first.posterUrl ? [{ url: `${origin}${first.posterUrl}`, width: first.width ?? undefined, height: first.height ?? undefined }] : undefined;
  return {
    title,
    description,
    robots: { index: false },
    openGraph: { type: "video.other", title, description, url: `${origin}${data.path}`, siteName: site.name, videos: [video], images: image },
    twitter: {
      card: "player",
      title,
      description,
      images: image?.map((i) => i.url),
      players: [{ playerUrl: `${origin}${first.videoUrl}`, streamUrl: `${origin}${first.videoUrl}`, width: first.width ?? 1280, height: first.height ?? 720 }],
    },
  };
}
