/**
 * The session signing secret: SESSION_SECRET when set, otherwise a random secret made once per
 * database (`app_secrets.session-hmac`, shared by every instance on it). The server loads it at
 * start (instrumentation.ts) and keeps it on globalThis, where the proxy reads it without
 * touching the database.
 */
import { env } from "@/lib/env";

const globalForSecret = globalThis as unknown as { seedanceSessionSecret?: string };

export function cachedSessionSecret(): string | undefined {
  return env().auth.sessionSecret ?? globalForSecret.seedanceSessionSecret;
}

export async function loadSessionSecret(fromDatabase: () => Promise<string>): Promise<string> {
  const fixed = env().auth.sessionSecret;
  if (fixed) return fixed;
  globalForSecret.seedanceSessionSecret ??= await fromDatabase();
  return globalForSecret.seedanceSessionSecret;
}
