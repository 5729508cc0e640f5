import "server-only";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AppContext } from "@/lib/context";
import { getGenerationById } from "@/lib/db/generations";
import { AppError, coded, type Coded, type FieldErrors } from "@/lib/errors";
import { decodeImageDataUrl, pixelProblem, sniffImage } from "@/lib/media/image-check";
import { imageSize } from "@/lib/media/probe";
import { checkReferenceAudio, checkReferenceVideo, referenceSetProblems } from "@/lib/media/reference-check";
import { imageBytesProblem } from "@/lib/seedance/image-rules";
import { IMAGE_LIMITS, MODELS, REFERENCE_ITEMS, type ReferenceKind } from "@/lib/seedance/models";
import { CLIP_REFERENCE, isUploadedReference, referenceCounts } from "@/lib/seedance/rules";
import type { GenerationSpec } from "@/lib/seedance/schema";
import { guardedFetch } from "@/lib/security/url-guard";
import { MEDIA_PREFIX, referenceKey } from "@/lib/storage/keys";

/**
 * Reference media of a 2.x request, made our own (decision 2 and 3): each image, video and audio
 * clip is read (a data: URL, an https URL fetched through the URL guard, an upload already stored
 * as `media:refs/...`, or one of our clips by id), checked against the model's limits alone and
 * together, and only when all pass stored as `refs/<sha256>.<ext>` (an upload and a clip keep the
 * key they have). The stored request then names them `media:refs/...` (or the clip's own
 * `media:clips/<id>/video.mp4`), and the submit sends each as a signed link of our media route.
 */

type ReferenceField = (typeof REFERENCE_ITEMS)[ReferenceKind]["field"];
type ReferenceLists = Pick<GenerationSpec, ReferenceField>;

const FETCH_TIMEOUT_MS = 60_000;
const KINDS = ["image", "video", "audio"] as const;

/** One checked reference: bytes to store, or a key we hold already (a clip). */
type Checked = { kind: ReferenceKind; bytes: Buffer; ext: string } | { kind: ReferenceKind; key: string };

/** Bytes a reference of this kind may have before it is even probed. */
function maxBytesOf(spec: GenerationSpec, kind: ReferenceKind): number {
  const limits = MODELS[spec.model].references!;
  if (kind === "image") return IMAGE_LIMITS.maxBytes;
  if (kind === "video") return limits.video.totalMaxBytes;
  return limits.audio.maxBytesEach;
}

class ReferenceRefused extends Error {
  constructor(readonly error: Coded) {
    super(error.code);
  }
}

