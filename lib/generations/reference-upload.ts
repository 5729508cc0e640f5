import "server-only";
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { AppContext } from "@/lib/context";
import { AppError, coded, type Coded } from "@/lib/errors";
import { REFERENCE_GC_GRACE_MS } from "@/lib/jobs/input-gc";
import { pixelProblem, sniffImage } from "@/lib/media/image-check";
import { imageSize } from "@/lib/media/probe";
import { checkUploadedAudio, checkUploadedVideo } from "@/lib/media/reference-check";
import { REFERENCE_KINDS, type ReferenceKind } from "@/lib/seedance/models";
import { referenceUploadMaxBytes } from "@/lib/seedance/rules";
import { MEDIA_PREFIX, mediaUrl, referenceKey } from "@/lib/storage/keys";
import { withTempDir } from "@/lib/storage/spool";

/**
 * A reference image, video or audio clip sent as a file (app/api/references), for requests whose
 * media are too large to travel as data: URLs inside a server action or a JSON body. The body is
 * streamed to a private temp file with the kind's byte cap (the most any model takes), checked
 * there with the same helpers as every other reference (held to the widest limits of any model:
 * the chosen model's are checked when the clip is created), and only then stored, content-named,
 * as `refs/<sha256>.<ext>`. A create then names it `media:refs/<sha256>.<ext>`.
 */

export interface UploadedReference {
  /** What a create's `referenceImages` / `referenceVideos` / `referenceAudios` takes. */
  ref: string;
  /** Our media route's URL of the stored file (a preview for the composer). */
  url: string;
  kind: ReferenceKind;
  bytes: number;
  seconds?: number;
  width?: number;
  height?: number;
}

/** Where an upload's problems are reported: the file is the body. */
const BODY_FIELD = "body";

const refused = (error: Coded, field = BODY_FIELD) => AppError.from(error, { fieldErrors: { [field]: [error] } });

/** `?kind=` of the upload: image, video or audio. */
export function uploadKind(value: string | null): ReferenceKind {
  if (value && (REFERENCE_KINDS as readonly string[]).includes(value)) return value as ReferenceKind;
  throw refused(coded("upload_kind_invalid"), "kind");
}

function tooLarge(kind: ReferenceKind, maxBytes: number): AppError {
  return refused(coded("upload_too_large", { kind, max: Math.round(maxBytes / 1024 / 1024) }));
}

/**
 * The body's chunks, at most `maxBytes` of them, hashed on the way. Past the cap it stops reading
 * (the rest of the client's body is cancelled, never buffered) and throws `upload_too_large`; a
 * body that breaks off (the client went away) is `file_unreadable`.
 */
async function* capped(body: ReadableStream<Uint8Array>, kind: ReferenceKind, maxBytes: number, hash: ReturnType<typeof createHash>, seen: { bytes: number }) {
  const reader = body.getReader();
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        throw new AppError("file_unreadable", {}, { fieldErrors: { [BODY_FIELD]: [coded("file_unreadable")] }, cause: error });
      }
      if (next.done) return;
      seen.bytes += next.value.byteLength;
      if (seen.bytes > maxBytes) throw tooLarge(kind, maxBytes);
      hash.update(next.value);
      yield next.value;
    }
  } finally {
    // Stopped early (past the cap, or the disk refused a write): the client's body is not read on.
    await reader.cancel().catch(() => undefined);
  }
}

/** The file's checks by kind: its stored extension and what the composer shows. */
async function checkFile(kind: ReferenceKind, file: string, bytes: number): Promise<{ ext: string; seconds?: number; width?: number; height?: number }> {
  if (kind === "image") {
    const handle = await fs.open(file, "r");
    const head = Buffer.alloc(16);
    try {
      await handle.read(head, 0, head.length, 0);
    } finally {
      await handle.close();
    }
    const type = sniffImage(head);
    if (!type) throw refused(coded("image_not_image"));
    const size = await imageSize(file).catch(() => null);
    if (!size) throw refused(coded("image_unreadable"));
    const problem = pixelProblem(size.width, size.height);
    if (problem) throw refused(problem);
    return { ext: type.ext, width: size.width, height: size.height };
  }
  if (kind === "video") {
    const video = await checkUploadedVideo(file, bytes);
    if ("code" in video) throw refused(video);
    return { ext: video.ext, seconds: video.seconds, width: video.width, height: video.height };
  }
  const audio = await checkUploadedAudio(file, bytes);
  if ("code" in audio) throw refused(audio);
  return { ext: audio.ext, seconds: audio.seconds };
}

/**
 * Reads, checks and stores one upload of `kind` from `request`'s body. `stored` is false when the
 * same bytes were stored already (a repeat upload: nothing is written, unless that copy is old
 * enough that the unused-input sweep could take it before a create refers to it, when writing
 * it again makes it new). Nothing is left in the temp folder, whatever happens.
 */
export async function uploadReference(ctx: AppContext, request: Request, kind: ReferenceKind): Promise<{ upload: UploadedReference; stored: boolean }> {
  const maxBytes = referenceUploadMaxBytes(kind);
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) {
    await request.body?.cancel().catch(() => undefined);
    throw tooLarge(kind, maxBytes);
  }
  if (!request.body) throw refused(coded("upload_empty"));
  const body = request.body;
  return withTempDir("seedance-upload-", async (dir) => {
    const file = path.join(dir, "body");
    const hash = createHash("sha256");
    const seen = { bytes: 0 };
    await pipeline(capped(body, kind, maxBytes, hash, seen), createWriteStream(file));
    if (seen.bytes === 0) throw refused(coded("upload_empty"));
    const checked = await checkFile(kind, file, seen.bytes);
    const sha256 = hash.digest("hex");
    const key = referenceKey(sha256, checked.ext);
    const existing = await ctx.storage.stat(key);
    const fresh = existing !== null && Date.now() - existing.modifiedAt.getTime() < REFERENCE_GC_GRACE_MS / 2;
    if (!fresh) await ctx.storage.put(key, createReadStream(file), { maxBytes, sha256 });
    const upload: UploadedReference = { ref: `${MEDIA_PREFIX}${key}`, url: mediaUrl(key), kind, bytes: seen.bytes };
    for (const name of ["seconds", "width", "height"] as const) if (checked[name] !== undefined) upload[name] = checked[name];
    return { upload, stored: existing === null };
  });
}
