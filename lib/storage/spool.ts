import "server-only";
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Storage, StoredObject } from "./index";

/**
 * Runs `fn` in a fresh temporary folder, removed when it settles (success or failure): where a
 * remote object is spooled for ffmpeg, and where extracted frames wait before going to the store.
 */
export async function withTempDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  try {
    return await fn(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Lets `make` write a file in `dir` (ffmpeg's poster, a last frame), then streams it to `key`. */
export async function putMadeFile(storage: Storage, key: string, dir: string, make: (file: string) => Promise<void>): Promise<StoredObject> {
  const file = path.join(dir, path.basename(key));
  await make(file);
  return storage.put(key, createReadStream(file));
}

/** Runs `fn` with a local file for each key (see `Storage.withLocalFile`), all removed afterwards. */
export function withLocalFiles<T>(storage: Storage, keys: readonly string[], fn: (files: ReadonlyMap<string, string>) => Promise<T>): Promise<T> {
  const files = new Map<string, string>();
  const step = (i: number): Promise<T> =>
    i >= keys.length
      ? fn(files)
      : storage.withLocalFile(keys[i]!, (file) => {
          files.set(keys[i]!, file);
          return step(i + 1);
        });
  return step(0);
}
