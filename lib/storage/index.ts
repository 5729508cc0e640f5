import "server-only";
import type { Readable } from "node:stream";
import { AppError } from "@/lib/errors";
import { formatBytes } from "@/lib/text";

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
  /** The content's sha256, where the store keeps it with the object (S3 metadata); else unknown. */
  sha256?: string;
}

const CONTENT_TYPES: Record<string, string> = {
  mp4: "video/mp4",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
  bmp: "image/bmp",
  tif: "image/tiff",
  // 2.x: reference media (refs/) and 2.5's mov output
  mov: "video/quicktime",
  wav: "audio/wav",
  mp3: "audio/mpeg",
};

/** The media type a key is served (and stored) with, by its extension; undefined: not a media file of ours. */
export function contentTypeOf(key: string): string | undefined {
  return CONTENT_TYPES[key.split(".").pop()!.toLowerCase()];
}

// Re-exported: the storage layer's messages and its callers word sizes the one way.
export { formatBytes };

/** A write past its byte limit (`file_too_large`): the limit in words, never the file's path. */
export class StorageLimitError extends AppError<"file_too_large"> {
  constructor(readonly limitBytes: number) {
    super("file_too_large", { limit: formatBytes(limitBytes) });
  }

  /** AppError's brand would match every AppError: this one is matched by its code. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof AppError && value.code === "file_too_large";
  }
}

/** A full disk or quota: the filesystem's errno codes, and PostgreSQL's `disk_full` (53100). */
const FULL_CODES = new Set(["ENOSPC", "EDQUOT", "53100"]);

/**
 * A full disk or quota, from a filesystem or database error (or one it wraps as its cause), as
 * `storage_full` (507, nothing was saved); anything else unchanged.
 */
export function asStorageError(error: unknown): unknown {
  for (let cause = error, depth = 0; cause && typeof cause === "object" && depth < 4; cause = (cause as Error).cause, depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && FULL_CODES.has(code)) return new AppError("storage_full");
  }
  return error;
}

export function isStorageFull(error: unknown): boolean {
  return error instanceof AppError && error.kind === "storage_full";
}

/** What a signed URL answers with besides the bytes (the store sets these headers on the way out). */
export interface SignedUrlOptions {
  expiresInSec: number;
  contentDisposition?: string;
  cacheControl?: string;
}

/**
 * Where clips, posters, last frames, input images and films live: the filesystem (the default,
 * lib/storage/fs.ts) or an S3-compatible bucket (lib/storage/s3.ts), chosen in lib/app/context.ts.
 * Nothing outside the stores knows a path: tools that need a file get one from `withLocalFile`.
 */
export interface Storage {
  /**
   * Streams into the store without buffering; fails (and leaves nothing) past maxBytes, or with
   * a `storage_full` AppError when the disk or quota is full. A `sha256` known up front is
   * checked against the bytes and kept with the object where the store can (S3 metadata).
   */
  put(key: string, body: Readable | Buffer, opts?: { maxBytes?: number; sha256?: string }): Promise<StoredObject>;
  stat(key: string): Promise<ObjectInfo | null>;
  read(key: string, range?: { start: number; end: number }): Readable;
  /**
   * Runs `fn` with a local file holding the object (for ffprobe and ffmpeg): the file itself on
   * disk, a temporary copy (removed when `fn` settles) for a remote store. Read-only.
   */
  withLocalFile<T>(key: string, fn: (file: string) => Promise<T>): Promise<T>;
  delete(key: string): Promise<void>;
  deletePrefix(prefix: string): Promise<void>;
  /** Every object whose key starts with `prefix` (a folder such as `inputs/`), half-written ones included. */
  list(prefix: string): Promise<(ObjectInfo & { key: string })[]>;
  /** A short-lived URL that fetches the object straight from the store; absent on stores that cannot sign (the filesystem). */
  signedUrl?(key: string, opts: SignedUrlOptions): Promise<string>;
}
