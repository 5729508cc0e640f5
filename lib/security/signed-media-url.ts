import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Signed, expiring links to one stored object, for the upstream to fetch reference media
 * (docs/seedance-contract.md#seedance-2x, decision 2): it has no session, so the link itself is the
 * permission. `sig=<expiry>.<mac>` with the HMAC over the object's key and the expiry (Unix
 * seconds), in its own domain (`media:`), so a callback signature made with the same secret never
 * passes for a media one. A link opens exactly the key it was made for, until it expires.
 */

/** The query parameter the media route reads. */
export const MEDIA_SIGNATURE_PARAM = "sig";

/**
 * How long a link outlives its task's own time limit (`execution_expires_after`): the upstream
 * may fetch late in a long queue, and clocks may disagree a little.
 */
export const MEDIA_URL_MARGIN_SEC = 3600;

const mac = (secret: string, key: string, expiresAtSec: number) =>
  createHmac("sha256", secret).update(`media:${key}:${expiresAtSec}`).digest("base64url");

export function mediaSignature(secret: string, key: string, expiresAtSec: number): string {
  return `${expiresAtSec}.${mac(secret, key, expiresAtSec)}`;
}

/** The media route's path of a key, each segment encoded (keys are ASCII, but never trust that). */
const mediaPath = (key: string) => `/api/media/${key.split("/").map(encodeURIComponent).join("/")}`;

/**
 * The absolute URL the upstream is given for one stored object, valid for `lifetimeSec` (the
 * task's `execution_expires_after`) plus the margin.
 */
export function signedMediaUrl({
  baseUrl,
  secret,
  key,
  lifetimeSec,
  now = Date.now(),
}: {
  baseUrl: string;
  secret: string;
  key: string;
  lifetimeSec: number;
  now?: number;
}): string {
  const expiresAtSec = Math.ceil(now / 1000) + lifetimeSec + MEDIA_URL_MARGIN_SEC;
  return `${baseUrl.replace(/\/$/, "")}${mediaPath(key)}?${MEDIA_SIGNATURE_PARAM}=${mediaSignature(secret, key, expiresAtSec)}`;
}

export type MediaSignatureCheck = "valid" | "invalid" | "expired";

/**
 * Constant-time check of a signature for `key` (the key as the route reads it from the path),
 * then of its expiry: only a genuine link learns that it expired.
 */
export function checkMediaSignature(secret: string, key: string, signature: string | null, now = Date.now()): MediaSignatureCheck {
  const match = signature ? /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(signature) : null;
  if (!match) return "invalid";
  const expiresAtSec = Number(match[1]);
  const expected = Buffer.from(mac(secret, key, expiresAtSec));
  const given = Buffer.from(match[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return "invalid";
  return expiresAtSec * 1000 < now ? "expired" : "valid";
}
