import "server-only";
import { and, desc, eq, gt, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "./client";
import { apiKeys, sessions, type ApiKeyRow } from "./schema";

// Sessions ------------------------------------------------------------------------------------

export async function insertSession({ db, id, expiresAt }: { db: Db; id: string; expiresAt: Date }): Promise<void> {
  await db.insert(sessions).values({ id, expiresAt });
}

/** Whether a session is still wanted: recorded, not revoked, not expired. */
export async function isSessionLive({ db, id, now = new Date() }: { db: Db; id: string; now?: Date }): Promise<boolean> {
  const [row] = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
  return Boolean(row);
}

export async function revokeSessionById({ db, id }: { db: Db; id: string }): Promise<void> {
  await db.update(sessions).set({ revokedAt: sql`now()` }).where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
}

/** "Sign out everywhere": every session still live; returns how many were ended. */
export async function revokeAllSessions({ db }: { db: Db }): Promise<number> {
  const rows = await db.update(sessions).set({ revokedAt: sql`now()` }).where(isNull(sessions.revokedAt)).returning({ id: sessions.id });
  return rows.length;
}

/** Rows of sessions that ended more than a day ago serve nothing: the cookie is refused without them too. */
export async function deleteEndedSessions({ db, before }: { db: Db; before: Date }): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, before));
}

// API keys ------------------------------------------------------------------------------------

export async function insertApiKey({ db, row }: { db: Db; row: Pick<ApiKeyRow, "id" | "name" | "keyHash" | "hint"> }): Promise<ApiKeyRow> {
  const [inserted] = await db.insert(apiKeys).values(row).returning();
  return inserted!;
}

export async function listLiveApiKeys({ db }: { db: Db }): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).where(isNull(apiKeys.revokedAt)).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

export async function countLiveApiKeys({ db }: { db: Db }): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(apiKeys).where(isNull(apiKeys.revokedAt));
  return Number(row?.n ?? 0);
}

/** The live key with this hash, marked as used now (one statement: a lookup and its trace). */
export async function useApiKeyByHash({ db, keyHash }: { db: Db; keyHash: string }): Promise<{ id: string } | null> {
  const [row] = await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return row ?? null;
}

/** Returns whether a live key was revoked. */
export async function revokeApiKeyById({ db, id }: { db: Db; id: string }): Promise<boolean> {
  const rows = await db.update(apiKeys).set({ revokedAt: sql`now()` }).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))).returning({ id: apiKeys.id });
  return rows.length > 0;
}
