import "server-only";
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import path from "node:path";
import { PassThrough, Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { AppError } from "@/lib/errors";
import { asStorageError, contentTypeOf, isValidKey, StorageLimitError, type ObjectInfo, type Storage } from "./index";
import { withTempDir } from "./spool";

/** An S3-compatible bucket (AWS S3, Cloudflare R2, MinIO, …), as `lib/env.ts` reads it. */
export interface S3StoreConfig {
  bucket: string;
  /** Unset: AWS's own endpoint for the region. */
  endpoint?: string;
  region: string;
  /** Prepended to every key (`studio/`), so one bucket can hold several studios or other data. */
  prefix: string;
  /** `https://host/bucket/key` rather than `https://bucket.host/key` (MinIO and most self-hosted stores need it). */
  forcePathStyle: boolean;
  /** Unset: the SDK's own chain (its environment variables, a profile, an instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Keys per listing page (S3's maximum is 1000; tests lower it to cross pages). */
  listPageSize?: number;
  /** Multipart part size; at most `2 ×` this is held in memory per upload. */
  partSize?: number;
}

/** S3 refuses parts under 5 MiB (except the last). */
const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
/** Parts in flight per upload: memory per upload is `queueSize × partSize`. */
const QUEUE_SIZE = 2;
/** S3's DeleteObjects takes at most this many keys. */
const DELETE_BATCH = 1000;
/** Read-ahead per open object (the SDK's socket keeps its own). */
const READ_BUFFER_BYTES = 1024 * 1024;
/** Where a clip's sha256 is kept on the object (`x-amz-meta-sha256`), so a copy can skip what is there. */
const SHA256_METADATA = "sha256";

/** A full bucket or quota, in the words S3-compatible stores use. */
const FULL_ERRORS = new Set(["XMinioStorageFull", "InsufficientStorage", "QuotaExceeded", "StorageFull"]);

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === "NotFound" || e?.name === "NoSuchKey" || e?.Code === "NoSuchKey" || e?.$metadata?.httpStatusCode === 404;
}

function asS3StorageError(error: unknown): unknown {
  const name = (error as { name?: unknown } | null)?.name;
  if (typeof name === "string" && FULL_ERRORS.has(name)) return new AppError("storage_full");
  return asStorageError(error);
}

/**
 * The client, configured so S3-compatible stores work as well as AWS: request checksums only
 * where an operation requires one (recent SDKs add CRC32 checksums to every upload by default,
 * which MinIO, R2 and older servers reject or mishandle, and multipart uploads of a stream
 * cannot carry a whole-object checksum anyway), and response checksums only checked when asked.
 */
export function s3Client(config: S3StoreConfig): S3Client {
  const options: S3ClientConfig = {
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  };
  if (config.endpoint) options.endpoint = config.endpoint;
  if (config.credentials) options.credentials = config.credentials;
  return new S3Client(options);
}

/** The prefix as a folder: empty, or ending in exactly one `/`. */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, "");
  return trimmed ? `${trimmed}/` : "";
}

/** Drops the first `skip` bytes, passes `length`, ends (for a server that answered a range whole). */
function rangeOf(skip: number, length: number): Transform {
  let left = length;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let part = chunk;
      if (skip > 0) {
        const dropped = Math.min(skip, part.length);
        part = part.subarray(dropped);
        skip -= dropped;
      }
      if (left <= 0 || part.length === 0) return done();
      const kept = part.subarray(0, left);
      left -= kept.length;
      this.push(kept);
      if (left <= 0) this.push(null);
      done();
    },
  });
}

