import "server-only";
import fs from "node:fs";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { env } from "@/lib/env";
import { guardedFetch, UnsafeUrlError, type UrlPolicy } from "@/lib/security/url-guard";

/**
 * Everything the simulator sends out (image downloads, callback POSTs) goes through the URL
 * guard, like the app's own downloads: the simulator plays a provider on the internet, so it
 * reaches the app that runs it (its internal and public origins) and public https hosts, and
 * never loopback, private networks or metadata addresses. ALLOW_PRIVATE_UPSTREAM does not
 * widen this: that setting is about where the app's upstream lives, not about what an
 * upstream may reach.
 */
export function simulatorUrlPolicy(): UrlPolicy {
  const config = env();
  const origins = [config.internalBaseUrl, config.publicBaseUrl].flatMap((url) => (url ? [new URL(url).origin] : []));
  return { trustedOrigins: [...new Set(origins)], allowPrivate: false };
}

/** The contract's image limit (30 MB per image): more is never read. */
export const MAX_IMAGE_BYTES = 30 * 1024 * 1024;
const IMAGE_TIMEOUT_MS = 15_000;
const CALLBACK_TIMEOUT_MS = 30_000;

/** An image the simulator will not use whatever happens next: refused by the guard, or too large. */
export class ImageRefusedError extends Error {}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/**
 * Downloads an https image into `file`, streamed and capped. True when written; false when the
 * host could not be reached or answered an error (a closed network: the clip renders without
 * it, as before); throws ImageRefusedError when the address is refused or the image too large.
 */
export async function downloadImage(url: string, file: string, opts: { policy?: UrlPolicy; maxBytes?: number } = {}): Promise<boolean> {
  const maxBytes = opts.maxBytes ?? MAX_IMAGE_BYTES;
  const tooLarge = () => new ImageRefusedError(`the image is larger than ${mb(maxBytes)} MB.`);
  let response: Response;
  try {
    response = await guardedFetch(url, opts.policy ?? simulatorUrlPolicy(), { signal: AbortSignal.timeout(IMAGE_TIMEOUT_MS) });
  } catch (error) {
    if (error instanceof UnsafeUrlError) throw new ImageRefusedError(error.reason);
    return false;
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    return false;
  }
  if (Number(response.headers.get("content-length") ?? "0") > maxBytes) {
    await response.body.cancel();
    throw tooLarge();
  }
  let total = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.byteLength;
      done(total > maxBytes ? tooLarge() : null, chunk);
    },
  });
  try {
    // An error in the cap destroys the source, which cancels the download mid-stream.
    await pipeline(Readable.fromWeb(response.body as unknown as WebReadableStream), cap, fs.createWriteStream(file));
    return true;
  } catch (error) {
    await fs.promises.rm(file, { force: true });
    if (error instanceof ImageRefusedError) throw error;
    return false;
  }
}

export type CallbackOutcome = { delivered: true } | { delivered: false; retry: boolean; reason: string };

/**
 * One callback POST through the guard. Redirects are not followed (a webhook that moves is
 * refused, not chased); a refused address is final, a 5xx or a network error may be retried.
 */
export async function postCallback(url: string, body: unknown, policy: UrlPolicy = simulatorUrlPolicy()): Promise<CallbackOutcome> {
  try {
    const response = await guardedFetch(url, policy, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
      maxRedirects: 0,
    });
    await response.body?.cancel();
    if (response.status < 500) return { delivered: true };
    return { delivered: false, retry: true, reason: `the callback answered HTTP ${response.status}` };
  } catch (error) {
    if (error instanceof UnsafeUrlError) {
      const redirect = /redirect/i.test(error.reason);
      return { delivered: false, retry: false, reason: redirect ? "the callback URL redirects; callbacks do not follow redirects." : error.reason };
    }
    return { delivered: false, retry: true, reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Fetches one reference (image, video or audio) the way the upstream does: over HTTP, without
 * cookies or credentials, through the guard, capped at `maxBytes`. Null when written; otherwise
 * why it could not be read, in the upstream's plain words (the task then fails with it).
 */
export async function fetchReference(url: string, file: string, maxBytes: number, policy: UrlPolicy = simulatorUrlPolicy()): Promise<string | null> {
  let response: Response;
  try {
    response = await guardedFetch(url, policy, { signal: AbortSignal.timeout(IMAGE_TIMEOUT_MS * 2) });
  } catch (error) {
    if (error instanceof UnsafeUrlError) return `the address is refused (${error.reason})`;
    return "the address could not be reached";
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    return `the address answered HTTP ${response.status}`;
  }
  let total = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.byteLength;
      done(total > maxBytes ? new ImageRefusedError(`the file is larger than ${mb(maxBytes)} MB`) : null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body as unknown as WebReadableStream), cap, fs.createWriteStream(file));
    return null;
  } catch (error) {
    await fs.promises.rm(file, { force: true });
    return error instanceof ImageRefusedError ? error.message : "the download broke off";
  }
}
