import "server-only";
import { and, eq, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "./client";
import { signinRecords } from "./schema";

export interface SigninRecord {
  failures: Date[];
  lockedUntil: Date | null;
}

export async function getSigninRecord({ db, key }: { db: Db; key: string }): Promise<SigninRecord | null> {
  const [row] = await db.select({ failures: signinRecords.failures, lockedUntil: signinRecords.lockedUntil }).from(signinRecords).where(eq(signinRecords.key, key));
  return row ? { failures: row.failures.map((t) => new Date(t)), lockedUntil: row.lockedUntil } : null;
}

/**
 * Adds a failure at `at` to `key`'s record, atomically (the row is locked while it is read and
 * written, so failures from two instances are both counted): failures older than `windowMs`
 * drop out; at `maxFailures` the record locks until `at + lockMs` and starts counting afresh.
 * `keep` bounds the failures kept (the studio-wide record only needs to know it reached its max).
 */
export async function recordSigninFailure({
  db,
  key,
  at,
  windowMs,
  maxFailures,
  lockMs,
  keep = maxFailures,
}: {
  db: Db;
  key: string;
  at: Date;
  windowMs: number;
  maxFailures: number;
  /** 0: never locks (the studio-wide record only counts). */
  lockMs: number;
  keep?: number;
}): Promise<SigninRecord> {
  return db.transaction(async (tx) => {
    await tx.insert(signinRecords).values({ key, updatedAt: at }).onConflictDoNothing();
    const [row] = await tx.select().from(signinRecords).where(eq(signinRecords.key, key)).for("update");
    let failures = row!.failures.map((t) => new Date(t)).filter((t) => t.getTime() > at.getTime() - windowMs);
    failures.push(at);
    let lockedUntil = row!.lockedUntil;
    if (lockMs > 0 && failures.length >= maxFailures) {
      lockedUntil = new Date(at.getTime() + lockMs);
      failures = [];
    }
    failures = failures.slice(-keep);
    await tx.update(signinRecords).set({ failures, lockedUntil, updatedAt: at }).where(eq(signinRecords.key, key));
    return { failures, lockedUntil };
  });
}

/**
 * Takes the slot `key` (slow mode's one evaluated attempt per interval) when it is free at `at`,
 * in one statement; otherwise says when it frees.
 */
export async function takeSigninSlot({ db, key, at, intervalMs }: { db: Db; key: string; at: Date; intervalMs: number }): Promise<{ ok: true } | { ok: false; freeAt: Date }> {
  const next = new Date(at.getTime() + intervalMs);
  const taken = await db
    .insert(signinRecords)
    .values({ key, lockedUntil: next, updatedAt: at })
    .onConflictDoUpdate({
      target: signinRecords.key,
      set: { lockedUntil: next, updatedAt: at },
      setWhere: or(isNull(signinRecords.lockedUntil), lte(signinRecords.lockedUntil, at)),
    })
    .returning({ key: signinRecords.key });
  if (taken.length > 0) return { ok: true };
  const record = await getSigninRecord({ db, key });
  return { ok: false, freeAt: record?.lockedUntil ?? next };
}

export async function deleteSigninRecord({ db, key }: { db: Db; key: string }): Promise<void> {
  await db.delete(signinRecords).where(eq(signinRecords.key, key));
}

/** Forgets records untouched since `before` whose lock (if any) has run out. */
export async function pruneSigninRecords({ db, before }: { db: Db; before: Date }): Promise<void> {
  await db
    .delete(signinRecords)
    .where(and(lt(signinRecords.updatedAt, before), or(isNull(signinRecords.lockedUntil), lt(signinRecords.lockedUntil, sql`now()`))));
}
