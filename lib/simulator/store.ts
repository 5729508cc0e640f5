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
  seed: number;
  status: "pending" | "succeeded" | "failed";
  failure?: { code: string; message: string };
  /** Failure injection: the task ends failed with this message. */
  failWith?: { code: string; message: string };
  videoFile?: string;
  lastFrameFile?: string;
  callbackUrl?: string;
  callbackDelivered?: boolean;
}

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
    /** A served file: names are ours (`<uuid>.mp4`, `<uuid>-last.png`), anything else is refused. */
    filePath(name: string): string | null {
      if (!/^[a-f0-9-]{36}(?:\.mp4|-last\.png)$/.test(name)) return null;
      return path.join(filesDir, name);
    },
  };
}
export type SimulatorStore = ReturnType<typeof simulatorStore>;
