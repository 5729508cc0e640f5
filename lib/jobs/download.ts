import "server-only";
import { coded, type Coded } from "@/lib/errors/codes";
import { errorColumns, NO_ERROR } from "./error-columns";
import { Readable, Transform, pipeline } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { GenerationRow } from "@/lib/db/schema";
import { releaseGeneration } from "@/lib/db/generations";
import { log } from "@/lib/log";
import { sniffImage } from "@/lib/media/image-check";
import { extractLastFrame, extractPoster, probeMedia } from "@/lib/media/probe";
import { guardedFetch } from "@/lib/security/url-guard";
import { formatBytes, isStorageFull, StorageLimitError } from "@/lib/storage";
import { putMadeFile, withTempDir } from "@/lib/storage/spool";
import { playableMp4Copy } from "@/lib/media/transcode";
import type { AppContext } from "@/lib/context";
import { whileHoldingLease } from "./lease";
import { clipKeys } from "@/lib/storage/keys";
import { updateGeneration } from "./transition";

const MAX_DOWNLOAD_ATTEMPTS = 8;
/** The whole copy of one file, however steadily it arrives. */
const DOWNLOAD_TIMEOUT_MS = 5 * 60_000;
/** The lease a download holds (as the worker claims it), renewed while it runs. */
const DOWNLOAD_LEASE_MS = 120_000;
/** No headers, or no byte of the body, for this long: the download has stalled. */
export const DOWNLOAD_IDLE_MS = 30_000;
/** While the disk is full, a finished clip waits this long between tries, without using up its attempts. */
const STORAGE_FULL_RETRY_MS = 5 * 60_000;
const MAX_IMAGE_BYTES = 40 * 1024 * 1024;

/** What a clip waiting for disk space shows (its upstream file is kept, so nothing is lost yet). */


/** A failure another attempt cannot change (the file is too large, or not a video): the clip fails at once. */

/**
 * Streams one URL into storage through the URL guard. Stalls end the attempt: no headers or no
 * body bytes for `idleMs` aborts the request (and with it the write).
 */
