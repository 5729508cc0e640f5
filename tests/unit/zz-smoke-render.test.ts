import { test } from "vitest";
import { renderClip } from "@/lib/simulator/render";

test("smoke", async () => {
  const t = Date.now();
  await renderClip({ outDir: "/tmp/smoke/a", width: 1248, height: 704, durationSec: 5, prompt: 'A cat: "hello" 100% \\ back\nline 2', seed: 42, cameraFixed: false, watermark: true, audio: true, lastFramePng: true });
  console.log("720p5s", Date.now() - t);
}, 60000);
