import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "./client";
import { shares, type ShareRow } from "./schema";

export async function insertShare({ db, share }: { db: Db; share: ShareRow }): Promise<void> {
  await db.insert(shares).values(share);
}

/** A share nobody revoked; null when there is none (or it was revoked). */
export async function getActiveShareById({ db, id }: { db: Db; id: string }): Promise<ShareRow | null> {
  const [row] = await db
    .select()
    .from(shares)
    .where(and(eq(shares.id, id), isNull(shares.revokedAt)))
    .limit(1);
  return row ?? null;
}

/** Revokes a live share; false when there was none to revoke. */
export async function revokeShareById({ db, id, now = new Date() }: { db: Db; id: string; now?: Date }): Promise<boolean> {
  const rows = await db
    .update(shares)
    .set({ revokedAt: now })
    .where(and(eq(shares.id, id), isNull(shares.revokedAt)))
    .returning({ id: shares.id });
  return rows.length > 0;
}
