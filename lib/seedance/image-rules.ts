/**
 * The input-image limits (docs/seedance-contract.md#image-limits) as checks, one per limit, each
 * with one message: the browser (lib/images/prepare.ts) checks a chosen file with them before it
 * is sent, and the server (lib/media/image-check.ts, lib/seedance/rules.ts) checks the bytes it
 * receives with the same ones. Each answers with a coded error (lib/errors/codes.ts), so a creator
 * reads the same catalogue entry wherever an image is refused.
 * The limits themselves are IMAGE_LIMITS in ./models. Client-safe and zod-free.
 */
import { coded, type Coded } from "@/lib/errors/codes";
import { IMAGE_LIMITS } from "./models";

export type ImageProblem = Extract<Coded, { code: "image_type" | "image_too_big" | "image_too_small" | "image_too_wide" | "image_aspect" }>;

const MB = 1024 * 1024;

/** Whether the upstream takes this MIME type as it is. */
export function isAcceptedImageType(mime: string): boolean {
  return (IMAGE_LIMITS.mimeTypes as readonly string[]).includes(mime.toLowerCase());
}

/** A type the upstream does not take; `type` is what to call it ("image/heic", "This file"). */
export function imageTypeProblem(type: string): ImageProblem {
  return coded("image_type", { type }) as ImageProblem;
}

/** Bytes over a limit: the upstream's 30 MB unless another is given (the browser opens up to more, then shrinks). */
export function imageBytesProblem(bytes: number, limitBytes: number = IMAGE_LIMITS.maxBytes): ImageProblem | null {
  if (bytes <= limitBytes) return null;
  const mb = (bytes / MB).toFixed(1);
  const max = Math.round(limitBytes / MB);
  return coded("image_too_big", { mb, max }) as ImageProblem;
}

/** Sides within 300–6000 px and width / height within 0.4–2.5, checked in that order. */
export function imagePixelProblem(width: number, height: number): ImageProblem | null {
  const { minSide, maxSide, minAspect, maxAspect } = IMAGE_LIMITS;
  if (width < minSide || height < minSide) {
    return coded("image_too_small", { width, height, min: minSide }) as ImageProblem;
  }
  if (width > maxSide || height > maxSide) {
    return coded("image_too_wide", { width, height, max: maxSide }) as ImageProblem;
  }
  const aspect = width / height;
  if (aspect < minAspect || aspect > maxAspect) {
    return coded("image_aspect", { width, height, min: minAspect, max: maxAspect }) as ImageProblem;
  }
  return null;
}
