import "server-only";
import { createHash } from "node:crypto";
import type { GenerationRow } from "@/lib/db/schema";
import { AppError, coded } from "@/lib/errors";
import { decodeImageDataUrl } from "@/lib/media/image-check";
import type { GenerationSpec } from "@/lib/seedance/schema";
import { inputImageKey, MEDIA_PREFIX } from "@/lib/storage/keys";

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
  const stored = canonical({ ...existing.request, parentId: existing.parentId ?? undefined });
  const sent = canonical({
    ...input.spec,
    firstFrame: storedImageName(input.spec.firstFrame, "firstFrame"),
    lastFrame: storedImageName(input.spec.lastFrame, "lastFrame"),
    parentId: input.parentId,
  });
  if (stored !== sent) {
    throw new AppError("idempotency_key_reused", {}, { fieldErrors: { "Idempotency-Key": [coded("idempotency_key_reused")] } });
  }
}

/** The name createGeneration stores a data: image under (storeInputImage in lib/generations/create.ts). */
function storedImageName(url: string | undefined, field: "firstFrame" | "lastFrame"): string | undefined {
  if (!url?.startsWith("data:")) return url;
  const { bytes, ext } = decodeImageDataUrl(url, field);
  return `${MEDIA_PREFIX}${inputImageKey(createHash("sha256").update(bytes).digest("hex"), ext)}`;
}

/** JSON with sorted keys and without undefined values: equal requests give equal strings. */
function canonical(value: Record<string, unknown>): string {
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}
