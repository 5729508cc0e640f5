import "server-only";
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { formatBytes, type Storage } from "./index";

export interface CopyReport {
  copied: number;
  copiedBytes: number;
  /** Already in the destination with the same sha256. */
  skipped: number;
  /** In the destination with other bytes: overwritten with the source's. */
  replaced: number;
  failed: { key: string; reason: string }[];
}

export type CopyOutcome = "copied" | "skipped" | "replaced" | "failed";

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** A half-written file of the filesystem store (`<key>.<random>.part`): never copied. */
const isPartial = (key: string) => key.endsWith(".part");

/**
 * Copies every object of `from` into `to` (the one-machine `data/media` into a bucket), one at a
 * time, each streamed. Resumable: an object already in `to` with the same sha256 is skipped (the
 * bucket's recorded hash, else its bytes hashed), and an interrupted upload leaves nothing, so
 * running it again finishes the job. `dryRun` only says what it would do.
 */
export async function copyStore({
  from,
  to,
  prefix = "",
  dryRun = false,
  onObject,
}: {
  from: Storage;
  to: Storage;
  prefix?: string;
  dryRun?: boolean;
  onObject?: (key: string, outcome: CopyOutcome, detail: string) => void;
}): Promise<CopyReport> {
  const report: CopyReport = { copied: 0, copiedBytes: 0, skipped: 0, replaced: 0, failed: [] };
  const objects = (await from.list(prefix)).filter((o) => !isPartial(o.key)).sort((a, b) => a.key.localeCompare(b.key));
  for (const object of objects) {
    try {
      const sha256 = await sha256Of(from.read(object.key));
      const there = await to.stat(object.key);
      const thereSha = there && there.bytes === object.bytes ? (there.sha256 ?? (await sha256Of(to.read(object.key)))) : null;
      if (thereSha === sha256) {
        report.skipped++;
        onObject?.(object.key, "skipped", "already there");
        continue;
      }
      if (!dryRun) await to.put(object.key, from.read(object.key), { sha256 });
      if (there) report.replaced++;
      else report.copied++;
      report.copiedBytes += object.bytes;
      onObject?.(object.key, there ? "replaced" : "copied", formatBytes(object.bytes));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      report.failed.push({ key: object.key, reason });
      onObject?.(object.key, "failed", reason);
    }
  }
  return report;
}
