import { createTranslator } from "next-intl";
import { describe, expect, test } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import type { Coded } from "@/lib/errors/codes";
import { renderError, type ErrorTranslator } from "@/lib/errors/render";
import en from "@/lib/i18n/messages/en.json";
import ko from "@/lib/i18n/messages/ko.json";
import { decodeImageDataUrl, pixelProblem } from "@/lib/media/image-check";
import { imageUrlProblem } from "@/lib/seedance/rules";

/** What a creator reads for a server's refusal, in `locale` (as the clip card and the form render it). */
function shown(locale: "en" | "ko", error: Coded): string {
  return renderError(createTranslator({ locale, messages: locale === "en" ? en : ko }) as unknown as ErrorTranslator, error);
}

function refusal(check: () => unknown): Coded {
  try {
    check();
  } catch (error) {
    return (error as AppError).coded;
  }
  throw new Error("the check accepted the image");
}

const dataUrl = (bytes: Buffer, mime = "image/png") => `data:${mime};base64,${bytes.toString("base64")}`;

describe("the server refuses an image in the browser's words, so a Korean creator reads Korean", () => {
  test.each<[string, () => Coded | null, string]>([
    ["too small", () => pixelProblem(200, 200), "The image is 200×200: each side must be at least 300 px."],
    ["too narrow", () => pixelProblem(300, 1000), "The image is 300×1000: width ÷ height must be between 0.4 and 2.5."],
    ["over 30 MB", () => refusal(() => decodeImageDataUrl(dataUrl(Buffer.alloc(31 * 1024 * 1024)), "firstFrame")), "The image is 31.0 MB: the limit is 30 MB."],
    ["not an image", () => refusal(() => decodeImageDataUrl(dataUrl(Buffer.from("plain text, not a picture")), "firstFrame")), "This file is not a JPEG, PNG, WebP, BMP, TIFF or GIF image."],
    ["a type the upstream does not take", () => imageUrlProblem(dataUrl(Buffer.from("x"), "image/heic")), "image/heic is not accepted: use a JPEG, PNG, WebP, BMP, TIFF or GIF image."],
  ])("%s", (_name, check, english) => {
    const error = check();
    expect(shown("en", error!)).toBe(english);
    const korean = shown("ko", error!);
    expect(korean).not.toBe(english);
    expect(korean).toMatch(/[가-힣]/);
  });

  test("an image within every limit is not refused", () => {
    expect(pixelProblem(1280, 720)).toBeNull();
    expect(pixelProblem(6000, 2400)).toBeNull();
  });
});
