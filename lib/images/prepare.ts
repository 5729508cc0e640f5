"use client";

import { IMAGE_LIMITS } from "@/lib/seedance/models";

/** Longest side and byte size past which a photo is downscaled and re-encoded before upload. */
const TARGET_MAX_SIDE = 2560;
const TARGET_MAX_BYTES = 3 * 1024 * 1024;

export interface PreparedImage {
  dataUrl: string;
  width: number;
  height: number;
  bytes: number;
  /** Set when the browser shrank the image to fit. */
  resizedFrom?: { width: number; height: number };
}

function readAsDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(new Error("The file could not be read."));
    reader.readAsDataURL(blob);
  });
}

/** Checks a chosen, dropped or pasted image against the contract, and shrinks big photos to fit. */
export async function prepareImage(file: Blob): Promise<PreparedImage> {
  const { mimeTypes, maxBytes, minSide, maxSide, minAspect, maxAspect } = IMAGE_LIMITS;
  if (!(mimeTypes as readonly string[]).includes(file.type)) {
    throw new Error(`${file.type || "This file"} is not accepted: use a JPEG, PNG, WebP, BMP, TIFF or GIF image.`);
  }
  if (file.size > maxBytes) throw new Error(`The image is ${(file.size / 1024 / 1024).toFixed(1)} MB: the limit is 30 MB.`);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error("This image could not be read: is the file damaged?");
  }
  const { width, height } = bitmap;
  const aspect = width / height;
  if (width < minSide || height < minSide) throw new Error(`The image is ${width}×${height}: each side must be at least ${minSide} px.`);
  if (aspect < minAspect || aspect > maxAspect) {
    throw new Error(`The image is ${width}×${height}: width ÷ height must be between ${minAspect} and ${maxAspect}.`);
  }
  const needsShrink = Math.max(width, height) > Math.min(TARGET_MAX_SIDE, maxSide) || file.size > TARGET_MAX_BYTES;
  if (!needsShrink) {
    bitmap.close();
    return { dataUrl: await readAsDataUrl(file), width, height, bytes: file.size };
  }
  const scale = Math.min(1, TARGET_MAX_SIDE / Math.max(width, height));
  const w = Math.max(minSide, Math.round(width * scale));
  const h = Math.max(minSide, Math.round(height * scale));
  const canvas = document.createElement("canvas");
  canvas.width = w;
  canvas.height = h;
  canvas.getContext("2d")!.drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  const blob = await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("The image could not be compressed."))), "image/jpeg", 0.88),
  );
  return {
    dataUrl: await readAsDataUrl(blob),
    width: w,
    height: h,
    bytes: blob.size,
    resizedFrom: { width, height },
  };
}

/** Our own stored image (a clip's last frame) as a data URL, to use as a new first frame. */
export async function dataUrlFromUrl(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error("The image could not be loaded.");
  return readAsDataUrl(await response.blob());
}
