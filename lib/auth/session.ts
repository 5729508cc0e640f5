/**
 * Session cookies: `<payload>.<mac>`, both base64url. The payload is `{ sid, iat, exp }`; the
 * MAC is HMAC-SHA256 under a key derived from SESSION_SECRET *and* the studio password, so
 * changing the password signs everyone out. Pure functions (node:crypto only): the proxy,
 * the server actions and the unit tests share them.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { AppError } from "@/lib/errors";
import { appErrorResponse } from "@/lib/errors/answer";

export const SESSION_COOKIE = "studio_session";

/** The proxy's answer to an API request without a session, in the one error shape. */
export function unauthorizedApiResponse(): Response {
  return appErrorResponse(new AppError("unauthorized"));
}

export interface Session {
  sid: string;
  iat: number;
  exp: number;
}

function keyFor(secret: string, password: string): Buffer {
  return createHmac("sha256", secret).update("seedance-studio session v1\0").update(createHash("sha256").update(password).digest()).digest();
}

function mac(key: Buffer, payload: string): string {
  return createHmac("sha256", key).update(payload).digest("base64url");
}

export function signSession(
  { secret, password, ttlSec, now = Date.now() }: { secret: string; password: string; ttlSec: number; now?: number },
): { token: string; session: Session } {
  const session: Session = { sid: randomBytes(16).toString("base64url"), iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + ttlSec };
  const payload = Buffer.from(JSON.stringify(session)).toString("base64url");
  return { token: `${payload}.${mac(keyFor(secret, password), payload)}`, session };
}

/** The session in a cookie value, or null when it is missing, malformed, forged or expired. */
export function verifySession(
  token: string | undefined | null,
  { secret, password, now = Date.now() }: { secret: string; password: string; now?: number },
): Session | null {
  if (!token || token.length > 512) return null;
  const dot = token.indexOf(".");
  if (dot <= 0 || dot !== token.lastIndexOf(".")) return null;
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), "base64url");
  const expected = Buffer.from(mac(keyFor(secret, password), payload), "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const session = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Partial<Session>;
    if (typeof session.sid !== "string" || typeof session.exp !== "number" || typeof session.iat !== "number") return null;
    if (session.exp * 1000 <= now) return null;
    return session as Session;
  } catch {
    return null;
  }
}

/** Constant-time password check: both sides are hashed to equal length before comparing. */
export function passwordMatches(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}

/** A same-origin path to return to after signing in; anything else becomes `/`. */
export function safeNextPath(raw: unknown): string {
  if (typeof raw !== "string" || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\") || raw.length > 1000) return "/";
  if (/[\u0000-\u001f\\]/.test(raw)) return "/";
  if (raw.startsWith("/sign-in")) return "/";
  // It becomes a Location header: the URL parser percent-encodes non-ASCII (which Node refuses in
  // a header, a 500), and the origin check catches anything it reads as another host.
  const base = "http://next.invalid";
  const url = new URL(raw, base);
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : "/";
}
