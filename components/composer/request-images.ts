"use client";

import type { GenerationSpec } from "@/lib/seedance/schema";

type ImageField = "firstFrame" | "lastFrame";

/**
 * Our stored input images (`/api/media/...`) become data URLs again, so a stored request can be
 * re-sent. An image that cannot be loaded is left out and named in `missing`, so the rest of the
 * request still reaches the form.
 */
export async function requestWithDataUrls<T extends Partial<GenerationSpec>>(request: T): Promise<{ request: T; missing: ImageField[] }> {
  const missing: ImageField[] = [];
  const own = async (field: ImageField) => {
    const url = request[field];
    if (!url?.startsWith("/api/media/")) return url;
    try {
      const { dataUrlFromUrl } = await import("@/lib/images/prepare");
      return await dataUrlFromUrl(url);
    } catch {
      missing.push(field);
      return undefined;
    }
  };
  const [firstFrame, lastFrame] = await Promise.all([own("firstFrame"), own("lastFrame")]);
  const { fps: _fps, ...rest } = request;
  void _fps;
  return { request: { ...rest, firstFrame, lastFrame } as T, missing };
}
