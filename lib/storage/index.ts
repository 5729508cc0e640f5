import "server-only";
import type { Readable } from "node:stream";

/** Keys look like `clips/<id>/video.mp4`: lowercase path segments, no dots at segment start. */
const KEY_PATTERN = /^(?:[a-z0-9_-][a-z0-9_.-]*\/)*[a-z0-9_-][a-z0-9_.-]*$/i;

export function isValidKey(key: string): boolean {
  return key.length <= 200 && KEY_PATTERN.test(key) && !key.split("/").some((part) => part === "." || part === "..");
}

export interface StoredObject {
  key: string;
  bytes: number;
  sha256: string;
}

export interface ObjectInfo {
  bytes: number;
  modifiedAt: Date;
}

export class StorageLimitError extends Error {
  constructor(readonly limitBytes: number) {
    super(`The file is larger than the ${Math.round(limitBytes / 1024 / 1024)} MB limit.`);
  }
}

/**
 * Where clips, posters, last frames and input images live. The filesystem implementation is
 * the default; an S3-compatible store implements the same four calls.
 */
export interface Storage {
  /** Streams into the store without buffering; fails (and leaves nothing) past maxBytes. */
  put(key: string, body: Readable | Buffer, opts?: { maxBytes?: number }): Promise<StoredObject>;
  stat(key: string): Promise<ObjectInfo | null>;
  read(key: string, range?: { start: number; end: number }): Readable;
  /** A local path for tools like ffprobe (the fs store returns its own file). */
  localPath(key: string): string;
  delete(key: string): Promise<void>;
  deletePrefix(prefix: string): Promise<void>;
}
