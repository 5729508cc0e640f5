import "server-only";
import { and, gt, gte, sql } from "drizzle-orm";
import type { Db } from "./client";
import { generationEvents } from "./schema";

/**
 * The event log every SSE stream replays from (`Last-Event-ID`) and NOTIFY points into: one
 * order for the whole stream. A generation event's payload is the `Generation`; a storyboard
 * event's is `{ storyboard: StoryboardDto }` (its `generation_id` holds the storyboard's id), so
 * the two kinds share the table and its ids without a column to tell them apart.
 */

export async function eventsAfter({ db, afterId, limit = 500 }: { db: Db; afterId: number; limit?: number }) {
  return db.select().from(generationEvents).where(gt(generationEvents.id, afterId)).orderBy(generationEvents.id).limit(limit);
}

export async function latestEventId({ db }: { db: Db }): Promise<number> {
  const [row] = await db.select({ id: sql<number>`coalesce(max(${generationEvents.id}), 0)` }).from(generationEvents);
  return Number(row?.id ?? 0);
}

/** Logs a storyboard's new state; returns the event id (in the same transaction as the write it reports). */
export async function insertStoryboardEvent({ db, storyboardId, storyboard }: { db: Db; storyboardId: string; storyboard: unknown }): Promise<number> {
  const [row] = await db.insert(generationEvents).values({ generationId: storyboardId, payload: { storyboard } }).returning({ id: generationEvents.id });
  return row!.id;
}

/** PostgreSQL: tells every instance's LISTEN that an event was logged (the id only: payloads are capped at 8 kB). */
export async function notifyEvent({ db, channel, eventId }: { db: Db; channel: string; eventId: number }): Promise<void> {
  await db.execute(sql`select pg_notify(${channel}, ${String(eventId)})`);
}

/**
 * Clips created since `since`, counted from the creation events (status `queued`), which outlive
 * deleted clips: deleting clips does not give a budget back. Also the oldest of them.
 */
export async function clipsCreatedSince({ db, since }: { db: Db; since: Date }): Promise<{ count: number; oldest: Date | null }> {
  const [row] = await db
    .select({ n: sql<number>`count(*)`, oldest: sql<string | null>`min(${generationEvents.createdAt})` })
    .from(generationEvents)
    .where(and(gte(generationEvents.createdAt, since), sql`${generationEvents.payload}->>'status' = 'queued'`));
  return { count: Number(row?.n ?? 0), oldest: row?.oldest ? new Date(row.oldest) : null };
}

