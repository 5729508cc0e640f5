import path from "node:path";
import { pathToFileURL } from "node:url";
import type { NextConfig } from "next";
import { describe, expect, it } from "vitest";
import { TARGET_MAX_BYTES } from "@/lib/images/prepare";

/** Next buffers a copy of each request body the proxy sees, up to this size, and cuts the rest. */
const PROXY_CLONE_DEFAULT = 10 * 1024 * 1024;

async function nextConfig(): Promise<NextConfig> {
  // By path: the config is plain JavaScript that TypeScript does not type.
  const { default: config } = (await import(pathToFileURL(path.resolve("next.config.mjs")).href)) as { default: NextConfig };
  return config;
}

describe("request body limits", () => {
  it("a server action carries the form's two largest prepared frames, and the proxy passes it whole", async () => {
    const config = await nextConfig();
    const limit = config.experimental?.serverActions?.bodySizeLimit;
    if (typeof limit !== "number") throw new Error(`serverActions.bodySizeLimit is ${String(limit)}: a number of bytes was expected`);
    const dataUrl = "data:image/jpeg;base64,".length + Math.ceil(TARGET_MAX_BYTES / 3) * 4;
    // Two frames, the prompt (at most a few KB) and the action's own encoding.
    expect(limit).toBeGreaterThanOrEqual(2 * dataUrl + 64 * 1024);
    const proxyLimit = config.experimental?.proxyClientMaxBodySize ?? PROXY_CLONE_DEFAULT;
    if (typeof proxyLimit !== "number") throw new Error(`proxyClientMaxBodySize is ${proxyLimit}: a number of bytes was expected`);
    expect(limit).toBeLessThanOrEqual(proxyLimit);
  });
});
