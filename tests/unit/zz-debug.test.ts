import { test } from "vitest";
import { renderClip } from "@/lib/simulator/render";
test("dbg", async () => {
  await renderClip({ outDir: "/tmp/smoke/d1", width: 960, height: 960, durationSec: 2, prompt: "x", seed: 1234, cameraFixed: false, watermark: true, audio: true, lastFramePng: true });
});
