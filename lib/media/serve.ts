import "server-only";
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { AppError } from "@/lib/errors";
import { appErrorResponse } from "@/lib/errors/answer";
import { contentTypeOf, isValidKey, type Storage } from "@/lib/storage";


/** `bytes=a-b`, `bytes=a-`, `bytes=-n`; null for none or a multi-range (answered whole). */
export function parseRange(header: string | null, size: number): { start: number; end: number } | "unsatisfiable" | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, from, to] = match;
  if (from === "" && to === "") return null;
  let start: number;
  let end: number;
  if (from === "") {
    const suffix = Number(to);
    if (suffix === 0) return "unsatisfiable";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(from);
    end = to === "" ? size - 1 : Math.min(Number(to), size - 1);
  }
  if (start >= size || start > end) return "unsatisfiable";
  return { start, end };
}

/**
 * Who may keep a copy, and for how long.
 * - `studio`: the creator's own clips and inputs. Keys never change content (a regenerated clip
 *   gets a new id), so the browser keeps them a year; `private` keeps them out of shared caches
 *   (a CDN or company proxy), which would hand a gated clip to anyone and keep a deleted one.
 * - `share`: a public link's media. Any cache may hold it, for a minute: a revoked link stops
 *   playing from caches within that minute, and after it a cache must ask again (the ETag makes
 *   that a 304 while the link lives).
 */
export const CACHE_POLICIES = {
  studio: "private, max-age=31536000, immutable",
  share: "public, max-age=60, must-revalidate",
} as const;
export type CachePolicy = keyof typeof CACHE_POLICIES;

/**
 * How long a redirect's signed URL works: long enough for a player to keep seeking through the
 * file it loaded, short enough that a revoked share or a deleted clip stops soon after.
 */
export const REDIRECT_URL_TTL_SEC = 600;

/** The entity tags of an If-None-Match header (weak ones without their `W/`), or "*". */
function entityTags(header: string): string[] | "*" {
  if (header.trim() === "*") return "*";
  return [...header.matchAll(/(?:W\/)?("[^"]*")/g)].map((m) => m[1]!);
}

/** If-None-Match uses the weak comparison (RFC 9110 13.1.2): `W/"x"` matches `"x"`. */
function noneMatch(header: string | null, etag: string): boolean {
  if (header === null) return false;
  const tags = entityTags(header);
  return tags === "*" || tags.includes(etag);
}

/** Serves one stored object: Range (206), ETag/304, the cache policy, nosniff, optional attachment. */
export async function serveStoredObject(
  storage: Storage,
  key: string,
  request: Request,
  /**
   * `cache` defaults to the studio's (private) policy: nothing reaches a shared cache unless asked.
   * `delivery: "redirect"` (MEDIA_DELIVERY) answers a store that can sign with a redirect to a
   * short-lived URL of the object, after the same checks; other stores stream as usual.
   */
  opts: { downloadName?: string; cache?: CachePolicy; delivery?: "stream" | "redirect" } = {},
): Promise<Response> {
  if (!isValidKey(key)) return appErrorResponse(new AppError("media_not_found"));
  const contentType = contentTypeOf(key);
  const info = contentType ? await storage.stat(key) : null;
  if (!contentType || !info) return appErrorResponse(new AppError("media_not_found"));

  const etag = `"${createHash("sha1").update(`${key}:${info.bytes}:${info.modifiedAt.getTime()}`).digest("base64url")}"`;
  const headers = new Headers({
    "content-type": contentType,
    "accept-ranges": "bytes",
    etag,
    "cache-control": CACHE_POLICIES[opts.cache ?? "studio"],
    "x-content-type-options": "nosniff",
  });
  if (opts.downloadName) {
    const ascii = opts.downloadName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
    headers.set("content-disposition", `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(opts.downloadName)}`);
  }
  if (noneMatch(request.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers });
  if (opts.delivery === "redirect" && storage.signedUrl) {
    // The bytes leave from the store; its answer carries our type, cache policy and file name.
    const location = await storage.signedUrl(key, {
      expiresInSec: REDIRECT_URL_TTL_SEC,
      cacheControl: CACHE_POLICIES[opts.cache ?? "studio"],
      contentDisposition: headers.get("content-disposition") ?? undefined,
    });
    // Never cached: the next load asks us again, so access is checked again and the URL is fresh.
    return new Response(null, { status: 302, headers: { location, "cache-control": "private, no-store", "x-content-type-options": "nosniff" } });
  }

  // If-Range uses the strong comparison: a weak tag (or a date) gets the whole file.
  const ifRange = request.headers.get("if-range");
  const range = ifRange && ifRange !== etag ? null : parseRange(request.headers.get("range"), info.bytes);
  if (range === "unsatisfiable") {
    headers.set("content-range", `bytes */${info.bytes}`);
    return new Response(null, { status: 416, headers });
  }
  const body = (stream: Readable) => Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>;
  if (range) {
    headers.set("content-range", `bytes ${range.start}-${range.end}/${info.bytes}`);
    headers.set("content-length", String(range.end - range.start + 1));
    return new Response(request.method === "HEAD" ? null : body(storage.read(key, range)), { status: 206, headers });
  }
  // Next (16.4, send-response.js) drops Content-Length from every route handler's answer and
  // sends the body chunked; it is set anyway for callers in-process and any server that keeps it.
  headers.set("content-length", String(info.bytes));
  return new Response(request.method === "HEAD" ? null : body(storage.read(key)), { status: 200, headers });
}

/** A readable file name: `a-fox-in-the-snow-seed-42.mp4`. */
export function downloadFileName(prompt: string, seed: number | null, extension: string): string {
  const slug =
    prompt
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^\p{L}\p{N}]+/gu, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60)
      .replace(/-+$/g, "") || "seedance-clip";
  return `${slug}${seed !== null ? `-seed-${seed}` : ""}.${extension}`;
}
