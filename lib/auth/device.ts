/**
 * The "signed in here before" cookie: `<id>.<mac>`, handed out by a successful sign-in and kept
 * across sign-outs. It proves nothing about who is at the keyboard (it is no session); it only
 * lets the sign-in guard (lockout.ts) tell the owner's browsers from a flood of strangers, whose
 * wrong passwords then slow strangers only. Pure (node:crypto), like session.ts.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const DEVICE_COOKIE = "studio_device";
/** The longest a browser keeps a cookie (Chrome caps at 400 days). */
export const DEVICE_TTL_SEC = 400 * 86_400;

function mac(secret: string, id: string): string {
  return createHmac("sha256", secret).update("seedance-studio device v1\0").update(id).digest("base64url");
}

export function signDevice(secret: string): string {
  const id = randomBytes(16).toString("base64url");
  return `${id}.${mac(secret, id)}`;
}

/** The device id of a cookie this server signed, else null. */
export function verifyDevice(token: string | undefined | null, secret: string): string | null {
  if (!token || token.length > 128) return null;
  const [id, given, extra] = token.split(".");
  if (!id || !given || extra !== undefined) return null;
  const a = Buffer.from(given, "base64url");
  const b = Buffer.from(mac(secret, id), "base64url");
  return a.length === b.length && timingSafeEqual(a, b) ? id : null;
}
