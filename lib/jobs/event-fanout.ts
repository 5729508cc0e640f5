import "server-only";
import type { Connection } from "@/lib/db/client";
import { eventsAfter, latestEventId, notifyEvent } from "@/lib/db/generation-events";
import { log } from "@/lib/log";
import { eventFromLog, NOTIFY_CHANNEL, type EventBus, type StudioEvent } from "./events";

const PAGE = 500;

export interface EventTail {
  /** Reads the log for new events now (after a write, or a NOTIFY from another instance). */
  wake(): void;
  /** Resolves once the read under way (if any) has published what it could. */
  settled(): Promise<void>;
  stop(): void;
}

/**
 * Feeds the bus from the event log, in the log's order. Writers finish in any order (two worker
 * tasks, a download and a create all await between their commit and their broadcast), so
 * publishing each writer's own event put id 11 on the stream before id 10, and every SSE stream,
 * which drops what is not newer than what it sent, lost 10 for good: a card stayed at
 * "Submitted" while its clip was ready. Here a wake only means "read the log": the tail
 * publishes each id after the one before it.
 *
 * A hole in the ids is a transaction that took an id and has not committed yet (PostgreSQL) or
 * rolled back. The tail waits `holeGraceMs` for it before stepping over it; on PGlite, one
 * connection, a hole can only be a rollback, so it steps over at once.
 */
export function startEventTail({ db, bus, holeGraceMs, pollMs }: { db: Connection["db"]; bus: EventBus; holeGraceMs: number; pollMs?: number }): EventTail {
  let reading: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let hole: { after: number; since: number } | null = null;
  let holeTimer: ReturnType<typeof setTimeout> | undefined;

  async function drain() {
    for (;;) {
      const rows = await eventsAfter({ db, afterId: bus.lastPublished, limit: PAGE });
      for (const row of rows) {
        if (row.id !== bus.lastPublished + 1) {
          if (hole?.after !== bus.lastPublished) hole = { after: bus.lastPublished, since: Date.now() };
          const wait = hole.since + holeGraceMs - Date.now();
          if (wait > 0) {
            clearTimeout(holeTimer);
            holeTimer = setTimeout(wake, wait);
            return;
          }
        }
        hole = null;
        bus.publish(eventFromLog(row));
      }
      if (rows.length < PAGE) return;
    }
  }

  function wake() {
    if (stopped) return;
    if (reading) {
      again = true;
      return;
    }
    reading = drain()
      // The next wake (or poll) reads again from the last id published.
      .catch((err: unknown) => log().warn({ err }, "event log read failed"))
      .finally(() => {
        reading = null;
        if (again) {
          again = false;
          wake();
        }
      });
  }

  // A NOTIFY lost while the LISTEN connection reconnects must not stall the stream for good.
  const poll = pollMs ? setInterval(wake, pollMs) : undefined;
  poll?.unref?.();
  return {
    wake,
    settled: async () => {
      while (reading) await reading;
    },
    stop() {
      stopped = true;
      clearInterval(poll);
      clearTimeout(holeTimer);
    },
  };
}

/** The tail for this connection, starting after the newest event already logged. */
export async function eventTailFor(conn: Connection, bus: EventBus): Promise<EventTail> {
  bus.lastPublished = Math.max(bus.lastPublished, await latestEventId({ db: conn.db }));
  return conn.kind === "postgres"
    ? startEventTail({ db: conn.db, bus, holeGraceMs: 2000, pollMs: 10_000 })
    : startEventTail({ db: conn.db, bus, holeGraceMs: 0 });
}

/**
 * How an event reaches every instance's SSE clients: on PostgreSQL a NOTIFY (carrying only the
 * event id: payloads are capped at 8 kB) that wakes each instance's tail; on PGlite, which runs
 * in one process, this instance's tail directly.
 */
export function broadcasterFor(conn: Connection, tail: EventTail): (event: StudioEvent) => Promise<void> {
  if (conn.kind !== "postgres") return async () => tail.wake();
  return async (event) => {
    await notifyEvent({ db: conn.db, channel: NOTIFY_CHANNEL, eventId: event.eventId });
  };
}

/** Wakes this instance's tail on every NOTIFY (PostgreSQL only); returns a function that stops listening. */
export async function listenForEvents(conn: Connection, tail: EventTail): Promise<() => Promise<void>> {
  if (!conn.listen) return async () => undefined;
  return conn.listen(NOTIFY_CHANNEL, async () => tail.wake());
}
