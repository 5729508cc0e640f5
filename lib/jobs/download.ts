import "server-only";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { GenerationRow } from "@/lib/db/schema";
import { releaseGeneration } from "@/lib/db/queries";
import { sniffImage } from "@/lib/media/image-check";
import { extractLastFrame, extractPoster, probeMedia } from "@/lib/media/probe";
import { guardedFetch } from "@/lib/security/url-guard";
import type { PipelineContext } from "./context";
import { updateGeneration } from "./transition";

const MAX_DOWNLOAD_ATTEMPTS = 8;
const DOWNLOAD_TIMEOUT_MS = 5 * 60_000;
const MAX_IMAGE_BYTES = 40 * 1024 * 1024;

export const clipKeys = (id: string) => ({
  prefix: `clips/${id}/`,
  video: `clips/${id}/video.mp4`,
  poster: `clips/${id}/poster.jpg`,
  lastFrame: `clips/${id}/last-frame.png`,
  upstreamLastFrame: `clips/${id}/last-frame-upstream`,
});

async function fetchInto(ctx: PipelineContext, url: string, key: string, maxBytes: number) {
  const policy = { trustedOrigins: ctx.config.trustedMediaOrigins, allowPrivate: ctx.config.allowPrivateMedia };
  const response = await guardedFetch(url, policy, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new Error(`Download answered HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    await response.body.cancel();
    throw new Error(`Download is ${declared} bytes, over the ${maxBytes} byte limit`);
  }
  return ctx.storage.put(key, Readable.fromWeb(response.body as unknown as WebReadableStream), { maxBytes });
}

/**
 * Copies a finished clip into our storage (streamed, capped, checked with ffprobe), writes a
 * poster and a last frame, and only then marks the generation succeeded. Failures retry with
 * backoff; after the last attempt the generation fails with the reason.
 */
export async function downloadResult(ctx: PipelineContext, row: GenerationRow): Promise<void> {
  const keys = clipKeys(row.id);
  const owner = ctx.config.instanceId;
  try {
    if (!row.upstreamVideoUrl) throw new Error("No video URL to download");
    const video = await fetchInto(ctx, row.upstreamVideoUrl, keys.video, ctx.config.maxClipBytes);
    const videoPath = ctx.storage.localPath(keys.video);
    const media = await probeMedia(videoPath).catch(() => null);
    if (!media || !media.width || !media.height) throw new Error("The downloaded file is not a playable video");
    await extractPoster(videoPath, ctx.storage.localPath(keys.poster));

    let lastFrameKey = keys.lastFrame;
    if (row.upstreamLastFrameUrl) {
      const stored = await fetchInto(ctx, row.upstreamLastFrameUrl, keys.upstreamLastFrame, MAX_IMAGE_BYTES).catch(() => null);
      const head = stored ? await readHead(ctx, keys.upstreamLastFrame) : null;
      const kind = head ? sniffImage(head) : null;
      if (kind) {
        lastFrameKey = `clips/${row.id}/last-frame-upstream.${kind.ext}`;
        await ctx.storage.put(lastFrameKey, ctx.storage.read(keys.upstreamLastFrame));
      }
      await ctx.storage.delete(keys.upstreamLastFrame);
    }
    if (lastFrameKey === keys.lastFrame) await extractLastFrame(videoPath, ctx.storage.localPath(keys.lastFrame));

    await updateGeneration(ctx, {
      id: row.id,
      to: "succeeded",
      patch: {
        videoKey: keys.video,
        videoBytes: video.bytes,
        videoSha256: video.sha256,
        width: media.width,
        height: media.height,
        durationSec: media.durationSec,
        fps: media.fps,
        hasAudio: media.hasAudio,
        posterKey: keys.poster,
        lastFrameKey,
        errorCode: null,
        errorMessage: null,
        leaseOwner: null,
        leaseUntil: null,
      },
    });
  } catch (error) {
    const attempts = row.downloadAttempts + 1;
    const reason = error instanceof Error ? error.message : String(error);
    if (attempts >= MAX_DOWNLOAD_ATTEMPTS) {
      await ctx.storage.deletePrefix(keys.prefix).catch(() => undefined);
      await updateGeneration(ctx, {
        id: row.id,
        to: "failed",
        patch: {
          downloadAttempts: attempts,
          errorCode: "download_failed",
          errorMessage: `The clip was made but could not be copied into storage (${reason}). Retry to generate it again.`,
          leaseOwner: null,
          leaseUntil: null,
        },
      });
      return;
    }
    const delay = Math.min(2 ** attempts * 1000, 5 * 60_000);
    await releaseGeneration({
      db: ctx.db,
      id: row.id,
      owner,
      patch: { downloadAttempts: attempts, nextCheckAt: new Date(Date.now() + delay) },
    });
  }
}

async function readHead(ctx: PipelineContext, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.storage.read(key, { start: 0, end: 15 })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
