import "server-only";
import type { Db } from "@/lib/db/client";
import { deleteEndedSessions, insertSession, isSessionLive, revokeAllSessions, revokeSessionById } from "@/lib/db/sessions";
import { LiveCache } from "./live-cache";
import type { Session } from "./session";

/** How long one instance may go on believing a session another instance revoked. */
export const SESSION_CACHE_MS = 10_000;

// On globalThis: server chunks may each hold a copy of this module, and a revocation must reach
// the cache every one of them reads.
const globalForSessions = globalThis as unknown as { seedanceSessionCache?: LiveCache<true> };
const cache = () => (globalForSessions.seedanceSessionCache ??= new LiveCache<true>({ ttlMs: SESSION_CACHE_MS, max: 10_000 }));

/** The server-side record of a new sign-in (a cookie without one is no session). */
export async function recordSession(db: Db, session: Session): Promise<void> {
  await insertSession({ db, id: session.sid, expiresAt: new Date(session.exp * 1000) });
  // Sign-ins are rare: a good moment to drop rows of sessions that ended a day ago.
  await deleteEndedSessions({ db, before: new Date(Date.now() - 86_400_000) });
}

export async function sessionIsLive(db: Db, sid: string): Promise<boolean> {
  return (await cache().lookup(sid, async () => ((await isSessionLive({ db, id: sid })) ? true : null))) === true;
}

export async function endSession(db: Db, sid: string): Promise<void> {
  await revokeSessionById({ db, id: sid });
  cache().forget((key) => key === sid);
}

export async function endEverySession(db: Db): Promise<number> {
  const ended = await revokeAllSessions({ db });
  cache().forget();
  return ended;
}
