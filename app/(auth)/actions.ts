"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { clientIpFrom } from "@/lib/auth/client-ip";
import { sessionSecret } from "@/lib/auth/gate";
import { SignInLockout } from "@/lib/auth/lockout";
import { passwordMatches, safeNextPath, SESSION_COOKIE, signSession } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

export type SignInState = { error?: string; retryAfterSec?: number };

const globalForLockout = globalThis as unknown as { seedanceSignInLockout?: SignInLockout };
const lockout = () => (globalForLockout.seedanceSignInLockout ??= new SignInLockout());

function lockedMessage(retryAfterSec: number, scope: "ip" | "global"): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSec / 60));
  return scope === "ip"
    ? `Too many wrong passwords from your address. Try again in ${minutes} min.`
    : `Too many wrong passwords overall. Sign-in is paused for ${minutes} min.`;
}

async function isHttps(): Promise<boolean> {
  const h = await headers();
  return h.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https" || Boolean(env().publicBaseUrl?.startsWith("https:"));
}

export async function signInAction(_previous: SignInState, form: FormData): Promise<SignInState> {
  const config = env().auth;
  const next = safeNextPath(form.get("next"));
  if (!config.password) redirect(next);
  const ip = clientIpFrom(await headers());
  const state = lockout().check(ip);
  if (state.locked) return { error: lockedMessage(state.retryAfterSec, state.scope), retryAfterSec: state.retryAfterSec };

  const given = form.get("password");
  if (typeof given !== "string" || given.length > 1024 || !passwordMatches(given, config.password)) {
    const after = lockout().fail(ip);
    log().warn({ ip, locked: after.locked }, "sign-in failed");
    if (after.locked) return { error: lockedMessage(after.retryAfterSec, after.scope), retryAfterSec: after.retryAfterSec };
    const left = lockout().remainingAttempts(ip);
    return { error: `Wrong password. ${left} ${left === 1 ? "attempt" : "attempts"} left before a 15-minute lockout.` };
  }

  lockout().succeed(ip);
  const { token } = signSession({ secret: await sessionSecret(), password: config.password, ttlSec: config.sessionTtlSec });
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: await isHttps(),
    path: "/",
    maxAge: config.sessionTtlSec,
  });
  log().info({ ip }, "signed in");
  redirect(next);
}

export async function signOutAction(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
  redirect("/sign-in");
}
