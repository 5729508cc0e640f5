import "server-only";
import type { Connection } from "@/lib/db/client";
import { getEventById, notifyEvent } from "@/lib/db/generation-events";
import { eventFromLog, NOTIFY_CHANNEL, type EventBus, type StudioEvent } from "./events";

/**
 * How an event reaches every instance's SSE clients: on PostgreSQL a NOTIFY (carrying only the
 * event id: payloads are capped at 8 kB) that each instance's LISTEN turns back into the logged
 * event; on PGlite, which runs in one process, straight onto the bus.
 */
export function broadcasterFor(conn: Connection, bus: EventBus): (event: StudioEvent) => Promise<void> {
  if (conn.kind !== "postgres") return async (event) => bus.publish(event);
  return async (event) => {
    await notifyEvent({ db: conn.db, channel: NOTIFY_CHANNEL, eventId: event.eventId });
  };
}

/** Feeds this instance's bus from NOTIFY (PostgreSQL only); returns a function that stops it. */
export async function listenForEvents(conn: Connection, bus: EventBus): Promise<() => Promise<void>> {
  if (!conn.listen) return async () => undefined;
  return conn.listen(NOTIFY_CHANNEL, async (payload) => {
    const eventId = Number(payload);
    if (!Number.isSafeInteger(eventId)) return;
    const row = await getEventById({ db: conn.db, id: eventId });
    if (row) bus.publish(eventFromLog(row));
  });
}
