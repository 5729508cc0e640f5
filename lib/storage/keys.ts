/**
 * The storage key layout, in one place: every writer (the create path, downloads, film exports,
 * the collectors) names objects with these, and the media route reads keys back with
 * `parseMediaKey`. Pure and client-safe (media URLs are built in the browser too).
 *
 *   clips/<generation id>/video.mp4 | original.mov | poster.jpg | last-frame.png | last-frame-upstream.<ext>
 *   inputs/<sha256 of the bytes>.<ext>      (shared by every clip made from the same image)
 *   refs/<sha256 of the bytes>.<ext>        (reference images, videos and audio of 2.x requests)
 *   films/<storyboard id>/film.mp4 | poster.jpg
 */

/** How a stored image is referred to inside a request (`media:inputs/…`), as opposed to an https URL. */
export const MEDIA_PREFIX = "media:";

export const INPUTS_PREFIX = "inputs/";
export const FILMS_PREFIX = "films/";
export const REFS_PREFIX = "refs/";

export const clipKeys = (id: string) => ({
  prefix: `clips/${id}/`,
  video: `clips/${id}/video.mp4`,
  /** 2.5's `mov` output as the upstream made it; `video` is then its playable MP4 copy. */
  original: `clips/${id}/original.mov`,
  poster: `clips/${id}/poster.jpg`,
  lastFrame: `clips/${id}/last-frame.png`,
  /** Where the upstream's own last frame lands before its type is known. */
  upstreamLastFrame: `clips/${id}/last-frame-upstream`,
  upstreamLastFrameAs: (ext: string) => `clips/${id}/last-frame-upstream.${ext}`,
});

export const inputImageKey = (sha256Hex: string, ext: string) => `${INPUTS_PREFIX}${sha256Hex}.${ext}`;

/** A stored copy of a reference image, video or audio clip (sent upstream as a signed link). */
export const referenceKey = (sha256Hex: string, ext: string) => `${REFS_PREFIX}${sha256Hex}.${ext}`;

export const filmKeys = (storyboardId: string) => ({
  prefix: `${FILMS_PREFIX}${storyboardId}/`,
  film: `${FILMS_PREFIX}${storyboardId}/film.mp4`,
  poster: `${FILMS_PREFIX}${storyboardId}/poster.jpg`,
});

/** Our media route's URL of a stored object. */
export function mediaUrl(key: string): string {
  return `/api/media/${key}`;
}

/** Where the browser can show a reference: our media route for stored ones and clips, else the URL itself. */
export function referencePreviewUrl(ref: string): string {
  if (ref.startsWith(MEDIA_PREFIX)) return mediaUrl(ref.slice(MEDIA_PREFIX.length));
  const clip = /^clip:(.+)$/.exec(ref);
  return clip ? mediaUrl(clipKeys(clip[1]!).video) : ref;
}

export type MediaKey =
  | { kind: "clip"; generationId: string; file: string }
  | { kind: "film"; storyboardId: string; file: "film.mp4" | "poster.jpg" }
  | { kind: "input"; name: string }
  | { kind: "reference"; name: string };

/** A key the media route may serve, or null (anything else is not ours to hand out). */
export function parseMediaKey(parts: readonly string[]): MediaKey | null {
  const [folder, second, third] = parts;
  if (folder === "clips" && parts.length === 3) return { kind: "clip", generationId: second!, file: third! };
  if (folder === "films" && parts.length === 3 && (third === "film.mp4" || third === "poster.jpg")) return { kind: "film", storyboardId: second!, file: third };
  if (folder === "inputs" && parts.length === 2) return { kind: "input", name: second! };
  if (folder === "refs" && parts.length === 2) return { kind: "reference", name: second! };
  return null;
}
