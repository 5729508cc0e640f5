/**
 * Simulator render of a 5 s 720p clip (renderClip, as a text-to-video task asks: captions,
 * camera move, no audio) against the same ffmpeg binary encoding a plain test pattern of the
 * same size, length and encoder settings. Alternating, median of each.
 */
import fs from "node:fs";
import path from "node:path";
import { runFfmpeg } from "@/lib/media/ffmpeg";
import { FPS } from "@/lib/seedance/models";
import { renderClip } from "@/lib/simulator/render";
import { outputSize } from "@/lib/simulator/size";
import { median, now, round, tempDir, type RowResult } from "../lib";

const REPEATS = 3;
const SECONDS = 5;

export default async function render(log: (line: string) => void): Promise<RowResult> {
  const [width, height] = outputSize({ resolution: "720p", ratio: "16:9" });
  const dir = tempDir("render");
  const ours = async (i: number) => {
    const start = now();
    await renderClip({
      outDir: path.join(dir, `ours-${i}`),
      width,
      height,
      durationSec: SECONDS,
      prompt: "A red fox trots through fresh snow at dawn, its breath visible in the cold air",
      seed: 1000 + i,
      cameraFixed: false,
      watermark: false,
      audio: false,
      lastFramePng: false,
    });
    return now() - start;
  };
  const plain = async (i: number) => {
    const start = now();
    await runFfmpeg(
      [
        "-y", "-f", "lavfi", "-i", `testsrc2=size=${width}x${height}:rate=${FPS}`, "-frames:v", String(SECONDS * FPS),
        // The renderer's encoder settings, so only the picture differs.
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-profile:v", "high", "-pix_fmt", "yuv420p", "-g", String(FPS * 2), "-threads", "2",
        "-movflags", "+faststart", "-f", "mp4", path.join(dir, `plain-${i}.mp4`),
      ],
      { timeoutMs: 300_000 },
    );
    return now() - start;
  };
  log(`warming up, then ${REPEATS} renders of each (${width}x${height}, ${SECONDS} s, ${FPS} fps), alternating…`);
  await plain(-1);
  const oursMs: number[] = [];
  const plainMs: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    if (i % 2) {
      oursMs.push(await ours(i));
      plainMs.push(await plain(i));
    } else {
      plainMs.push(await plain(i));
      oursMs.push(await ours(i));
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const ratio = median(oursMs) / median(plainMs);
  return {
    row: "render",
    title: "simulator render (5 s 720p)",
    baseline: `ffmpeg testsrc2 ${width}x${height} ${SECONDS} s: ${round(median(plainMs) / 1000, 2)} s`,
    measured: `${round(median(oursMs) / 1000, 2)} s`,
    ratio,
    target: "<= 2x",
    met: ratio <= 2,
    details: {
      how: "renderClip (captions, seeded colour field, camera move; no audio, no last-frame PNG) vs `ffmpeg -f lavfi -i testsrc2` with the same libx264 settings, same binary; medians of 3, alternating",
      width,
      height,
      seconds: SECONDS,
      oursMs: oursMs.map((v) => round(v, 0)),
      plainMs: plainMs.map((v) => round(v, 0)),
    },
  };
}
