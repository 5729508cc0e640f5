"use client";

import type { GenerationSpec } from "@/lib/seedance/schema";

/** Our stored input images (`/api/media/...`) become data URLs again, so a stored request can be re-sent. */
export async function requestWithDataUrls<T extends Partial<GenerationSpec>>(request: T): Promise<T> {
  const own = async (url: string | undefined) => {
    if (!url?.startsWith("/api/media/")) return url;
    const { dataUrlFromUrl } = await import("@/lib/images/prepare");
    return dataUrlFromUrl(url);
  };
  const [firstFrame, lastFrame] = await Promise.all([own(request.firstFrame), own(request.lastFrame)]);
  const { fps: _fps, ...rest } = request;
  void _fps;
  return { ...rest, firstFrame, lastFrame } as T;
}
