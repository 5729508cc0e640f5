import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

/** The `app_secrets` row holding the simulator's bearer token when SIMULATOR_TOKEN is unset. */
export const SIMULATOR_TOKEN_SECRET = "simulator-token";

const globalForToken = globalThis as unknown as { seedanceSimulatorToken?: Promise<string> };

/**
 * The simulator's bearer token: SIMULATOR_TOKEN when configured, otherwise a random token made
 * once per database (`fromDatabase`, i.e. `sharedSecret`), shared by every instance on it, as the
 * session secret is. Nobody outside the deployment can know it, so the simulator (which renders
 * on this machine's CPU and writes to its disk) answers only the app that runs it.
 */
export function simulatorToken(fromDatabase: (name: string) => Promise<string>): Promise<string> {
  const fixed = env().simulator.token;
  if (fixed) return Promise.resolve(fixed);
  globalForToken.seedanceSimulatorToken ??= fromDatabase(SIMULATOR_TOKEN_SECRET).catch((error: unknown) => {
    globalForToken.seedanceSimulatorToken = undefined;
    throw error;
  });
  return globalForToken.seedanceSimulatorToken;
}

/** `Authorization: Bearer <token>`, compared in constant time (digests, so lengths do not leak either). */
export function bearerMatches(header: string | null, token: string): boolean {
  const presented = /^Bearer (\S+)$/.exec(header ?? "")?.[1];
  if (!presented) return false;
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(presented), digest(token));
}
