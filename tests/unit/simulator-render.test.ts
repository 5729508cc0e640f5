import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FfmpegError, filterValue, runFfmpeg } from "@/lib/media/ffmpeg";
import { extractLastFrame, extractPoster, imageSize, probeMedia } from "@/lib/media/probe";
import { OUTPUT_SIZES } from "@/lib/seedance/models";
import { captionLines, renderClip, type RenderOptions } from "@/lib/simulator/render";
import { outputSize } from "@/lib/simulator/size";

const FRAME = 1 / 24;
let root: string;
let n = 0;
const dir = (name: string) => path.join(root, `${++n}-${name}`);

const sha256 = async (file: string) => createHash("sha256").update(await fs.readFile(file)).digest("hex");

async function exists(file: string) {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

/** The RGB of the pixel at (x, y) of an image or of a video's first frame. */
async function pixel(file: string, x: number, y: number): Promise<[number, number, number]> {
  const out = path.join(root, `px-${++n}.rgb`);
  await runFfmpeg(["-y", "-i", file, "-frames:v", "1", "-vf", `format=rgb24,crop=1:1:${x}:${y}`, "-f", "rawvideo", out]);
  const bytes = await fs.readFile(out);
  return [bytes[0]!, bytes[1]!, bytes[2]!];
}

function base(overrides: Partial<RenderOptions>): RenderOptions {
  return {
    outDir: dir("clip"),
    width: 864,
    height: 480,
    durationSec: 2,
    prompt: "A red fox trotting through fresh snow at dawn",
    seed: 1234,
    cameraFixed: false,
    watermark: false,
    audio: false,
    lastFramePng: false,
    ...overrides,
  };
}

let portraitBlue: string;
let landscapeOrange: string;
let transparentPng: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "sim-render-test-"));
  portraitBlue = path.join(root, "portrait-blue.png");
  landscapeOrange = path.join(root, "landscape-orange.jpg");
  transparentPng = path.join(root, "transparent.png");
  await Promise.all([
    runFfmpeg(["-y", "-f", "lavfi", "-i", "color=c=0x2040e0:s=600x1000", "-frames:v", "1", portraitBlue]),
    runFfmpeg(["-y", "-f", "lavfi", "-i", "color=c=0xff8800:s=1280x720", "-frames:v", "1", "-q:v", "2", landscapeOrange]),
    runFfmpeg(["-y", "-f", "lavfi", "-i", "testsrc=s=800x600,format=rgba,colorchannelmixer=aa=0.3", "-frames:v", "1", transparentPng]),
  ]);
});

afterAll(async () => {
  if (root) await fs.rm(root, { recursive: true, force: true });
});

describe("outputSize", () => {
  test("fixed ratios come from the table", () => {
    expect(outputSize({ resolution: "480p", ratio: "16:9" })).toEqual([864, 480]);
    expect(outputSize({ resolution: "720p", ratio: "21:9" })).toEqual([1504, 640]);
    expect(outputSize({ resolution: "1080p", ratio: "9:16", firstFrameSize: { width: 4000, height: 1000 } })).toEqual([1088, 1920]);
  });
  test("adaptive follows the first frame, 16:9 without one", () => {
    expect(outputSize({ resolution: "480p", ratio: "adaptive", firstFrameSize: { width: 600, height: 1000 } })).toEqual([480, 864]);
    expect(outputSize({ resolution: "720p", ratio: "adaptive", firstFrameSize: { width: 1000, height: 1000 } })).toEqual([960, 960]);
    expect(outputSize({ resolution: "720p", ratio: "adaptive", firstFrameSize: { width: 1200, height: 900 } })).toEqual([1120, 832]);
    expect(outputSize({ resolution: "720p", ratio: "adaptive" })).toEqual([1248, 704]);
  });
  test("defaults: the model's resolution; adaptive with an image, else 16:9", () => {
    expect(outputSize({ defaultResolution: "1080p" })).toEqual([1920, 1088]);
    expect(outputSize({ resolution: "480p", defaultResolution: "1080p" })).toEqual([864, 480]);
    expect(outputSize({ defaultResolution: "480p", firstFrameSize: { width: 700, height: 1000 } })).toEqual([544, 736]);
  });
});

