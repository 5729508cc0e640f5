import "server-only";
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { and, eq, inArray, isNotNull, isNull, lt, ne, or } from "drizzle-orm";
import { generations, storyboards, type GenerationRow, type StoryboardRow } from "@/lib/db/schema";
import type { AppContext } from "@/lib/context";
import { startLoop } from "@/lib/jobs/loop";
import { log } from "@/lib/log";
import { runFfmpeg } from "@/lib/media/ffmpeg";
import { extractPoster, probeMedia } from "@/lib/media/probe";

/** Frames per second of every film. */
export const FILM_FPS = 24;
export const MAX_CROSSFADE_SEC = 1;
/**
 * An export holds its row this long (renewed every quarter of it while ffmpeg works): an export
 * of a crashed instance on another host is picked up again within a minute. One of a previous
 * process on this host is taken over at once (see `exportOwnerIsGone`).
 */
const EXPORT_LEASE_MS = 60_000;
/** Where an export works: `<tmpdir>/seedance-film-<pid>-<random>`, so a sweep knows whose it is. */
const TEMP_PREFIX = "seedance-film-";
const MAX_EXPORT_ATTEMPTS = 3;

export const filmKey = (storyboardId: string) => `films/${storyboardId}/film.mp4`;
export const filmPosterKey = (storyboardId: string) => `films/${storyboardId}/poster.jpg`;

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
export async function filmParts(ctx: AppContext, row: StoryboardRow): Promise<{ parts: FilmPart[]; first: GenerationRow }> {
  const ids = row.items.map((item) => item.generationId);
  if (ids.length === 0) throw new Error("The storyboard has no clips.");
  const rows = await ctx.db.select().from(generations).where(inArray(generations.id, ids));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const parts: FilmPart[] = [];
  let first: GenerationRow | undefined;
  for (const item of row.items) {
    const clip = byId.get(item.generationId);
    if (!clip || clip.status !== "succeeded" || !clip.videoKey) throw new Error("A clip of this storyboard is missing or not finished.");
    first ??= clip;
    const duration = clip.durationSec ?? 0;
    const start = Math.min(Math.max(0, item.trimStart), Math.max(0, duration - 1 / FILM_FPS));
    const end = item.trimEnd === null ? duration : Math.min(Math.max(item.trimEnd, start + 1 / FILM_FPS), duration);
    parts.push({ path: ctx.storage.localPath(clip.videoKey), start, length: Math.max(1 / FILM_FPS, end - start), hasAudio: clip.hasAudio === true });
  }
  return { parts, first: first! };
}

