import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { LIMITS } from "@/lib/seedance/models";
import type { AppConfig } from "@/lib/context";

/**
 * How long a callback URL outlives its task's own expiry (`execution_expires_after`): room for
 * a delivery the upstream sends late or retries, and for clocks that disagree a little.
 */
export const CALLBACK_URL_MARGIN_SEC = 3600;

const mac = (secret: string, id: string, expiresAtSec: number) =>
  createHmac("sha256", secret).update(`callback:${id}:${expiresAtSec}`).digest("base64url");

/**
 * The per-generation secret in a callback URL, `<expiry>.<mac>`: the expiry (Unix seconds) is
 * inside the HMAC, so a leaked URL stops working once its task can no longer call back.
 */
export function callbackSignature(secret: string, id: string, expiresAtSec: number): string {
  return `${expiresAtSec}.${mac(secret, id, expiresAtSec)}`;
}

/**
 * The URL given upstream for one task. `taskLifetimeSec` is the task's `execution_expires_after`;
 * without it the longest the contract allows is assumed, so no task outlives its URL.
 */
export function callbackUrlFor(
  config: Pick<AppConfig, "callbackBaseUrl" | "callbackSecret">,
  id: string,
  { taskLifetimeSec = LIMITS.expiresMax, now = Date.now() }: { taskLifetimeSec?: number; now?: number } = {},
): string | undefined {
  if (!config.callbackBaseUrl) return undefined;
  const expiresAtSec = Math.ceil(now / 1000) + taskLifetimeSec + CALLBACK_URL_MARGIN_SEC;
  return `${config.callbackBaseUrl}/api/callbacks/seedance/${encodeURIComponent(id)}?sig=${callbackSignature(config.callbackSecret, id, expiresAtSec)}`;
}

export type CallbackSignatureCheck = "valid" | "invalid" | "expired";

/**
 * Constant-time check of a callback's signature, then of its expiry (only a genuine URL learns
 * that it expired). Pure: costs no database read and no upstream call.
 */
export function checkCallbackSignature(secret: string, id: string, signature: string | null, now = Date.now()): CallbackSignatureCheck {
  const match = signature ? /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(signature) : null;
  if (!match) return "invalid";
  const expiresAtSec = Number(match[1]);
  const expected = Buffer.from(mac(secret, id, expiresAtSec));
  const given = Buffer.from(match[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return "invalid";
  return expiresAtSec * 1000 < now ? "expired" : "valid";
}