describe("captionLines", () => {
  test("wraps words, cuts with an ellipsis, drops emoji and control characters", () => {
    const lines = captionLines("one two three four five six seven eight nine ten eleven twelve", 14, 3);
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => Array.from(l).length <= 14)).toBe(true);
    expect(lines[2]!.endsWith("…")).toBe(true);
    expect(captionLines("cat 🐱 and 👨‍👩‍👧 family\u0007\r\nnext", 40, 3)).toEqual(["cat and family", "next"]);
    expect(captionLines("a".repeat(30), 10, 5)).toEqual(["a".repeat(10), "a".repeat(10), "a".repeat(10)]);
    expect(captionLines("  \n\n ", 10, 3)).toEqual([]);
  });
  test("characters the font lacks become ?", () => {
    expect(captionLines("fox 狐狸", 20, 2, new Set(Array.from("fox", (c) => c.codePointAt(0)!)))).toEqual(["fox ??"]);
  });
  test("Hangul takes two cells when wrapping", () => {
    // 12 cells: "여우가 눈밭을" is 13 cells though only 7 characters.
    expect(captionLines("여우가 눈밭을 달린다 새벽에", 12, 3)).toEqual(["여우가", "눈밭을", "달린다…"]);
    expect(captionLines("fox 여우", 12, 1)).toEqual(["fox 여우"]);
    expect(captionLines("가나다라마바사아자차카타", 12, 2)).toEqual(["가나다라마바", "사아자차카타"]);
  });
});

