import "server-only";
import os from "node:os";
import type { StoryboardRow } from "@/lib/db/schema";

// Who holds an export. Lease owners are instance ids, `<hostname>:<pid>:<random>` (made in
// lib/app/context.ts). On this host a dead pid is a crashed process; our own pid under an id no
// export loop of this process uses is a previous process that had the same pid (a container
// restarted: the server is often pid 1 every time).

const globalForExports = globalThis as unknown as { seedanceExportOwners?: Set<string> };
/** The instance ids this process runs exports under. */
const liveOwners = (globalForExports.seedanceExportOwners ??= new Set());

/** Marks `owner` as one this process runs exports under (its exports are never "gone"). */
export function runExportsAs(owner: string): void {
  liveOwners.add(owner);
}

export function processIsAlive(pid: number): boolean {
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