async function fetchInto(ctx: AppContext, url: string, key: string, maxBytes: number) {
  const policy = { trustedOrigins: ctx.config.trustedMediaOrigins, allowPrivate: ctx.config.allowPrivateMedia };
  const idleMs = ctx.config.downloadIdleMs ?? DOWNLOAD_IDLE_MS;
  const stall = new AbortController();
  let idle: NodeJS.Timeout | undefined;
  const touch = () => {
    clearTimeout(idle);
    idle = setTimeout(() => stall.abort(new Error(`the download stalled: nothing arrived for ${Math.round(idleMs / 1000)} s`)), idleMs);
  };
  try {
    touch();
    const response = await guardedFetch(url, policy, { signal: AbortSignal.any([stall.signal, AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS)]) });
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new Error(`the download answered HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get("content-length") ?? "0");
    if (declared > maxBytes) {
      await response.body.cancel();
      throw new PermanentDownloadError(`the file is ${formatBytes(declared)}, over the ${formatBytes(maxBytes)} limit`, { limit: formatBytes(maxBytes) });
    }
    const progress = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        touch();
        done(null, chunk);
      },
    });
    const body = pipeline(Readable.fromWeb(response.body as unknown as WebReadableStream), progress, () => undefined);
    return await ctx.storage.put(key, body, { maxBytes });
  } catch (error) {
    if (stall.signal.aborted) throw stall.signal.reason;
    if (error instanceof StorageLimitError) throw new PermanentDownloadError(`the file is over the ${formatBytes(maxBytes)} limit`, { limit: formatBytes(maxBytes) });
    throw error;
  } finally {
    clearTimeout(idle);
  }
}

/** The host alone, for logs: a clip URL's query may carry a signature. */
function hostOf(url: string | null): string | undefined {
  try {
    return url ? new URL(url).host : undefined;
  } catch {
    return undefined;
  }
}

/** Why a download failed, as the catalogue's `download_failed` names it (never a path or an address). */
type DownloadReason = "timeout" | "not_video" | "network" | "other";

class PermanentDownloadError extends Error {
  constructor(
    message: string,
    readonly reason: DownloadReason | { limit: string },
  ) {
    super(message);
  }
}

/** The row's error for a download that will not be tried again. */
function downloadFailure(error: unknown): Coded {
  if (error instanceof PermanentDownloadError && typeof error.reason === "object") return coded("download_failed", { reason: "too_large", ...error.reason });
  return coded("download_failed", { reason: reasonKeyOf(error), limit: "" });
}

function reasonKeyOf(error: unknown): DownloadReason {
  if (error instanceof PermanentDownloadError && typeof error.reason === "string") return error.reason;
  const name = (error as { name?: unknown } | null)?.name;
  if (name === "TimeoutError" || name === "AbortError") return "timeout";
  if (error instanceof TypeError) return "network";
  return "other";
}

/** A reason fit for the logs: no addresses, no URLs (they may carry signatures). */
function reasonOf(error: unknown): string {
  // Only our own signals abort a download, and a stall has its own reason: this is the overall limit.
  const name = (error as { name?: unknown } | null)?.name;
  if (name === "TimeoutError" || name === "AbortError") return "the download took too long";
  const cause = error instanceof TypeError ? (error.cause as NodeJS.ErrnoException | undefined) : undefined;
  if (cause?.code) return `the download failed (${cause.code})`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Copies a finished clip into our storage (streamed, capped, checked with ffprobe), writes a
 * poster and a last frame, and only then marks the generation succeeded. Passing failures retry
 * with backoff and fail after the last attempt; a file that is too large or not a video fails at
 * once; a full disk waits for space without using up attempts. Every attempt is logged.
 */
export async function downloadResult(ctx: AppContext, row: GenerationRow): Promise<void> {
  // A download may take minutes (DOWNLOAD_TIMEOUT_MS), longer than the worker's lease: it is
  // renewed meanwhile, so another instance never copies the same clip beside this one.
  await whileHoldingLease(ctx, row.id, DOWNLOAD_LEASE_MS, () => copyResult(ctx, row));
}

async function copyResult(ctx: AppContext, row: GenerationRow): Promise<void> {
  const keys = clipKeys(row.id);
  const owner = ctx.config.instanceId;
  const attempt = row.downloadAttempts + 1;
  const started = Date.now();
  const host = hostOf(row.upstreamVideoUrl);
  try {
    if (!row.upstreamVideoUrl) throw new PermanentDownloadError("no video URL to download", "other");
    // A mov (2.5's output_format, decision 6) is kept as it came; the player gets an MP4 copy of it.
    const mov = row.request.output_format === "mov";
    const fetched = await fetchInto(ctx, row.upstreamVideoUrl, mov ? keys.original : keys.video, ctx.config.maxClipBytes);
    const video = mov
      ? await ctx.storage.withLocalFile(keys.original, (original) =>
          withTempDir("seedance-mov-", (dir) => putMadeFile(ctx.storage, keys.video, dir, (out) => playableMp4Copy(original, out))),
        )
      : fetched;
    // ffprobe and ffmpeg read a local file (the stored one on disk, a spooled copy from a bucket);
    // the frames they write go to the store from a temporary folder.
    const { media, lastFrameKey } = await ctx.storage.withLocalFile(keys.video, (videoPath) =>
      withTempDir(`seedance-frames-${process.pid}-`, async (dir) => {
        const media = await probeMedia(videoPath).catch(() => null);
        if (!media || !media.width || !media.height) throw new PermanentDownloadError("the downloaded file is not a playable video", "not_video");
        await putMadeFile(ctx.storage, keys.poster, dir, (out) => extractPoster(videoPath, out));

        let lastFrameKey = keys.lastFrame;
        if (row.upstreamLastFrameUrl) {
          // The upstream's last frame is a nicety (we can extract our own), unless the disk is full.
          const stored = await fetchInto(ctx, row.upstreamLastFrameUrl, keys.upstreamLastFrame, MAX_IMAGE_BYTES).catch((error: unknown) => {
            if (isStorageFull(error)) throw error;
            return null;
          });
          const head = stored ? await readHead(ctx, keys.upstreamLastFrame) : null;
          const kind = head ? sniffImage(head) : null;
          if (kind) {
            lastFrameKey = keys.upstreamLastFrameAs(kind.ext);
            await ctx.storage.put(lastFrameKey, ctx.storage.read(keys.upstreamLastFrame));
          }
          await ctx.storage.delete(keys.upstreamLastFrame);
        }
        if (lastFrameKey === keys.lastFrame) await putMadeFile(ctx.storage, keys.lastFrame, dir, (out) => extractLastFrame(videoPath, out));
        return { media, lastFrameKey };
      }),
    );

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
        ...NO_ERROR,
        leaseOwner: null,
        leaseUntil: null,
      },
    });
    log().info({ id: row.id, attempt, host, ms: Date.now() - started, bytes: video.bytes, outcome: "stored" }, "clip download");
  } catch (error) {
    // Nothing half-copied stays behind (a full disk needs the space most).
    await ctx.storage.deletePrefix(keys.prefix).catch(() => undefined);
    const reason = reasonOf(error);
    const ms = Date.now() - started;
    if (isStorageFull(error)) {
      log().warn({ id: row.id, attempt, host, ms, outcome: "storage_full" }, "clip download");
      await updateGeneration(ctx, {
        id: row.id,
        patch: {
          ...errorColumns(coded("storage_full_clip")),
          nextCheckAt: new Date(Date.now() + STORAGE_FULL_RETRY_MS),
          leaseOwner: null,
          leaseUntil: null,
        },
      });
      return;
    }
    if (error instanceof PermanentDownloadError || attempt >= MAX_DOWNLOAD_ATTEMPTS) {
      log().warn({ id: row.id, attempt, host, ms, reason, outcome: "failed" }, "clip download");
      await updateGeneration(ctx, {
        id: row.id,
        to: "failed",
        patch: {
          downloadAttempts: attempt,
          ...errorColumns(downloadFailure(error)),
          leaseOwner: null,
          leaseUntil: null,
        },
      });
      return;
    }
    const delay = Math.min(2 ** attempt * 1000, 5 * 60_000);
    log().warn({ id: row.id, attempt, host, ms, reason, retryInMs: delay, outcome: "retry" }, "clip download");
    const patch = { downloadAttempts: attempt, nextCheckAt: new Date(Date.now() + delay) };
    if (row.errorCode) {
      // A clip that waited for disk space no longer does: say so to whoever is watching.
      await updateGeneration(ctx, { id: row.id, patch: { ...patch, ...NO_ERROR, leaseOwner: null, leaseUntil: null } });
    } else {
      await releaseGeneration({ db: ctx.db, id: row.id, owner, patch });
    }
  }
}

async function readHead(ctx: AppContext, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.storage.read(key, { start: 0, end: 15 })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
