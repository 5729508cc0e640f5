import "server-only";
import { AppError } from "@/lib/errors";
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { AppContext } from "@/lib/context";
import { getGenerationsByIds } from "@/lib/db/generations";
import type { GenerationRow, StoryboardRow } from "@/lib/db/schema";
import { runFfmpeg } from "@/lib/media/ffmpeg";
import { extractPoster, probeMedia } from "@/lib/media/probe";
import { filmKeys } from "@/lib/storage/keys";
import { withLocalFiles } from "@/lib/storage/spool";

// A storyboard's film: which parts of which clips, the ffmpeg graph that stitches them, and the
// stored result. The export job that runs this (queue, lease, status) is export.ts.

/** Frames per second of every film. */
export const FILM_FPS = 24;
export const MAX_CROSSFADE_SEC = 1;
/** Where an export works: `<tmpdir>/seedance-film-<pid>-<random>`, so a sweep knows whose it is. */
export const FILM_TEMP_PREFIX = "seedance-film-";

/** A reason an export cannot be made that the creator can act on; its message is shown as it is. */
/** A film that cannot be stitched as asked: coded (film_no_clips, film_clip_missing). */
export class FilmError extends AppError<"film_no_clips" | "film_clip_missing"> {}

/** One clip as it goes into the film: its file, the kept part, and whether it has sound. */
export interface FilmPart {
  path: string;
  start: number;
  /** Kept length in seconds (already clamped to the clip). */
  length: number;
  hasAudio: boolean;
}

const num = (n: number) => (Math.abs(n) < 1e-9 ? "0" : n.toFixed(4));

/** Frames of a part at 24 fps (at least one). */
export const partFrames = (length: number) => Math.max(1, Math.round(length * FILM_FPS));

/**
 * Expected film length: the sum of the parts (each a whole number of frames) minus one
 * crossfade per cut. The crossfade is clamped so it never exceeds the shorter neighbour.
 */
export function filmPlan(parts: readonly { length: number }[], crossfadeSec: number) {
  const frames = parts.map((p) => partFrames(p.length));
  const shortest = Math.min(...frames);
  const fadeFrames = parts.length < 2 ? 0 : Math.max(0, Math.min(Math.round(crossfadeSec * FILM_FPS), Math.round(MAX_CROSSFADE_SEC * FILM_FPS), shortest - 1));
  const totalFrames = frames.reduce((a, b) => a + b, 0) - fadeFrames * (parts.length - 1);
  return { frames, fadeFrames, totalFrames, durationSec: totalFrames / FILM_FPS };
}

/**
 * The ffmpeg arguments that stitch `parts` into one H.264/AAC MP4 at `outPath`: each part
 * trimmed, at 24 fps, fitted into width x height (scaled down or up keeping its aspect, padded
 * with black: letterboxed, never stretched), its audio or silence, and a crossfade at each cut
 * when `crossfadeSec` > 0 (the 2018 ffmpeg has no xfade: the next part fades in with alpha
 * over the previous one on a black canvas; audio uses acrossfade).
 */
export function stitchArgs({
  parts,
  width,
  height,
  crossfadeSec,
  outPath,
}: {
  parts: readonly FilmPart[];
  width: number;
  height: number;
  crossfadeSec: number;
  outPath: string;
}): string[] {
  if (parts.length === 0) throw new Error("A film needs at least one clip.");
  const W = 2 * Math.round(width / 2);
  const H = 2 * Math.round(height / 2);
  const plan = filmPlan(parts, crossfadeSec);
  const withAudio = parts.some((p) => p.hasAudio);
  const args: string[] = ["-y"];
  parts.forEach((p) => args.push("-i", p.path));
  const chains: string[] = [];
  const fade = plan.fadeFrames / FILM_FPS;
  parts.forEach((p, i) => {
    const n = plan.frames[i]!;
    chains.push(
      `[${i}:v:0]trim=start=${num(p.start)},setpts=PTS-STARTPTS,fps=${FILM_FPS},` +
        `scale=${W}:${H}:force_original_aspect_ratio=decrease,pad=${W}:${H}:(ow-iw)/2:(oh-ih)/2:black,setsar=1,format=yuv420p,` +
        `tpad=stop_duration=2:stop_mode=clone,trim=end_frame=${n},setpts=PTS-STARTPTS[v${i}]`,
    );
    if (!withAudio) return;
    const seconds = num(n / FILM_FPS);
    chains.push(
      p.hasAudio
        ? `[${i}:a:0]atrim=start=${num(p.start)},asetpts=PTS-STARTPTS,aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,apad,atrim=duration=${seconds}[a${i}]`
        : `anullsrc=channel_layout=stereo:sample_rate=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,atrim=duration=${seconds}[a${i}]`,
    );
  });
  if (plan.fadeFrames === 0) {
    const inputs = parts.map((_, i) => `[v${i}]${withAudio ? `[a${i}]` : ""}`).join("");
    chains.push(`${inputs}concat=n=${parts.length}:v=1:a=${withAudio ? 1 : 0}[vout]${withAudio ? "[aout]" : ""}`);
  } else {
    // Video: a black canvas of the film's length; each part laid over it at its offset, fading in.
    chains.push(`color=c=black:s=${W}x${H}:r=${FILM_FPS}:d=${num(plan.totalFrames / FILM_FPS)},format=yuv420p,setsar=1[base]`);
    let below = "base";
    let offsetFrames = 0;
    parts.forEach((_, i) => {
      let top = `v${i}`;
      if (i > 0) {
        chains.push(`[v${i}]format=yuva420p,fade=t=in:st=0:d=${num(fade)}:alpha=1,setpts=PTS-STARTPTS+${num(offsetFrames / FILM_FPS)}/TB[f${i}]`);
        top = `f${i}`;
      }
      const out = i === parts.length - 1 ? "vmix" : `m${i}`;
      chains.push(`[${below}][${top}]overlay=0:0:eof_action=pass:format=yuv420[${out}]`);
      below = out;
      offsetFrames += plan.frames[i]! - plan.fadeFrames;
    });
    chains.push(`[vmix]format=yuv420p,trim=end_frame=${plan.totalFrames}[vout]`);
    if (withAudio) {
      let acc = "a0";
      for (let i = 1; i < parts.length; i++) {
        const out = i === parts.length - 1 ? "aout" : `x${i}`;
        chains.push(`[${acc}][a${i}]acrossfade=d=${num(fade)}:c1=tri:c2=tri[${out}]`);
        acc = out;
      }
      if (parts.length === 1) chains.push(`[a0]anull[aout]`);
    }
  }
  args.push("-filter_complex", chains.join(";"), "-map", "[vout]");
  if (withAudio) args.push("-map", "[aout]");
  args.push("-r", String(FILM_FPS), "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p");
  if (withAudio) args.push("-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2");
  args.push("-t", num(plan.totalFrames / FILM_FPS), "-movflags", "+faststart", "-f", "mp4", outPath);
  return args;
}

