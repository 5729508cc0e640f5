import "server-only";
import { imageBytesProblem, imagePixelProblem, type ImageProblem } from "@/lib/seedance/image-rules";
import { AppError, coded } from "@/lib/errors";

const SIGNATURES: { mime: string; ext: string; test: (b: Buffer) => boolean }[] = [
  { mime: "image/png", ext: "png", test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { mime: "image/jpeg", ext: "jpg", test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: "image/gif", ext: "gif", test: (b) => b.subarray(0, 6).toString("latin1") === "GIF87a" || b.subarray(0, 6).toString("latin1") === "GIF89a" },
  { mime: "image/webp", ext: "webp", test: (b) => b.subarray(0, 4).toString("latin1") === "RIFF" && b.subarray(8, 12).toString("latin1") === "WEBP" },
  { mime: "image/bmp", ext: "bmp", test: (b) => b.subarray(0, 2).toString("latin1") === "BM" },
  {
    mime: "image/tiff",
    ext: "tif",
    test: (b) => b.subarray(0, 4).equals(Buffer.from([0x49, 0x49, 0x2a, 0x00])) || b.subarray(0, 4).equals(Buffer.from([0x4d, 0x4d, 0x00, 0x2a])),
  },
];

/** The real type of image bytes, by magic number (never by the name or the declared type). */
export function sniffImage(bytes: Buffer): { mime: string; ext: string } | null {
  const found = SIGNATURES.find((s) => s.test(bytes));
  return found ? { mime: found.mime, ext: found.ext } : null;
}

const DATA_URL = /^data:(image\/[a-z0-9.+-]+);base64,(.*)$/is;

/** Decodes a data: URL and checks it is an accepted image within the byte limit. */
export function decodeImageDataUrl(url: string, field: string): { bytes: Buffer; mime: string; ext: string } {
  const match = DATA_URL.exec(url);
  if (!match) throw new AppError("image_data_invalid", {}, { fieldErrors: { [field]: [coded("image_data_invalid")] } });
  const bytes = Buffer.from(match[2]!.replace(/\s/g, ""), "base64");
  const tooBig = imageBytesProblem(bytes.length);
  if (tooBig) throw AppError.from(tooBig, { fieldErrors: { [field]: [tooBig] } });
  const kind = sniffImage(bytes);
  if (!kind) {
    // The declared type is not trusted, and the bytes match none we know.
    throw new AppError("image_not_image", {}, { fieldErrors: { [field]: [coded("image_not_image")] } });
  }
  return { bytes, ...kind };
}

/** The contract's pixel limits (docs/seedance-contract.md#image-limits), in the words the browser uses. */
export function pixelProblem(width: number, height: number): ImageProblem | null {
  return imagePixelProblem(width, height);
}
