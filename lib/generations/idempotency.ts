import "server-only";
import { createHash } from "node:crypto";
import type { GenerationRow } from "@/lib/db/schema";
import { AppError, coded } from "@/lib/errors";
import { decodeImageDataUrl } from "@/lib/media/image-check";
import type { GenerationSpec } from "@/lib/seedance/schema";
import { inputImageKey, MEDIA_PREFIX, referenceKey } from "@/lib/storage/keys";

/**
 * Throws a 422 unless `spec` (and `parentId`) is the request the row was created from, so a key
 * reused for another clip is refused instead of answered with the first clip.
 *
 * The row keeps its request as parsed, with each data: image replaced by its stored name
 * `media:inputs/<sha256 of the bytes>.<ext>`; the new spec's images are named the same way
 * here, so the comparison is of image bytes, not of their base64 wrapping. Nothing is
 * written: the images of a refused retry never reach storage.
 */
export function assertSameRequest(existing: Pick<GenerationRow, "request" | "parentId">, input: { spec: GenerationSpec; parentId?: string }): void {
  // The safety identifier is ours (a hash of who asked), not part of what was asked for.
  const storedRequest: Record<string, unknown> & typeof existing.request = { ...existing.request };
  delete storedRequest.safety_identifier;
  const sent: Record<string, unknown> = {
    ...input.spec,
    firstFrame: storedImageName(input.spec.firstFrame, "firstFrame"),
    lastFrame: storedImageName(input.spec.lastFrame, "lastFrame"),
    parentId: input.parentId,
  };
  delete sent.safety_identifier;
  for (const field of ["referenceImages", "referenceVideos", "referenceAudios"] as const) {
    sent[field] = sameReferences(input.spec[field], existing.request[field]);
  }
  const stored = canonical({ ...storedRequest, parentId: existing.parentId ?? undefined });
  if (stored !== canonical(sent)) {
    throw new AppError("idempotency_key_reused", {}, { fieldErrors: { "Idempotency-Key": [coded("idempotency_key_reused")] } });
  }
}

/** The name createGeneration stores a data: image under (storeInputImage in lib/generations/create.ts). */
function storedImageName(url: string | undefined, field: "firstFrame" | "lastFrame"): string | undefined {
  if (!url?.startsWith("data:")) return url;
  const { bytes, ext } = decodeImageDataUrl(url, field);
  return `${MEDIA_PREFIX}${inputImageKey(createHash("sha256").update(bytes).digest("hex"), ext)}`;
}

/**
 * The sent references as the stored ones when they are the same media: a data: URL by the name
 * of its bytes, a clip by its video key. An https reference was fetched and stored under the name
 * of what it answered then, which a retry cannot know without fetching again: it matches the
 * stored entry in its place.
 */
function sameReferences(sent: string[] | undefined, stored: string[] | undefined): string[] | undefined {
  if (!sent) return sent;
  return sent.map((url, index) => {
    if (url.startsWith("https://")) return stored?.[index] ?? url;
    const clip = /^clip:(.+)$/.exec(url);
    if (clip) return `${MEDIA_PREFIX}clips/${clip[1]}/video.mp4`;
    if (url.startsWith("data:")) return `${MEDIA_PREFIX}${referenceKey(createHash("sha256").update(Buffer.from(url.slice(url.indexOf(",") + 1), "base64")).digest("hex"), "*")}`;
    return url;
  }).map((name, index) => (name.endsWith(".*") && stored?.[index]?.startsWith(name.slice(0, -1)) ? stored[index]! : name));
}

/** JSON with sorted keys and without undefined values: equal requests give equal strings. */
function canonical(value: Record<string, unknown>): string {
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}