export function s3Storage(config: S3StoreConfig, client: S3Client = s3Client(config)): Storage & { client: S3Client } {
  const Bucket = config.bucket;
  const base = normalizePrefix(config.prefix);
  const pageSize = Math.min(1000, Math.max(1, config.listPageSize ?? 1000));
  const objectKey = (key: string) => {
    if (!isValidKey(key)) throw new Error(`Invalid storage key: ${key}`);
    return base + key;
  };
  /** Listing prefixes may be partial (`inputs/`, `clips/abc`): checked loosely, never with `..`. */
  const listKey = (prefix: string) => {
    if (prefix.split("/").some((part) => part === "." || part === "..")) throw new Error(`Invalid storage prefix: ${prefix}`);
    return base + prefix;
  };

  async function* pages(prefix: string) {
    let ContinuationToken: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: listKey(prefix), MaxKeys: pageSize, ContinuationToken }));
      yield page.Contents ?? [];
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  /**
   * DeleteObjects in batches of 1000; where a store refuses or fumbles the batch call (Google
   * Cloud Storage's XML API has none, s3rver races on it), one DeleteObject per key instead.
   */
  async function deleteKeys(keys: string[]) {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      let failed: string[];
      try {
        const result = await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
        failed = (result.Errors ?? []).filter((e) => e.Code !== "NoSuchKey" && e.Key).map((e) => e.Key!);
      } catch {
        failed = batch;
      }
      for (const Key of failed) await client.send(new DeleteObjectCommand({ Bucket, Key }));
    }
  }

  const storage: Storage & { client: S3Client } = {
    client,
    async put(key, body, opts = {}) {
      const Key = objectKey(key);
      const hash = createHash("sha256");
      let bytes = 0;
      let overLimit = false;
      const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
      // Counted and hashed on the way through; past the cap the stream fails, and the upload
      // with it (a single PUT is never sent, a multipart upload is aborted: nothing is left).
      async function* metered() {
        for await (const chunk of source) {
          const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
          bytes += buffer.length;
          if (opts.maxBytes !== undefined && bytes > opts.maxBytes) {
            overLimit = true;
            throw new StorageLimitError(opts.maxBytes);
          }
          hash.update(buffer);
          yield buffer;
        }
      }
      const stream = Readable.from(metered(), { objectMode: false });
      // The sha256 goes on the object as metadata when it is known before the first byte is
      // sent (a Buffer, or a caller that hashed its file: storage:copy), so a later copy can
      // skip the object; a streamed clip's hash is recorded on its row instead.
      const known = Buffer.isBuffer(body) ? createHash("sha256").update(body).digest("hex") : opts.sha256;
      const Metadata = known ? { [SHA256_METADATA]: known } : undefined;
      const upload = new Upload({
        client,
        params: { Bucket, Key, Body: stream, ContentType: contentTypeOf(key), Metadata },
        partSize: config.partSize ?? DEFAULT_PART_SIZE,
        queueSize: QUEUE_SIZE,
        leavePartsOnError: false,
      });
      try {
        await upload.done();
      } catch (error) {
        stream.destroy();
        if (overLimit) throw new StorageLimitError(opts.maxBytes!);
        throw asS3StorageError(error);
      }
      const sha256 = hash.digest("hex");
      if (known && known !== sha256) {
        // The file changed while it was read: the object's recorded hash would be a lie.
        await client.send(new DeleteObjectCommand({ Bucket, Key }));
        throw new Error(`The bytes of ${key} changed while they were copied`);
      }
      return { key, bytes, sha256 };
    },
    async stat(key) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key: objectKey(key) }));
        const info: ObjectInfo = { bytes: head.ContentLength ?? 0, modifiedAt: head.LastModified ?? new Date(0) };
        const sha256 = head.Metadata?.[SHA256_METADATA];
        if (sha256) info.sha256 = sha256;
        return info;
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },
    read(key, range) {
      const Key = objectKey(key);
      // Returned at once, filled once the GET answers: the bytes are piped through as they come
      // (no generator per chunk), and a consumer that stops early (a player seeking away)
      // aborts the request with it.
      const out = new PassThrough({ highWaterMark: READ_BUFFER_BYTES });
      const abort = new AbortController();
      out.once("close", () => abort.abort());
      client
        .send(new GetObjectCommand({ Bucket, Key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }), { abortSignal: abort.signal })
        .then((answer) => {
          const body = answer.Body as Readable;
          // Exactly the range, even from a server that ignores Range or stretches it (answers
          // more than asked): the media route has already promised its Content-Length.
          const wanted = range ? range.end - range.start + 1 : 0;
          const servedFrom = Number(/^bytes (\d+)-/.exec(answer.ContentRange ?? "")?.[1] ?? 0);
          const exact = range && (answer.ContentLength !== wanted || servedFrom !== range.start) ? [body, rangeOf(range.start - servedFrom, wanted)] : [body];
          return pipeline([...exact, out] as unknown as [Readable, PassThrough]);
        })
        .catch((error: unknown) => {
          if (!out.destroyed) out.destroy(error as Error);
        });
      return out;
    },
    async withLocalFile(key, fn) {
      return withTempDir(`seedance-s3-${process.pid}-`, async (dir) => {
        const file = path.join(dir, path.basename(key));
        await pipeline(storage.read(key), createWriteStream(file));
        return fn(file);
      });
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: objectKey(key) }));
    },
    async deletePrefix(prefix) {
      // Collected first, then deleted: deleting while listing would shift the pages under us.
      const keys: string[] = [];
      for await (const page of pages(prefix)) for (const object of page) if (object.Key) keys.push(object.Key);
      await deleteKeys(keys);
    },
    async list(prefix) {
      const found: (ObjectInfo & { key: string })[] = [];
      for await (const page of pages(prefix)) {
        for (const object of page) {
          if (!object.Key) continue;
          found.push({ key: object.Key.slice(base.length), bytes: object.Size ?? 0, modifiedAt: object.LastModified ?? new Date(0) });
        }
      }
      return found;
    },
    async signedUrl(key, opts) {
      const command = new GetObjectCommand({
        Bucket,
        Key: objectKey(key),
        ResponseContentType: contentTypeOf(key),
        ResponseContentDisposition: opts.contentDisposition,
        ResponseCacheControl: opts.cacheControl,
      });
      return getSignedUrl(client, command, { expiresIn: opts.expiresInSec });
    },
  };
  return storage;
}
