import "server-only";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { appContext, sharedSecret } from "@/lib/jobs/app-context";
import type { ClientIdentity } from "@/lib/limits/create-limits";
import { clientIpFrom } from "./client-ip";
import { cachedSessionSecret, loadSessionSecret } from "./secret";
import { SESSION_COOKIE, verifySession, type Session } from "./session";

export function authEnabled(): boolean {
  return Boolean(env().auth.password);
}

export async function sessionSecret(): Promise<string> {
  return cachedSessionSecret() ?? loadSessionSecret(async () => sharedSecret((await appContext()).db, "session-hmac"));
}

export async function sessionFromCookie(value: string | undefined): Promise<Session | null> {
  const password = env().auth.password;
  if (!password) return null;
  return verifySession(value, { secret: await sessionSecret(), password });
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
  if (authEnabled() && !client.session) throw new AppError("unauthorized", "You are signed out. Reload the page and sign in again.");
  return client;
}

/** Pages: redirect to the sign-in page without a session (the proxy does it first; this is the second lock). */
export async function requirePageSession(nextPath: string): Promise<void> {
  if (!authEnabled()) return;
  const client = await currentClient();
  if (!client.session) redirect(`/sign-in?next=${encodeURIComponent(nextPath)}`);
}

const SESSION_COOKIE_PATTERN = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`);

/**
 * Route handlers: the caller's identity for limits. Throws `unauthorized` without a session when
 * the gate is on: the proxy refuses those first, except on routes it does not run for.
 */
export async function requestClient(request: Request): Promise<ClientIdentity> {
  const cookie = SESSION_COOKIE_PATTERN.exec(request.headers.get("cookie") ?? "")?.[1];
  const session = await sessionFromCookie(cookie ? decodeURIComponent(cookie) : undefined);
  if (authEnabled() && !session) throw new AppError("unauthorized", "Sign in first.");
  return { sessionId: session?.sid, ip: clientIpFrom(request.headers) };
}
