import "server-only";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { AppContext } from "@/lib/context";
import { existingStoryboardIds, getStoryboardById, listRunningExportOwners, renewExportLease } from "@/lib/db/storyboards";
import type { StoryboardRow } from "@/lib/db/schema";
import { whileRenewing } from "@/lib/jobs/lease";
import { startLoop } from "@/lib/jobs/loop";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { claimNextExport, writeStoryboard } from "./export-gate";
import { exportOwnerIsGone, processIsAlive, runExportsAs } from "./export-lease";
import { FILMS_PREFIX, filmKeys } from "@/lib/storage/keys";
import { FILM_TEMP_PREFIX, FilmError, stitchStoryboard } from "./film";
import { coded, type Coded } from "@/lib/errors/codes";
import { englishMessage } from "@/lib/errors/english";

/**
 * An export holds its row this long (renewed every quarter of it while ffmpeg works): an export
 * of a crashed instance on another host is picked up again within a minute. One of a previous
 * process on this host is taken over at once (see `exportOwnerIsGone`).
 */
const EXPORT_LEASE_MS = 60_000;
const MAX_EXPORT_ATTEMPTS = 3;
/** What a creator reads when ffmpeg (or anything unexpected) fails: never its output or a path. */

/** Owners of running exports whose process is gone (one small query; usually none). */
async function goneOwners(ctx: AppContext): Promise<string[]> {
  return (await listRunningExportOwners({ db: ctx.db, except: ctx.config.instanceId })).filter(exportOwnerIsGone);
}

/**
 * Removes what crashed exports left behind: their work folders in the temp folder (a process
 * of this host that is gone, or a previous process with our pid), half-written film files in
 * storage that nobody has written to for a lease's length, and the films of storyboards that
 * no longer exist (a delete interrupted between the row and its files).
 */
export async function sweepExportLeftovers(ctx: AppContext, { leaseMs = EXPORT_LEASE_MS }: { leaseMs?: number } = {}): Promise<void> {
  const now = Date.now();
  const startedAt = now - process.uptime() * 1000;
  const tmp = os.tmpdir();
  for (const name of await fs.readdir(tmp).catch(() => [] as string[])) {
    if (!name.startsWith(FILM_TEMP_PREFIX)) continue;
    const full = path.join(tmp, name);
    const pid = /^seedance-film-(\d+)-/.exec(name)?.[1];
    const info = await fs.stat(full).catch(() => null);
    if (!info?.isDirectory()) continue;
    // Ours: only from before this process started (a previous process with our pid). Without a
    // pid (made before folders carried one): once a day old, far past any export.
    const gone = pid ? (Number(pid) === process.pid ? info.mtimeMs < startedAt : !processIsAlive(Number(pid))) : now - info.mtimeMs > 86_400_000;
    if (gone) await fs.rm(full, { recursive: true, force: true }).catch((error: unknown) => log().warn({ dir: full, err: error }, "export temp sweep failed"));
  }
  const films = await ctx.storage.list(FILMS_PREFIX);
  for (const object of films) {
    if (object.key.endsWith(".part") && now - object.modifiedAt.getTime() > leaseMs) await ctx.storage.delete(object.key);
  }
  const ids = [...new Set(films.map((object) => object.key.split("/")[1]!).filter(Boolean))];
  const existing = await existingStoryboardIds({ db: ctx.db, ids });
  for (const id of ids) if (!existing.has(id)) await ctx.storage.deletePrefix(filmKeys(id).prefix);
}

/** What a failed export shows: our own reasons (a missing clip, a full disk) as they are, anything else without its details. */
function failureColumns(error: Coded) {
  return { exportError: englishMessage(error), exportErrorCode: error.code, exportErrorParams: error.params };
}

/** A failed export's error: our own coded reasons (a missing clip, a full disk, ffmpeg) as they are, anything else as film_failed, never its text. */
function failureOf(error: unknown): Coded {
  return error instanceof FilmError || error instanceof AppError ? error.coded : coded("film_failed");
}

/** Stitches one claimed export and writes its outcome through the gate (only while the lease is still ours). */
async function runExport(ctx: AppContext, row: StoryboardRow, leaseMs: number): Promise<void> {
  const owner = ctx.config.instanceId;
  if (row.exportAttempts > MAX_EXPORT_ATTEMPTS) {
    await writeStoryboard(ctx, {
      id: row.id,
      to: "failed",
      owner,
      patch: { ...failureColumns(coded("film_interrupted")), leaseOwner: null, leaseUntil: null, exportFinishedAt: new Date() },
    });
    return;
  }
  const renew = () => renewExportLease({ db: ctx.db, id: row.id, owner, leaseMs });
  try {
    const film = await whileRenewing({ renew, leaseMs, row: { storyboardId: row.id } }, () => stitchStoryboard(ctx, row));
    const written = await writeStoryboard(ctx, {
      id: row.id,
      to: "succeeded",
      owner,
      patch: { ...film, exportError: null, exportErrorCode: null, exportErrorParams: null, leaseOwner: null, leaseUntil: null, exportFinishedAt: new Date() },
    });
    // Deleted while it was stitched: the film just stored belongs to nobody.
    if (!written && !(await getStoryboardById({ db: ctx.db, id: row.id }))) await ctx.storage.deletePrefix(filmKeys(row.id).prefix);
  } catch (error) {
    log().warn({ id: row.id, error: error instanceof Error ? error.message : String(error) }, "storyboard export failed");
    await writeStoryboard(ctx, {
      id: row.id,
      to: "failed",
      owner,
      patch: { ...failureColumns(failureOf(error)), leaseOwner: null, leaseUntil: null, exportFinishedAt: new Date() },
    });
  }
}

/**
 * Runs every due export, one at a time. Returns how many ran. The lease is renewed while ffmpeg
 * works, so a long export is never taken by another instance as if this one had died.
 */
export async function runStoryboardExports(ctx: AppContext, { leaseMs = EXPORT_LEASE_MS }: { leaseMs?: number } = {}): Promise<number> {
  runExportsAs(ctx.config.instanceId);
  let ran = 0;
  for (;;) {
    const row = await claimNextExport(ctx, { leaseMs, goneOwners: await goneOwners(ctx) });
    if (!row) return ran;
    ran++;
    await runExport(ctx, row, leaseMs);
  }
}

/**
 * A small loop for exports, next to the generation worker: polls every `idleMs`, or at once when
 * woken. Its first pass sweeps what a crash left and takes over exports of a process now gone.
 */
export function startExportLoop(ctx: AppContext, { idleMs = 2000 }: { idleMs?: number } = {}) {
  runExportsAs(ctx.config.instanceId);
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
