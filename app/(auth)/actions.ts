"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { clientIpFrom } from "@/lib/auth/client-ip";
import { DEVICE_COOKIE, DEVICE_TTL_SEC, signDevice, verifyDevice } from "@/lib/auth/device";
import { requireActionSession, sessionSecret } from "@/lib/http/gate";
import { databaseSignInGuard, memorySignInGuard, SignInLockout, type LockoutScope, type SignInGuard } from "@/lib/auth/lockout";
import { passwordMatches, safeNextPath, SESSION_COOKIE, signSession, verifySession } from "@/lib/auth/session";
import { endEverySession, endSession, recordSession } from "@/lib/auth/session-store";
import { env } from "@/lib/env";
import { AppError, coded, type Coded } from "@/lib/errors";
import { appContext } from "@/lib/app/context";
import { log } from "@/lib/log";

/** A refused sign-in, as a coded error the form renders in the creator's language. */
export type SignInState = { error?: Coded; retryAfterSec?: number };

const globalForLockout = globalThis as unknown as { seedanceSignInLockout?: SignInLockout };
/** With DATABASE_URL the lockout is counted in PostgreSQL for every instance; with PGlite (one instance) in memory. */
async function signInGuard(): Promise<SignInGuard> {
  if (env().databaseUrl) return databaseSignInGuard((await appContext()).db);
  return memorySignInGuard((globalForLockout.seedanceSignInLockout ??= new SignInLockout()));
}

function lockedMessage(retryAfterSec: number, scope: LockoutScope): Coded {
  const minutes = Math.max(1, Math.ceil(retryAfterSec / 60));
  if (scope === "ip") return coded("locked_address", { minutes });
  if (scope === "device") return coded("locked_device", { minutes });
  return coded("slowed_global", { seconds: Math.max(1, retryAfterSec) });
}

async function isHttps(): Promise<boolean> {
  const h = await headers();
  return h.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https" || Boolean(env().publicBaseUrl?.startsWith("https:"));
}

export async function signInAction(_previous: SignInState, form: FormData): Promise<SignInState> {
  const config = env().auth;
  const next = safeNextPath(form.get("next"));
  if (!config.password) redirect(next);
  const jar = await cookies();
  const secret = await sessionSecret();
  const knownDevice = verifyDevice(jar.get(DEVICE_COOKIE)?.value, secret);
  const attempt = { ip: clientIpFrom(await headers()), device: knownDevice ?? undefined };
  const lockout = await signInGuard();
  const state = await lockout.admit(attempt);
  if (state.locked) return { error: lockedMessage(state.retryAfterSec, state.scope), retryAfterSec: state.retryAfterSec };

  const given = form.get("password");
  if (typeof given !== "string" || given.length > 1024 || !passwordMatches(given, config.password)) {
    const after = await lockout.fail(attempt);
    log().warn({ ip: attempt.ip, knownDevice: Boolean(knownDevice), locked: after.locked }, "sign-in failed");
    if (after.locked) return { error: lockedMessage(after.retryAfterSec, after.scope), retryAfterSec: after.retryAfterSec };
    const left = await lockout.remainingAttempts(attempt);
    // A client the guard cannot tell apart (no trusted address, no earlier sign-in) has no count of its own.
    if (left === undefined) return { error: coded("wrong_password_no_count") };
    return { error: coded("wrong_password", { left }) };
  }

  await lockout.succeed(attempt);
  const { token, session } = signSession({ secret, password: config.password, ttlSec: config.sessionTtlSec });
  await recordSession((await appContext()).db, session);
  const secure = await isHttps();
  jar.set(SESSION_COOKIE, token, { httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: config.sessionTtlSec });
  if (!knownDevice) jar.set(DEVICE_COOKIE, signDevice(secret), { httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: DEVICE_TTL_SEC });
  log().info({ ip: attempt.ip }, "signed in");
  redirect(next);
}

/** Ends this browser's session on the server (a copy of the cookie stops working too). */
export async function signOutAction(): Promise<void> {
  const jar = await cookies();
  const password = env().auth.password;
  const session = password ? verifySession(jar.get(SESSION_COOKIE)?.value, { secret: await sessionSecret(), password }) : null;
  if (session) await endSession((await appContext()).db, session.sid);
  jar.delete(SESSION_COOKIE);
  redirect("/sign-in");
}

/** Ends every session of the studio, this one included. Needs a live session (anyone else could sign everyone out). */
export async function signOutEverywhereAction(): Promise<void> {
  try {
    await requireActionSession();
  } catch (error) {
    if (error instanceof AppError && error.kind === "unauthorized") redirect("/sign-in");
    throw error;
  }
  const ended = await endEverySession((await appContext()).db);
  log().info({ ended }, "signed out everywhere");
  (await cookies()).delete(SESSION_COOKIE);
  redirect("/sign-in");
}