/** The clips a storyboard's items point at, with each part clamped to its clip. */
/** A part before its clip has a local file: the clip's storage key. */
export type StoredFilmPart = Omit<FilmPart, "path"> & { key: string };

export async function filmParts(ctx: AppContext, row: StoryboardRow): Promise<{ parts: StoredFilmPart[]; first: GenerationRow }> {
  const ids = row.items.map((item) => item.generationId);
  if (ids.length === 0) throw new FilmError("film_no_clips");
  const rows = await getGenerationsByIds({ db: ctx.db, ids });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const parts: StoredFilmPart[] = [];
  let first: GenerationRow | undefined;
  for (const item of row.items) {
    const clip = byId.get(item.generationId);
    if (!clip || clip.status !== "succeeded" || !clip.videoKey) throw new FilmError("film_clip_missing");
    first ??= clip;
    const duration = clip.durationSec ?? 0;
    const start = Math.min(Math.max(0, item.trimStart), Math.max(0, duration - 1 / FILM_FPS));
    const end = item.trimEnd === null ? duration : Math.min(Math.max(item.trimEnd, start + 1 / FILM_FPS), duration);
    parts.push({ key: clip.videoKey, start, length: Math.max(1 / FILM_FPS, end - start), hasAudio: clip.hasAudio === true });
  }
  return { parts, first: first! };
}

/** Stitches the storyboard and stores the film and its poster; returns the film's fields. */
export async function stitchStoryboard(ctx: AppContext, row: StoryboardRow) {
  const { parts: stored, first } = await filmParts(ctx, row);
  // ffmpeg reads local files: the stored clips on disk, spooled copies from a bucket.
  return withLocalFiles(ctx.storage, [...new Set(stored.map((p) => p.key))], async (files) => {
    const parts: FilmPart[] = stored.map(({ key, ...part }) => ({ ...part, path: files.get(key)! }));
    return stitchParts(ctx, row, parts, first);
  });
}

async function stitchParts(ctx: AppContext, row: StoryboardRow, parts: FilmPart[], first: GenerationRow) {
  const width = first.width ?? (await probeMedia(parts[0]!.path)).width;
  const height = first.height ?? (await probeMedia(parts[0]!.path)).height;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `${FILM_TEMP_PREFIX}${process.pid}-`));
  try {
    const out = path.join(dir, "film.mp4");
    const plan = filmPlan(parts, row.crossfadeSec);
    await runFfmpeg(stitchArgs({ parts, width, height, crossfadeSec: row.crossfadeSec, outPath: out }), {
      timeoutMs: Math.max(120_000, plan.durationSec * 20_000),
    });
    const info = await probeMedia(out);
    const poster = path.join(dir, "poster.jpg");
    await extractPoster(out, poster);
    const keys = filmKeys(row.id);
    const stored = await ctx.storage.put(keys.film, createReadStream(out));
    await ctx.storage.put(keys.poster, createReadStream(poster));
    return {
      filmKey: stored.key,
      filmBytes: stored.bytes,
      filmWidth: info.width,
      filmHeight: info.height,
      filmDurationSec: info.durationSec,
      filmHasAudio: info.hasAudio,
      filmPosterKey: keys.poster,
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