/** Stitches the storyboard and stores the film and its poster; returns the film's fields. */
export async function stitchStoryboard(ctx: AppContext, row: StoryboardRow) {
  const { parts, first } = await filmParts(ctx, row);
  const width = first.width ?? (await probeMedia(parts[0]!.path)).width;
  const height = first.height ?? (await probeMedia(parts[0]!.path)).height;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `${TEMP_PREFIX}${process.pid}-`));
  try {
    const out = path.join(dir, "film.mp4");
    const plan = filmPlan(parts, row.crossfadeSec);
    await runFfmpeg(stitchArgs({ parts, width, height, crossfadeSec: row.crossfadeSec, outPath: out }), {
      timeoutMs: Math.max(120_000, plan.durationSec * 20_000),
    });
    const info = await probeMedia(out);
    const poster = path.join(dir, "poster.jpg");
    await extractPoster(out, poster);
    const stored = await ctx.storage.put(filmKey(row.id), createReadStream(out));
    await ctx.storage.put(filmPosterKey(row.id), createReadStream(poster));
    return {
      filmKey: stored.key,
      filmBytes: stored.bytes,
      filmWidth: info.width,
      filmHeight: info.height,
      filmDurationSec: info.durationSec,
      filmHasAudio: info.hasAudio,
      filmPosterKey: filmPosterKey(row.id),
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Who holds an export. Lease owners are instance ids, `<hostname>:<pid>:<random>` (made in
// lib/jobs/app-context.ts). On this host a dead pid is a crashed process; our own pid under an
// id no export loop of this process uses is a previous process that had the same pid (a
// container restarted: the server is often pid 1 every time).

const globalForExports = globalThis as unknown as { seedanceExportOwners?: Set<string> };
/** The instance ids this process runs exports under. */
const liveOwners = (globalForExports.seedanceExportOwners ??= new Set());

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is only someone else's.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** True when the lease owner is a process of this host that no longer runs. */
export function exportOwnerIsGone(owner: string | null): boolean {
  const match = owner ? /^(.+):(\d+):[0-9a-f]+$/.exec(owner) : null;
  if (!match || match[1] !== os.hostname() || liveOwners.has(owner!)) return false;
  const pid = Number(match[2]);
  return pid === process.pid || !processIsAlive(pid);
}

/** An export marked running that nobody is working on: its lease ran out, or its process is gone. */
export function exportIsStuck(row: Pick<StoryboardRow, "exportStatus" | "leaseOwner" | "leaseUntil">, now = new Date()): boolean {
  return row.exportStatus === "running" && (!row.leaseUntil || row.leaseUntil < now || exportOwnerIsGone(row.leaseOwner));
}

/** Owners of running exports whose process is gone (one small query; usually none). */
async function goneOwners(ctx: AppContext): Promise<string[]> {
  const rows = await ctx.db
    .selectDistinct({ owner: storyboards.leaseOwner })
    .from(storyboards)
    .where(and(eq(storyboards.exportStatus, "running"), isNotNull(storyboards.leaseOwner), ne(storyboards.leaseOwner, ctx.config.instanceId)));
  return rows.map((r) => r.owner!).filter(exportOwnerIsGone);
}

/**
 * Removes what crashed exports left behind: their work folders in the temp folder (a process
 * of this host that is gone, or a previous process with our pid), and half-written film files
 * in storage that nobody has written to for a lease's length.
 */
export async function sweepExportLeftovers(ctx: AppContext, { leaseMs = EXPORT_LEASE_MS }: { leaseMs?: number } = {}): Promise<void> {
  const now = Date.now();
  const startedAt = now - process.uptime() * 1000;
  const tmp = os.tmpdir();
  for (const name of await fs.readdir(tmp).catch(() => [] as string[])) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const full = path.join(tmp, name);
    const pid = /^seedance-film-(\d+)-/.exec(name)?.[1];
    const info = await fs.stat(full).catch(() => null);
    if (!info?.isDirectory()) continue;
    // Ours: only from before this process started (a previous process with our pid). Without a
    // pid (made before folders carried one): once a day old, far past any export.
    const gone = pid ? (Number(pid) === process.pid ? info.mtimeMs < startedAt : !processIsAlive(Number(pid))) : now - info.mtimeMs > 86_400_000;
    if (gone) await fs.rm(full, { recursive: true, force: true }).catch((error: unknown) => log().warn({ dir: full, err: error }, "export temp sweep failed"));
  }
  for (const object of await ctx.storage.list("films/")) {
    if (object.key.endsWith(".part") && now - object.modifiedAt.getTime() > leaseMs) await ctx.storage.delete(object.key);
  }
}

/** Takes one due export (queued, or running under an expired lease or a gone owner after a crash). */
async function claimExport(ctx: AppContext, leaseMs: number): Promise<StoryboardRow | null> {
  const now = new Date();
  const gone = await goneOwners(ctx);
  const free = or(isNull(storyboards.leaseUntil), lt(storyboards.leaseUntil, now), ...(gone.length ? [inArray(storyboards.leaseOwner, gone)] : []));
  const picked = ctx.db
    .select({ id: storyboards.id })
    .from(storyboards)
    .where(and(inArray(storyboards.exportStatus, ["queued", "running"]), free))
    .orderBy(storyboards.exportRequestedAt)
    .limit(1)
    .for("update", { skipLocked: true });
  const [row] = await ctx.db
    .update(storyboards)
    .set({ exportStatus: "running", leaseOwner: ctx.config.instanceId, leaseUntil: new Date(now.getTime() + leaseMs) })
    .where(inArray(storyboards.id, picked))
    .returning();
  if (!row) return null;
  // Count the attempt separately (drizzle's set cannot reference the column in the same call simply).
  const [counted] = await ctx.db
    .update(storyboards)
    .set({ exportAttempts: row.exportAttempts + 1 })
    .where(and(eq(storyboards.id, row.id), eq(storyboards.leaseOwner, ctx.config.instanceId)))
    .returning();
  return counted ?? null;
}

/**
 * Runs every due export, one at a time. Returns how many ran. The lease is renewed while ffmpeg
 * works, so a long export is never taken by another instance as if this one had died.
 */
export async function runStoryboardExports(ctx: AppContext, { leaseMs = EXPORT_LEASE_MS }: { leaseMs?: number } = {}): Promise<number> {
  liveOwners.add(ctx.config.instanceId);
  let ran = 0;
  for (;;) {
    const row = await claimExport(ctx, leaseMs);
    if (!row) return ran;
    ran++;
    const mine = and(eq(storyboards.id, row.id), eq(storyboards.leaseOwner, ctx.config.instanceId));
    if (row.exportAttempts > MAX_EXPORT_ATTEMPTS) {
      await ctx.db
        .update(storyboards)
        .set({ exportStatus: "failed", exportError: "The export was interrupted too many times.", leaseOwner: null, leaseUntil: null, exportFinishedAt: new Date() })
        .where(mine);
      continue;
    }
    const renewal = setInterval(() => {
      ctx.db
        .update(storyboards)
        .set({ leaseUntil: new Date(Date.now() + leaseMs) })
        .where(mine)
        .catch((error: unknown) => log().warn({ id: row.id, err: error }, "storyboard export lease renewal failed"));
    }, leaseMs / 4);
    try {
      const film = await stitchStoryboard(ctx, row);
      await ctx.db
        .update(storyboards)
        .set({ ...film, exportStatus: "succeeded", exportError: null, leaseOwner: null, leaseUntil: null, exportFinishedAt: new Date() })
        .where(mine);
    } catch (error) {
      log().warn({ id: row.id, error: error instanceof Error ? error.message : String(error) }, "storyboard export failed");
      const message = error instanceof Error && !error.message.startsWith("ffmpeg") ? error.message : "ffmpeg could not stitch the film.";
      await ctx.db
        .update(storyboards)
        .set({ exportStatus: "failed", exportError: message, leaseOwner: null, leaseUntil: null, exportFinishedAt: new Date() })
        .where(mine);
    } finally {
      clearInterval(renewal);
    }
  }
}

/**
 * A small loop for exports, next to the generation worker: polls every `idleMs`, or at once when
 * woken. Its first pass sweeps what a crash left and takes over exports of a process now gone.
 */
export function startExportLoop(ctx: AppContext, { idleMs = 2000 }: { idleMs?: number } = {}) {
  liveOwners.add(ctx.config.instanceId);
  let swept = false;
  return startLoop(
    "export",
    async () => {
      if (!swept) {
        swept = true;
        await sweepExportLeftovers(ctx).catch((error: unknown) => log().warn({ err: error }, "export leftovers sweep failed"));
      }
      await runStoryboardExports(ctx);
    },
    idleMs,
  );
}
export type ExportLoop = ReturnType<typeof startExportLoop>;