/** An https reference, fetched as the upstream would, capped (no private addresses, no credentials). */
async function fetchReference(spec: GenerationSpec, url: string, kind: ReferenceKind, n: number): Promise<Buffer> {
  const maxBytes = maxBytesOf(spec, kind);
  const failed = () => new ReferenceRefused(coded("reference_fetch_failed", { kind, n }));
  let response: Response;
  try {
    response = await guardedFetch(url, { trustedOrigins: [], allowPrivate: false }, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch {
    throw failed();
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw failed();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      await response.body.cancel().catch(() => undefined);
      throw new ReferenceRefused(tooLarge(spec, kind, total, maxBytes, n));
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

function tooLarge(spec: GenerationSpec, kind: ReferenceKind, bytes: number, max: number, n: number): Coded {
  const mb = Math.round((bytes / 1024 / 1024) * 10) / 10;
  const maxMb = Math.round(max / 1024 / 1024);
  if (kind === "audio") return coded("reference_audio_bytes", { n, mb, max: maxMb });
  if (kind === "image") return imageBytesProblem(bytes)!;
  return coded("reference_videos_bytes", { mb, max: maxMb, model: MODELS[spec.model].label });
}

const dataBytes = (url: string) => Buffer.from(url.slice(url.indexOf(",") + 1).replace(/\s/g, ""), "base64");

/** The first bytes of a file, for its magic number. */
async function headOf(file: string): Promise<Buffer> {
  const handle = await fs.promises.open(file, "r");
  try {
    const head = Buffer.alloc(32);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Checks the reference in `file` (`bytes` long) against the model's limits for one item: the same
 * checks whichever way it came. Answers its stored extension and seconds.
 */
async function checkFile(spec: GenerationSpec, kind: ReferenceKind, file: string, bytes: number, n: number): Promise<{ ext: string; seconds: number }> {
  if (kind === "image") {
    const type = sniffImage(await headOf(file));
    if (!type) throw new ReferenceRefused(coded("image_not_image"));
    const tooBig = imageBytesProblem(bytes);
    if (tooBig) throw new ReferenceRefused(tooBig);
    const size = await imageSize(file).catch(() => null);
    if (!size) throw new ReferenceRefused(coded("image_unreadable"));
    const problem = pixelProblem(size.width, size.height);
    if (problem) throw new ReferenceRefused(problem);
    return { ext: type.ext, seconds: 0 };
  }
  if (kind === "video") {
    if (bytes >= maxBytesOf(spec, kind)) throw new ReferenceRefused(tooLarge(spec, kind, bytes, maxBytesOf(spec, kind), n));
    const video = await checkReferenceVideo(spec.model, file, bytes, n);
    if ("code" in video) throw new ReferenceRefused(video);
    return { ext: video.ext, seconds: video.seconds };
  }
  const audio = await checkReferenceAudio(spec.model, file, bytes, n);
  if ("code" in audio) throw new ReferenceRefused(audio);
  return { ext: audio.ext, seconds: audio.seconds };
}

/**
 * An upload (`media:refs/<sha256>.<ext>`, app/api/references), read where it is stored: checked
 * like any other bytes for this model, and kept under its own key (nothing is written again).
 */
async function checkUploaded(ctx: AppContext, spec: GenerationSpec, kind: ReferenceKind, ref: string, n: number) {
  const key = ref.slice(MEDIA_PREFIX.length);
  const info = await ctx.storage.stat(key);
  if (!info) throw new ReferenceRefused(coded("reference_upload_missing", { kind, n }));
  const { ext, seconds } = await ctx.storage.withLocalFile(key, (file) => checkFile(spec, kind, file, info.bytes, n)).catch(async (error: unknown) => {
    // Gone between the look and the read (the unused-input sweep): the same answer as not there.
    if (!(error instanceof ReferenceRefused) && !(await ctx.storage.stat(key))) throw new ReferenceRefused(coded("reference_upload_missing", { kind, n }));
    throw error;
  });
  // The key's extension was chosen by these same checks when it was stored; a file of another
  // type under it (a store edited by hand) is not sent as what it is not.
  if (!key.endsWith(`.${ext}`)) throw new ReferenceRefused(coded("reference_unreadable", { kind, n }));
  return { checked: { kind, key } satisfies Checked, seconds, bytes: info.bytes };
}

/** Checks one reference in `dir` and answers what to store. */
async function checkOne(ctx: AppContext, spec: GenerationSpec, kind: ReferenceKind, url: string, index: number, dir: string) {
  const n = index + 1;
  const clip = kind === "video" ? CLIP_REFERENCE.exec(url) : null;
  if (clip) {
    const row = await getGenerationById({ db: ctx.db, id: clip[1]! });
    if (!row || row.status !== "succeeded" || !row.videoKey) throw new ReferenceRefused(coded("clip_reference_missing", { id: clip[1]! }));
    const limits = MODELS[spec.model].references!.video;
    const seconds = row.durationSec ?? 0;
    if (seconds < limits.minSec || seconds > limits.maxSec + 0.05) {
      const rounded = Math.round(seconds * 10) / 10;
      throw new ReferenceRefused(coded("reference_video_length", { n, seconds: rounded, min: limits.minSec, max: limits.maxSec, model: MODELS[spec.model].label }));
    }
    return { checked: { kind, key: row.videoKey } satisfies Checked, seconds, bytes: row.videoBytes ?? 0 };
  }
  if (isUploadedReference(url, kind)) return checkUploaded(ctx, spec, kind, url, n);
  let bytes: Buffer;
  if (url.startsWith("data:")) {
    bytes = kind === "image" ? decodeImageDataUrl(url, `${REFERENCE_ITEMS[kind].field}.${index}`).bytes : dataBytes(url);
  } else {
    bytes = await fetchReference(spec, url, kind, n);
  }
  const file = path.join(dir, `${kind}-${index}`);
  await fs.promises.writeFile(file, bytes);
  const { ext, seconds } = await checkFile(spec, kind, file, bytes.length, n);
  return { checked: { kind, bytes, ext } satisfies Checked, seconds, bytes: bytes.length };
}

/**
 * Checks every reference of `spec` (nothing is stored yet) and answers a `store()` that writes
 * them and gives the stored lists, or null when the spec has none. Throws a 400 with field
 * errors naming each refused item, or saying what to configure when the upstream could not
 * fetch our copies (no public base URL with a real token).
 */
export async function checkReferences(ctx: AppContext, spec: GenerationSpec): Promise<{ store: () => Promise<ReferenceLists> } | null> {
  if (referenceCounts(spec).total === 0) return null;
  if (!ctx.config.mediaBaseUrl) {
    const field = KINDS.map((kind) => REFERENCE_ITEMS[kind].field).find((f) => spec[f]?.length)!;
    throw new AppError("public_base_url_missing", {}, { fieldErrors: { [field]: [coded("public_base_url_missing")] } });
  }
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "seedance-refs-"));
  const fieldErrors: FieldErrors = {};
  const results: Record<ReferenceKind, { checked: Checked; seconds: number; bytes: number }[]> = { image: [], video: [], audio: [] };
  try {
    for (const kind of KINDS) {
      const field = REFERENCE_ITEMS[kind].field;
      for (const [index, url] of (spec[field] ?? []).entries()) {
        try {
          results[kind].push(await checkOne(ctx, spec, kind, url, index, dir));
        } catch (error) {
          const refused = error instanceof ReferenceRefused ? error.error : error instanceof AppError ? error.coded : null;
          if (!refused) throw error;
          (fieldErrors[`${field}.${index}`] ??= []).push(refused);
        }
      }
    }
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
  for (const problem of referenceSetProblems(spec.model, results.video, results.audio)) {
    (fieldErrors[REFERENCE_ITEMS[problem.kind].field] ??= []).push(problem.error);
  }
  if (Object.keys(fieldErrors).length > 0) throw new AppError("fields_invalid", {}, { fieldErrors });
  return {
    async store() {
      const lists: ReferenceLists = {};
      for (const kind of KINDS) {
        if (results[kind].length === 0) continue;
        const stored: string[] = [];
        for (const { checked } of results[kind]) {
          if ("key" in checked) {
            stored.push(`${MEDIA_PREFIX}${checked.key}`);
            continue;
          }
          const key = referenceKey(createHash("sha256").update(checked.bytes).digest("hex"), checked.ext);
          await ctx.storage.put(key, checked.bytes);
          stored.push(`${MEDIA_PREFIX}${key}`);
        }
        lists[REFERENCE_ITEMS[kind].field] = stored;
      }
      return lists;
    },
  };
}
