import "server-only";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { appContext } from "@/lib/app/context";
import { sharedSecret } from "@/lib/db/secrets";
import type { ClientIdentity } from "@/lib/limits/create-limits";
import { apiKeyFor, bearerCredential } from "@/lib/auth/api-keys";
import { clientIpFrom } from "@/lib/auth/client-ip";
import { cachedSessionSecret, loadSessionSecret } from "@/lib/auth/secret";
import { SESSION_COOKIE, verifySession, type Session } from "@/lib/auth/session";
import { sessionIsLive } from "@/lib/auth/session-store";

export function authEnabled(): boolean {
  return Boolean(env().auth.password);
}

export async function sessionSecret(): Promise<string> {
  return cachedSessionSecret() ?? loadSessionSecret(async () => sharedSecret({ db: (await appContext()).db, name: "session-hmac" }));
}

/**
 * The session a cookie value carries: signed here (HMAC, checked first and cheaply: a forged
 * cookie never reaches the database), unexpired, and still live in the `sessions` table (not
 * signed out). Null otherwise, and always null without the gate.
 */
export async function sessionFromCookie(value: string | undefined): Promise<Session | null> {
  const password = env().auth.password;
  if (!password) return null;
  const session = verifySession(value, { secret: await sessionSecret(), password });
  if (!session) return null;
  return (await sessionIsLive((await appContext()).db, session.sid)) ? session : null;
}

/** The caller of a server action: its session (when the gate is on) and address. */
export async function currentClient(): Promise<ClientIdentity & { session: Session | null }> {
  const [jar, h] = await Promise.all([cookies(), headers()]);
  const session = await sessionFromCookie(jar.get(SESSION_COOKIE)?.value);
  return { session, sessionId: session?.sid, ip: clientIpFrom(h) };
}

/** Server actions: a session is required when STUDIO_PASSWORD is set (actions POST to page paths). */
export async function requireActionSession(): Promise<ClientIdentity> {
  const client = await currentClient();
  if (authEnabled() && !client.session) throw new AppError("signed_out");
  return client;
}

/** Pages: redirect to the sign-in page without a session (the proxy does it first; this is the second lock). */
export async function requirePageSession(nextPath: string): Promise<void> {
  if (!authEnabled()) return;
  const client = await currentClient();
  if (!client.session) redirect(`/sign-in?next=${encodeURIComponent(nextPath)}`);
}

const SESSION_COOKIE_PATTERN = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]*)`);

/** The session cookie's value in a `Cookie` header; a value whose %-encoding is broken is no value. */
function sessionCookieIn(cookieHeader: string | null): string | undefined {
  const raw = SESSION_COOKIE_PATTERN.exec(cookieHeader ?? "")?.[1];
  if (!raw) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** A route handler's caller; `keyId` when it came with a personal API key. */
export interface RequestClient extends ClientIdentity {
  keyId?: string;
}

/**
 * Route handlers: the caller's identity for limits. With the gate on, the caller must bring a
 * live session cookie or a live personal API key (`Authorization: Bearer sk_studio_…`); a key
 * has an identity of its own (`key:<id>`), so it is limited like a separate session. A Bearer
 * header is the credential when present: a wrong key is refused, not passed over for a cookie.
 */
export async function requestClient(request: Request): Promise<RequestClient> {
  const ip = clientIpFrom(request.headers);
  if (!authEnabled()) return { ip };
  const credential = bearerCredential(request.headers.get("authorization"));
  if (credential !== undefined) {
    const key = await apiKeyFor((await appContext()).db, credential);
    if (!key) throw new AppError("api_key_invalid");
    return { sessionId: `key:${key.id}`, keyId: key.id, ip };
  }
  const session = await sessionFromCookie(sessionCookieIn(request.headers.get("cookie")));
  if (!session) throw new AppError("unauthorized");
  return { sessionId: session.sid, ip };
}
