import "server-only";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { runFfmpeg, runFfprobe, type RunOptions } from "@/lib/media/ffmpeg";

export interface MediaInfo {
  /** Display size: swapped when the stream carries a ±90° rotation. */
  width: number;
  height: number;
  durationSec: number;
  fps: number;
  /** Frame count from the container, when it records one. */
  frames: number | null;
  hasAudio: boolean;
  videoCodec: string;
  /** ffprobe's format name, e.g. "mov,mp4,m4a,3gp,3g2,mj2". */
  formatName: string;
}

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  nb_frames?: string;
  duration?: string;
  tags?: Record<string, string>;
  side_data_list?: { side_data_type?: string; rotation?: number }[];
  disposition?: { attached_pic?: number };
}

interface ProbeOutput {
  streams?: ProbeStream[];
  format?: { format_name?: string; duration?: string };
}

/** Absolute paths only: a relative "name:with:colon" would be read as a protocol. */
const abs = (p: string) => path.resolve(p);

/**
 * ffmpeg reads an image path containing "%d" as a numbered sequence (image2 demuxer).
 * Such inputs are opened through a plainly named symlink instead.
 */
async function withSafeInput<T>(filePath: string, run: (safePath: string) => Promise<T>): Promise<T> {
  const full = abs(filePath);
  if (!full.includes("%")) return run(full);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "media-input-"));
  try {
    const link = path.join(dir, "input");
    await fs.symlink(full, link);
    return await run(link);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function ffprobeJson(filePath: string, opts?: RunOptions): Promise<ProbeOutput> {
  const { stdout } = await withSafeInput(filePath, (input) =>
    runFfprobe(["-print_format", "json", "-show_format", "-show_streams", input], opts),
  );
  try {
    return JSON.parse(stdout) as ProbeOutput;
  } catch {
    throw new Error(`ffprobe returned unreadable output for ${filePath}`);
  }
}

function parseRate(rate: string | undefined): number {
  if (!rate) return 0;
  const [num, den] = rate.split("/").map(Number);
  if (!num || !Number.isFinite(num)) return 0;
  const value = den ? num / den : num;
  return Number.isFinite(value) ? value : 0;
}

function positive(value: string | undefined): number | null {
  const n = value === undefined ? NaN : Number(value);
  return Number.isFinite(n) && n > 0 ? n : null;
}

function rotation(stream: ProbeStream): number {
  const fromSideData = stream.side_data_list?.find((s) => typeof s.rotation === "number")?.rotation;
  const fromTag = stream.tags?.rotate !== undefined ? Number(stream.tags.rotate) : undefined;
  return fromSideData ?? (Number.isFinite(fromTag) ? fromTag! : 0);
}

export async function probeMedia(filePath: string, opts?: RunOptions): Promise<MediaInfo> {
  const out = await ffprobeJson(filePath, opts);
  const streams = out.streams ?? [];
  const video = streams.find((s) => s.codec_type === "video" && !s.disposition?.attached_pic) ?? streams.find((s) => s.codec_type === "video");
  if (!video || !video.width || !video.height) throw new Error(`No video stream in ${path.basename(filePath)}`);
  const quarterTurn = Math.abs(rotation(video)) % 180 === 90;
  const fps = parseRate(video.avg_frame_rate) || parseRate(video.r_frame_rate);
  const frames = positive(video.nb_frames);
  const durationSec = positive(video.duration) ?? positive(out.format?.duration) ?? (frames && fps ? frames / fps : 0);
  return {
    width: quarterTurn ? video.height : video.width,
    height: quarterTurn ? video.width : video.height,
    durationSec,
    fps: Math.round(fps * 1000) / 1000,
    frames: frames === null ? null : Math.round(frames),
    hasAudio: streams.some((s) => s.codec_type === "audio"),
    videoCodec: video.codec_name ?? "unknown",
    formatName: out.format?.format_name ?? "unknown",
  };
}

/**
 * Pixel size of an image (any format ffmpeg decodes), once the whole image has decoded: ffprobe
 * reads only the header, and a file cut short (a failed upload, or one made to look large)
 * still reports its full size there. Throws for an image that does not decode to the end.
 */
export async function imageSize(filePath: string, opts?: RunOptions): Promise<{ width: number; height: number }> {
  const out = await ffprobeJson(filePath, opts);
  const video = out.streams?.find((s) => s.codec_type === "video" && s.width && s.height);
  if (!video?.width || !video.height) throw new Error(`Not a readable image: ${path.basename(filePath)}`);
  await decodeWhole(filePath, opts);
  return { width: video.width, height: video.height };
}

/**
 * Decodes the first frame to nothing. A truncated PNG or WebP makes ffmpeg fail; a truncated
 * JPEG decodes with an error line ("overread") and exit code 0, so any error line counts.
 * (`-err_detect explode` would also refuse TIFF tags ffmpeg merely does not know.)
 */
async function decodeWhole(filePath: string, opts?: RunOptions): Promise<void> {
  const { stderrTail } = await withSafeInput(filePath, (input) => runFfmpeg(["-i", input, "-map", "0:v:0", "-frames:v", "1", "-f", "null", "-"], opts));
  if (stderrTail) throw new Error(`The image does not decode to the end: ${stderrTail.split("\n")[0]}`);
}

/** Writes one image to a temp name next to the target, then renames: readers never see a partial file. */
async function writeImage(outPath: string, build: (tmp: string) => string[], opts?: RunOptions): Promise<void> {
  const target = abs(outPath);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const ext = path.extname(target) || ".img";
  const tmp = path.join(path.dirname(target), `.${path.basename(target, ext)}.${process.pid}.${Date.now()}.tmp${ext}`);
  try {
    await runFfmpeg(build(tmp), opts);
    const stat = await fs.stat(tmp).catch(() => null);
    if (!stat || stat.size === 0) throw new Error(`ffmpeg produced no image for ${path.basename(outPath)}`);
    await fs.rename(tmp, target);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/**
 * A JPEG poster: the frame at 1 s, or the middle frame of clips shorter than 2 s.
 * `-update 1` makes the image muxer take the name literally (no %d patterns).
 */
export async function extractPoster(videoPath: string, outJpegPath: string, opts?: RunOptions): Promise<void> {
  const info = await probeMedia(videoPath, opts);
  const at = info.durationSec >= 2 ? 1 : Math.max(0, info.durationSec / 2);
  await withSafeInput(videoPath, (input) =>
    writeImage(
      outJpegPath,
      (tmp) => ["-y", "-ss", at.toFixed(3), "-i", input, "-map", "0:v:0", "-frames:v", "1", "-q:v", "3", "-f", "image2", "-c:v", "mjpeg", "-update", "1", tmp],
      opts,
    ),
  );
}

/**
 * The very last frame as PNG. Seeks near the end (decoding from the previous keyframe) and
 * keeps overwriting one file, so what remains is the last decoded frame; falls back to a
 * full decode if the seek produced nothing (very short or oddly muxed files).
 */
export async function extractLastFrame(videoPath: string, outPngPath: string, opts?: RunOptions): Promise<void> {
  const common = ["-map", "0:v:0", "-an", "-vsync", "0", "-f", "image2", "-c:v", "png", "-pix_fmt", "rgb24", "-update", "1"];
  await withSafeInput(videoPath, async (input) => {
    try {
      await writeImage(outPngPath, (tmp) => ["-y", "-sseof", "-0.5", "-i", input, ...common, tmp], opts);
    } catch {
      await writeImage(outPngPath, (tmp) => ["-y", "-i", input, ...common, tmp], opts);
    }
  });
}

export interface AudioInfo {
  durationSec: number;
  codec: string;
  /** ffprobe's format name, e.g. "wav" or "mp3". */
  formatName: string;
}

/** The first audio stream of a file (reference audio: wav or mp3). Throws when there is none. */
export async function probeAudio(filePath: string, opts?: RunOptions): Promise<AudioInfo> {
  const out = await ffprobeJson(filePath, opts);
  const audio = out.streams?.find((s) => s.codec_type === "audio");
  if (!audio) throw new Error(`No audio stream in ${path.basename(filePath)}`);
  return {
    durationSec: positive(audio.duration) ?? positive(out.format?.duration) ?? 0,
    codec: audio.codec_name ?? "unknown",
    formatName: out.format?.format_name ?? "unknown",
  };
}