describe("renderClip", () => {
  test("480p 16:9, 2 s, seeded background with a camera move", async () => {
    const opts = base({});
    const result = await renderClip(opts);
    expect(result.videoPath).toBe(path.join(opts.outDir, "video.mp4"));
    expect(result.lastFramePath).toBeUndefined();
    const info = await probeMedia(result.videoPath);
    expect([info.width, info.height]).toEqual([...OUTPUT_SIZES["16:9"]["480p"]]);
    expect(info.fps).toBe(24);
    expect(info.frames).toBe(48);
    expect(Math.abs(info.durationSec - 2)).toBeLessThanOrEqual(FRAME);
    expect(info.hasAudio).toBe(false);
    expect(info.videoCodec).toBe("h264");
    expect(info.formatName).toContain("mp4");
    // Only the outputs are left behind.
    expect((await fs.readdir(opts.outDir)).sort()).toEqual(["video.mp4"]);
  });

  test("480p 9:16 from a frame count (33 frames), fixed camera, watermark", async () => {
    const result = await renderClip(base({ width: 480, height: 864, durationSec: 33 / 24, cameraFixed: true, watermark: true }));
    const info = await probeMedia(result.videoPath);
    expect([info.width, info.height]).toEqual([480, 864]);
    expect(info.frames).toBe(33);
    expect(Math.abs(info.durationSec - 33 / 24)).toBeLessThanOrEqual(FRAME);
    expect(info.fps).toBe(24);
  });

  test("720p 1:1 with audio and a last-frame PNG", async () => {
    const [width, height] = OUTPUT_SIZES["1:1"]["720p"];
    const result = await renderClip(base({ width, height, audio: true, lastFramePng: true, watermark: true }));
    const info = await probeMedia(result.videoPath);
    expect([info.width, info.height]).toEqual([960, 960]);
    expect(info.hasAudio).toBe(true);
    expect(Math.abs(info.durationSec - 2)).toBeLessThanOrEqual(FRAME);
    expect(result.lastFramePath).toBeDefined();
    expect(await imageSize(result.lastFramePath!)).toEqual({ width: 960, height: 960 });
    expect((await fs.readFile(result.lastFramePath!)).subarray(1, 4).toString("latin1")).toBe("PNG");
  });

  test("adaptive from a portrait first frame, crossfading into a landscape last frame", async () => {
    const first = await imageSize(portraitBlue);
    const [width, height] = outputSize({ resolution: "480p", ratio: "adaptive", firstFrameSize: first });
    expect([width, height]).toEqual([480, 864]);
    const result = await renderClip(
      base({ width, height, firstFramePath: portraitBlue, lastFramePath: landscapeOrange, lastFramePng: true, audio: true }),
    );
    const info = await probeMedia(result.videoPath);
    expect([info.width, info.height]).toEqual([480, 864]);
    expect(info.frames).toBe(48);
    // Starts on the first image, ends on the last one (sampled above the captions).
    const [r0, , b0] = await pixel(result.videoPath, 240, 300);
    expect(b0).toBeGreaterThan(180);
    expect(r0).toBeLessThan(80);
    const [r1, g1, b1] = await pixel(result.lastFramePath!, 240, 300);
    expect(r1).toBeGreaterThan(230);
    expect(g1).toBeGreaterThan(110);
    expect(g1).toBeLessThan(160);
    expect(b1).toBeLessThan(40);
  });

  test("a first frame with transparency, and only a last frame, render", async () => {
    const a = await renderClip(base({ firstFramePath: transparentPng, cameraFixed: true }));
    expect((await probeMedia(a.videoPath)).width).toBe(864);
    const b = await renderClip(base({ lastFramePath: transparentPng, width: 640, height: 640 }));
    expect((await probeMedia(b.videoPath)).height).toBe(640);
  });

  test("hostile prompts and an outDir with special characters render", async () => {
    const hostile = [
      `He said "don't" — it's 100% 'fine': C:\\path\\to\\file; [a], {b} %{localtime} %% \\n \\\\ \n second line\r\nthird 🎬🦊👍🏽 ✨ 狐狸 \u0000 end`,
      "",
      "x".repeat(1000),
      "%{pts} %{eif:1:d} \\ ' : , ; [ ]",
    ];
    const outDir = path.join(root, "out dir 'q' %d : [x], y; z");
    for (const [i, prompt] of hostile.entries()) {
      const result = await renderClip(base({ outDir: path.join(outDir, String(i)), prompt, durationSec: 1, watermark: true, lastFramePng: i === 0 }));
      expect((await probeMedia(result.videoPath)).frames).toBe(24);
    }
  });

  test("same inputs and seed give identical bytes; another seed does not", async () => {
    const common = { width: 640, height: 640, durationSec: 1.5, audio: true, lastFramePng: true, watermark: true };
    const a = await renderClip(base({ ...common, outDir: dir("det-a") }));
    const b = await renderClip(base({ ...common, outDir: dir("det-b") }));
    const c = await renderClip(base({ ...common, outDir: dir("det-c"), seed: 1235 }));
    expect(await sha256(a.videoPath)).toBe(await sha256(b.videoPath));
    expect(await sha256(a.lastFramePath!)).toBe(await sha256(b.lastFramePath!));
    expect(await sha256(a.videoPath)).not.toBe(await sha256(c.videoPath));

    const images = { firstFramePath: portraitBlue, lastFramePath: landscapeOrange, width: 480, height: 864, durationSec: 1 };
    const d = await renderClip(base({ ...images, outDir: dir("det-d") }));
    const e = await renderClip(base({ ...images, outDir: dir("det-e") }));
    expect(await sha256(d.videoPath)).toBe(await sha256(e.videoPath));
  });

  test("a Korean prompt is drawn in Hangul, not as question marks", async () => {
    const common = { width: 640, height: 640, durationSec: 0.5, lastFramePng: true };
    const korean = await renderClip(base({ ...common, outDir: dir("ko"), prompt: "여우가 눈밭을 달린다" }));
    const marks = await renderClip(base({ ...common, outDir: dir("ko-marks"), prompt: "??? ??? ???" }));
    const again = await renderClip(base({ ...common, outDir: dir("ko-again"), prompt: "여우가 눈밭을 달린다" }));
    expect(await sha256(korean.lastFramePath!)).not.toBe(await sha256(marks.lastFramePath!));
    expect(await sha256(korean.lastFramePath!)).toBe(await sha256(again.lastFramePath!));
  });

  test("the camera moves unless fixed", async () => {
    const moving = await renderClip(base({ firstFramePath: transparentPng, durationSec: 1 }));
    const fixed = await renderClip(base({ firstFramePath: transparentPng, durationSec: 1, cameraFixed: true }));
    const firstAndLast = async (video: string) => {
      const out = path.join(root, `fl-${++n}.png`);
      await extractLastFrame(video, out);
      return [await pixel(video, 100, 100), await pixel(out, 100, 100)];
    };
    const [m0, m1] = await firstAndLast(moving.videoPath);
    const [f0, f1] = await firstAndLast(fixed.videoPath);
    const diff = (p: number[], q: number[]) => p.reduce((s, v, i) => s + Math.abs(v - q[i]!), 0);
    expect(diff(f0!, f1!)).toBeLessThan(12);
    expect(diff(m0!, m1!)).toBeGreaterThan(12);
  });
});

