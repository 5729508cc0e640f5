/**
 * The input-image limits (docs/seedance-contract.md#image-limits) as checks, one per limit, each
 * with one message: the browser (lib/images/prepare.ts) checks a chosen file with them before it
 * is sent, and the server (lib/media/image-check.ts, lib/seedance/rules.ts) checks the bytes it
 * receives with the same ones, so a creator reads the same words wherever an image is refused.
 * The limits themselves are IMAGE_LIMITS in ./models. Client-safe and zod-free.
 */
import { IMAGE_LIMITS } from "./models";

export type ImageProblem =
  | { code: "image_type"; params: { type: string }; message: string }
  | { code: "image_too_big"; params: { mb: string; max: number }; message: string }
  | { code: "image_too_small"; params: { width: number; height: number; min: number }; message: string }
  | { code: "image_too_wide"; params: { width: number; height: number; max: number }; message: string }
  | { code: "image_aspect"; params: { width: number; height: number; min: number; max: number }; message: string };

const MB = 1024 * 1024;

/** Whether the upstream takes this MIME type as it is. */
export function isAcceptedImageType(mime: string): boolean {
  return (IMAGE_LIMITS.mimeTypes as readonly string[]).includes(mime.toLowerCase());
}

/** A type the upstream does not take; `type` is what to call it ("image/heic", "This file"). */
export function imageTypeProblem(type: string): ImageProblem {
  return { code: "image_type", params: { type }, message: `${type} is not accepted: use a JPEG, PNG, WebP, BMP, TIFF or GIF image.` };
}

/** Bytes over a limit: the upstream's 30 MB unless another is given (the browser opens up to more, then shrinks). */
export function imageBytesProblem(bytes: number, limitBytes: number = IMAGE_LIMITS.maxBytes): ImageProblem | null {
  if (bytes <= limitBytes) return null;
  const mb = (bytes / MB).toFixed(1);
  const max = Math.round(limitBytes / MB);
  return { code: "image_too_big", params: { mb, max }, message: `The image is ${mb} MB: the limit is ${max} MB.` };
}

/** Sides within 300–6000 px and width / height within 0.4–2.5, checked in that order. */
export function imagePixelProblem(width: number, height: number): ImageProblem | null {
  const { minSide, maxSide, minAspect, maxAspect } = IMAGE_LIMITS;
  const size = `The image is ${width}×${height}`;
  if (width < minSide || height < minSide) {
    return { code: "image_too_small", params: { width, height, min: minSide }, message: `${size}: each side must be at least ${minSide} px.` };
  }
  if (width > maxSide || height > maxSide) {
    return { code: "image_too_wide", params: { width, height, max: maxSide }, message: `${size}: each side must be at most ${maxSide} px.` };
  }
  const aspect = width / height;
  if (aspect < minAspect || aspect > maxAspect) {
    return {
      code: "image_aspect",
      params: { width, height, min: minAspect, max: maxAspect },
      message: `${size}: width ÷ height must be between ${minAspect} and ${maxAspect}.`,
    };
  }
  return null;
}
