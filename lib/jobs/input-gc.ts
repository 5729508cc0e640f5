import "server-only";
import { referencedInputKeys, referencedReferenceKeys } from "@/lib/db/generations";
import { INPUTS_PREFIX, REFS_PREFIX } from "@/lib/storage/keys";
import type { AppContext } from "@/lib/context";
import { startLoop } from "@/lib/jobs/loop";
import { log } from "@/lib/log";

/**
 * Input images live once per content (`inputs/<sha256>.<ext>`, shared by every clip made from
 * the same image), so deleting a clip cannot delete its images: this sweep collects the ones no
 * generation row refers to any more. Reference media (`refs/<sha256>.<ext>`, 2.x) are content-named
 * the same way and collected by the same rule, after a longer grace.
 */

/**
 * Only objects untouched this long are candidates: a create stores its images before it writes
 * its row, and no create takes anywhere near an hour between the two.
 */
export const INPUT_GC_GRACE_MS = 60 * 60_000;
/**
 * Reference media are uploaded when attached, long before the create: a draft keeps them across
 * days (it is saved in the browser), so they wait a week before an unreferenced one goes.
 */
export const REFERENCE_GC_GRACE_MS = 7 * 24 * 60 * 60_000;
export const INPUT_GC_INTERVAL_MS = 60 * 60_000;

/**
 * Deletes the input images (and half-written ones) that no row refers to and nobody has written
 * for the grace period. Returns the deleted keys.
 */
export async function collectUnusedInputs(
  ctx: AppContext,
  { graceMs = INPUT_GC_GRACE_MS, referenceGraceMs = REFERENCE_GC_GRACE_MS }: { graceMs?: number; referenceGraceMs?: number } = {},
): Promise<string[]> {
  const isOld = (key: string, modifiedAt: Date) => Date.now() - modifiedAt.getTime() > (key.startsWith(REFS_PREFIX) ? referenceGraceMs : graceMs);
  const listed = [...(await ctx.storage.list(INPUTS_PREFIX)), ...(await ctx.storage.list(REFS_PREFIX))];
  const candidates = listed.filter((o) => isOld(o.key, o.modifiedAt));
  if (candidates.length === 0) return [];
  // Read after the listing, so every row written before an old object was listed is seen.
  const [inputs, references] = await Promise.all([referencedInputKeys({ db: ctx.db }), referencedReferenceKeys({ db: ctx.db })]);
  const used = new Set([...inputs, ...references]);
  const deleted: string[] = [];
  for (const { key } of candidates) {
    if (used.has(key)) continue;
    // Looked at again just before deleting: a create that stored this same image again since the
    // listing has made it new, and its row may not be written yet.
    const now = await ctx.storage.stat(key);
    if (!now || !isOld(key, now.modifiedAt)) continue;
    await ctx.storage.delete(key);
    deleted.push(key);
  }
  if (deleted.length) log().info({ count: deleted.length }, "unused input images deleted");
  return deleted;
}

/** The sweep's loop, started with the worker: once at start, then every `intervalMs`. */
export function startInputGc(ctx: AppContext, { intervalMs = INPUT_GC_INTERVAL_MS }: { intervalMs?: number } = {}) {
  return startLoop(
    "input-gc",
    async () => {
      await collectUnusedInputs(ctx);
    },
    intervalMs,
  );
}
