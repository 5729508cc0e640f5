"use client";

import { coded } from "@/lib/errors/codes";
import { CodedError } from "@/lib/errors/coded-error";
import { IMAGE_LIMITS } from "@/lib/seedance/models";
import { imageBytesProblem, imagePixelProblem, imageTypeProblem, isAcceptedImageType } from "@/lib/seedance/image-rules";
import { jpegOrientation } from "./exif-orientation";

/**
 * Longest side and byte size past which a photo is downscaled and re-encoded before upload. The
 * form sends both frames in one server-action body, so every image it sends is at most
 * TARGET_MAX_BYTES: next.config.mjs sizes `serverActions.bodySizeLimit` from this (a unit test
 * holds the two together).
 */
export const TARGET_MAX_SIDE = 2560;
export const TARGET_MAX_BYTES = 3 * 1024 * 1024;
/**
 * Largest file the browser opens. Past TARGET_MAX_BYTES a file is always re-encoded, so the
 * contract's 30 MB bounds what is sent, not what a creator drops (a 45-megapixel export).
 */
export const INPUT_MAX_BYTES = 100 * 1024 * 1024;
/** The EXIF block sits at the start of a JPEG: this much is enough to find its orientation. */
const EXIF_SEARCH_BYTES = 256 * 1024;
/** JPEG qualities tried at each size, best first; then the size steps down. */
const QUALITIES = [0.88, 0.75, 0.6];
const SIDE_STEP = 0.8;

export interface PreparedImage {
  dataUrl: string;
  width: number;
  height: number;
  bytes: number;
  /** Set when the browser shrank the image to fit. */
  resizedFrom?: { width: number; height: number };
  /** Set when the browser converted the image to JPEG: the format it came in ("AVIF"). */
  convertedFrom?: string;
}

function readAsDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(new CodedError(coded("file_unreadable")));
    reader.readAsDataURL(blob);
  });
}

/** "image/avif" -> "AVIF", "image/x-icon" -> "ICON". */
function formatName(type: string): string {
  return type.replace(/^image\//, "").replace(/^x-/, "").toUpperCase();
}

/**
 * Checks a chosen, dropped or pasted image against the contract, and re-encodes it as JPEG when
 * it is too big to send, turned by an EXIF tag, or in a format the contract does not take but
 * this browser decodes (AVIF; HEIC in Safari).
 */
export async function prepareImage(file: Blob): Promise<PreparedImage> {
  const { maxSide } = IMAGE_LIMITS;
  const accepted = isAcceptedImageType(file.type);
  const notAccepted = () => new CodedError(file.type ? imageTypeProblem(file.type) : coded("image_not_image"));
  if (!accepted && !file.type.startsWith("image/")) throw notAccepted();
  const tooManyBytes = imageBytesProblem(file.size, INPUT_MAX_BYTES);
  if (tooManyBytes) throw new CodedError(tooManyBytes);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    throw accepted ? new CodedError(coded("image_unreadable")) : notAccepted();
  }
  const { width, height } = bitmap;
  // Sides past the largest are no problem here: such an image is shrunk below.
  const problem = imagePixelProblem(width, height);
  if (problem && problem.code !== "image_too_wide") {
    bitmap.close();
    throw new CodedError(problem);
  }
  // A photo turned by its EXIF tag is drawn upright and re-encoded: the upstream gets upright pixels.
  const turned = file.type === "image/jpeg" && jpegOrientation(await file.slice(0, EXIF_SEARCH_BYTES).arrayBuffer()) > 1;
  const tooBig = Math.max(width, height) > Math.min(TARGET_MAX_SIDE, maxSide) || file.size > TARGET_MAX_BYTES;
  const reencode = !accepted || turned || tooBig;
  if (!reencode) {
    bitmap.close();
    return { dataUrl: await readAsDataUrl(file), width, height, bytes: file.size };
  }
  try {
    const shrunk = await shrinkToFit(bitmap);
    const resized = shrunk.width !== width || shrunk.height !== height;
    return {
      dataUrl: await readAsDataUrl(shrunk.blob),
      width: shrunk.width,
      height: shrunk.height,
      bytes: shrunk.blob.size,
      ...(resized || tooBig ? { resizedFrom: { width, height } } : {}),
      ...(accepted ? {} : { convertedFrom: formatName(file.type) }),
    };
  } finally {
    bitmap.close();
  }
}

function encodeJpeg(canvas: HTMLCanvasElement, quality: number): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new CodedError(coded("image_incompressible", { mb: TARGET_MAX_BYTES / 1024 / 1024, min: IMAGE_LIMITS.minSide })))), "image/jpeg", quality),
  );
}

/**
 * Re-encodes as JPEG at the largest size and best quality that fit TARGET_MAX_BYTES (fine detail,
 * such as grain, can keep a 2560 px JPEG above it), never below the contract's smallest side.
 */
async function shrinkToFit(bitmap: ImageBitmap): Promise<{ blob: Blob; width: number; height: number }> {
  const { minSide } = IMAGE_LIMITS;
  const { width, height } = bitmap;
  const canvas = document.createElement("canvas");
  for (let side = Math.min(TARGET_MAX_SIDE, Math.max(width, height)); ; side = Math.round(side * SIDE_STEP)) {
    const scale = side / Math.max(width, height);
    const w = Math.round(width * scale);
    const h = Math.round(height * scale);
    if (Math.min(w, h) < minSide) break;
    canvas.width = w;
    canvas.height = h;
    canvas.getContext("2d")!.drawImage(bitmap, 0, 0, w, h);
    for (const quality of QUALITIES) {
      const blob = await encodeJpeg(canvas, quality);
      if (blob.size <= TARGET_MAX_BYTES) return { blob, width: w, height: h };
    }
  }
  throw new CodedError(coded("image_incompressible", { mb: TARGET_MAX_BYTES / 1024 / 1024, min: minSide }));
}

/**
 * Our own stored image (a clip's last frame, a stored input) as the form sends it: checked and,
 * if too large for the form's request (an API caller may have stored a 30 MB input), shrunk.
 */
export async function dataUrlFromUrl(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new CodedError(coded("image_not_loaded"));
  return (await prepareImage(await response.blob())).dataUrl;
}
