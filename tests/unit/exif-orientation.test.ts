import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { jpegOrientation } from "@/lib/images/exif-orientation";
import { withExifOrientation } from "./support/exif";

const ffmpeg = (createRequire(import.meta.url)("@ffmpeg-installer/ffmpeg") as { path: string }).path;
const jpeg = execFileSync(ffmpeg, ["-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=s=320x240", "-frames:v", "1", "-f", "mjpeg", "-"]);

describe("jpegOrientation", () => {
  it("reads the tag in either byte order", () => {
    for (const orientation of [1, 3, 6, 8]) {
      expect(jpegOrientation(withExifOrientation(jpeg, orientation))).toBe(orientation);
      expect(jpegOrientation(withExifOrientation(jpeg, orientation, { littleEndian: true }))).toBe(orientation);
    }
  });

  it("is upright without EXIF, for other formats, and for cut or nonsense data", () => {
    expect(jpegOrientation(jpeg)).toBe(1);
    expect(jpegOrientation(Buffer.from("\x89PNG\r\n\x1a\n", "latin1"))).toBe(1);
    const tagged = withExifOrientation(jpeg, 6);
    for (const cut of [3, 12, 20, 30]) expect(jpegOrientation(tagged.subarray(0, cut))).toBe(1);
    expect(jpegOrientation(withExifOrientation(jpeg, 42))).toBe(1);
    expect(jpegOrientation(new Uint8Array(0))).toBe(1);
  });
});