describe("probe helpers", () => {
  test("poster, last frame, image size, and errors", async () => {
    const clip = await renderClip(base({ width: 544, height: 736, durationSec: 1.5 }));
    const poster = path.join(root, "posters", "poster 100%d.jpg");
    await extractPoster(clip.videoPath, poster);
    expect(await imageSize(poster)).toEqual({ width: 544, height: 736 });
    expect((await fs.readFile(poster)).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    const last = path.join(root, "last.png");
    await extractLastFrame(clip.videoPath, last);
    expect(await imageSize(last)).toEqual({ width: 544, height: 736 });
    expect(await exists(last)).toBe(true);
    expect((await fs.readdir(path.dirname(poster))).filter((f) => f.includes(".tmp"))).toEqual([]);

    const notMedia = path.join(root, "not-media.txt");
    await fs.writeFile(notMedia, "hello");
    await expect(probeMedia(notMedia)).rejects.toThrow();
    await expect(imageSize(path.join(root, "missing.png"))).rejects.toBeInstanceOf(FfmpegError);
  });
});

describe("ffmpeg runner", () => {
  test("filterValue escapes paths for a filtergraph", async () => {
    const weird = path.join(root, "fo'nt: [dir], x; y\\z");
    await fs.mkdir(weird, { recursive: true });
    const font = path.join(weird, "Geist.ttf");
    await fs.copyFile(path.resolve("node_modules/geist/dist/fonts/geist-sans/Geist-Regular.ttf"), font);
    const text = path.join(weird, "t'x:t.txt");
    await fs.writeFile(text, "ok");
    await runFfmpeg([
      "-y", "-f", "lavfi", "-i", "color=s=64x64", "-frames:v", "1",
      "-vf", `drawtext=fontfile=${filterValue(font)}:textfile=${filterValue(text)}`,
      "-f", "null", "-",
    ]);
  });

  test("timeouts and aborts kill the process", async () => {
    const endless = ["-f", "lavfi", "-i", "nullsrc=s=64x64", "-f", "null", "-"];
    const started = Date.now();
    // The reason and ffmpeg's own words are kept for logs; the error's message is the coded
    // "media_failed" text, with no paths in it.
    await expect(runFfmpeg(endless, { timeoutMs: 300 })).rejects.toMatchObject({ code: "media_failed", reason: expect.stringMatching(/timed out/) });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    await expect(runFfmpeg(endless, { signal: controller.signal })).rejects.toMatchObject({ reason: expect.stringMatching(/aborted/) });
    expect(Date.now() - started).toBeLessThan(5000);
    const missing = runFfmpeg(["-i", path.join(root, "nope.mp4"), "-f", "null", "-"]);
    await expect(missing).rejects.toMatchObject({ code: "media_failed", stderrTail: expect.stringMatching(/nope\.mp4/) });
    await expect(missing).rejects.not.toThrow(/nope\.mp4/);
  });
});
