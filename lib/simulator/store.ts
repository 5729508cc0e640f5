import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { SeedanceVideoRequest } from "@/lib/seedance/schema";

/** One simulated upstream task, kept as a JSON file so a restart of the app loses nothing. */
export interface SimulatorTask {
  id: string;
  upstreamId: string;
  traceId: string;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  /** Not before: the configured delay that makes the simulator feel like the real thing. */
  readyAt: number;
  /** The request with image data replaced by files in the simulator's folder. */
  request: SeedanceVideoRequest;
  images: { firstFrame?: string; lastFrame?: string };
  /** Reference URLs by kind, in content order, with their content index (for error paths); fetched when the task runs. */
  references?: { kind: "image" | "video" | "audio"; url: string; index: number }[];
  /** The rendered clip's length in seconds (an automatic or edited length is known only then). */
  durationSec?: number;
  width?: number;
  height?: number;
  seed: number;
  status: "pending" | "succeeded" | "failed";
  failure?: { code: string; message: string };
  /** Failure injection: the task ends failed with this message. */
  failWith?: { code: string; message: string };
  videoFile?: string;
  lastFrameFile?: string;
  callbackUrl?: string;
  callbackDelivered?: boolean;
  /** Why the callback was not delivered (refused by the URL guard, or every attempt failed). */
  callbackError?: string;
}

/**
 * How long the simulator keeps a task's files (record, inputs, clip, last frame) after their
 * last write: 72 hours, the contract's longest `execution_expires_after`, so nothing a client
 * may still be following disappears, and three times the vendor's 24 h result links.
 */
export const SIMULATOR_FILE_LIFETIME_MS = 72 * 60 * 60 * 1000;


export function simulatorStore(dir: string) {
  const tasksDir = path.join(dir, "tasks");
  const filesDir = path.join(dir, "files");
  const taskPath = (id: string) => {
    if (!/^[a-f0-9-]{36}$/.test(id)) return null;
    return path.join(tasksDir, `${id}.json`);
  };
  return {
    filesDir,
    async ensureDirs() {
      await fs.promises.mkdir(tasksDir, { recursive: true });
      await fs.promises.mkdir(filesDir, { recursive: true });
    },
    async save(task: SimulatorTask) {
      await this.ensureDirs();
      const file = taskPath(task.id)!;
      const temp = `${file}.${process.pid}.tmp`;
      await fs.promises.writeFile(temp, JSON.stringify(task));
      await fs.promises.rename(temp, file);
    },
    async load(id: string): Promise<SimulatorTask | null> {
      const file = taskPath(id);
      if (!file) return null;
      try {
        return JSON.parse(await fs.promises.readFile(file, "utf8")) as SimulatorTask;
      } catch {
        return null;
      }
    },
    /**
     * Removes every task file and rendered file last written before `before` (ms since the
     * epoch), except those of the task ids in `keep` (tasks rendering now). Everything in these
     * folders is named by its task id (`<uuid>.json`, `<uuid>.mp4`, `<uuid>-last.png`,
     * `<uuid>.inputs/`, `<uuid>.work/`, a save's `.tmp`). Returns how many entries went.
     */
    async removeExpired({ before, keep = new Set<string>() }: { before: number; keep?: ReadonlySet<string> }): Promise<number> {
      let removed = 0;
      for (const dir of [tasksDir, filesDir]) {
        const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
        for (const name of names) {
          if (keep.has(name.slice(0, 36))) continue;
          const entry = path.join(dir, name);
          const info = await fs.promises.lstat(entry).catch(() => null);
          if (!info || info.mtimeMs >= before) continue;
          await fs.promises.rm(entry, { recursive: true, force: true });
          removed++;
        }
      }
      return removed;
    },
    /** A served file: names are ours (`<uuid>.mp4`, `<uuid>.mov`, `<uuid>-last.png`), anything else is refused. */
    filePath(name: string): string | null {
      if (!/^[a-f0-9-]{36}(?:\.mp4|\.mov|-last\.png)$/.test(name)) return null;
      return path.join(filesDir, name);
    },
  };
}
export type SimulatorStore = ReturnType<typeof simulatorStore>;
