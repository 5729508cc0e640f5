import { afterAll, describe, expect, test } from "vitest";
import { openDatabase, type Connection } from "@/lib/db/client";
import { generationEvents } from "@/lib/db/schema";
import { broadcasterFor, eventTailFor, listenForEvents, startEventTail } from "@/lib/jobs/event-fanout";
import { EventBus, type GenerationEvent } from "@/lib/jobs/events";
import { waitFor } from "./support/pipeline";

// Runs against PGlite by default and against PostgreSQL when TEST_DATABASE_URL is set
// (CI runs both): each database kind has its own delivery path.
const databaseUrl = process.env.TEST_DATABASE_URL || undefined;
const opened: Connection[] = [];
afterAll(async () => {
  await Promise.all(opened.map((c) => c.close()));
});

async function open() {
  const conn = await openDatabase({ databaseUrl });
  opened.push(conn);
  return conn;
}

function payloadFor(generationId: string) {
  return { id: generationId, status: "running" } as unknown as GenerationEvent["generation"];
}

async function logEvent(db: Connection["db"], generationId: string): Promise<GenerationEvent> {
  const payload = payloadFor(generationId);
  const [row] = await db.insert(generationEvents).values({ generationId, payload }).returning();
  return { eventId: row!.id, generation: payload };
}

function idsOn(bus: EventBus) {
  const seen: number[] = [];
  bus.subscribe((e) => seen.push(e.eventId));
  return seen;
}

describe(`event fan-out on ${databaseUrl ? "PostgreSQL" : "PGlite"}`, () => {
  test("an event broadcast by one instance reaches the event bus of every instance", async () => {
    const a = await open();
    // PGlite lives in one process: the "other instance" shares its connection and bus.
    const b = databaseUrl ? await open() : a;
    const busA = new EventBus();
    const busB = databaseUrl ? new EventBus() : busA;
    const tailA = await eventTailFor(a, busA);
    const tailB = busB === busA ? tailA : await eventTailFor(b, busB);
    const stopA = await listenForEvents(a, tailA);
    const stopB = b === a ? stopA : await listenForEvents(b, tailB);
    const seenA = idsOn(busA);
    const seenB = busB === busA ? seenA : idsOn(busB);

    const event = await logEvent(a.db, `g_fanout_${Date.now()}`);
    await broadcasterFor(a, tailA)(event);

    await waitFor(() => seenA.includes(event.eventId), { timeoutMs: 5000, message: "own instance" });
    await waitFor(() => seenB.includes(event.eventId), { timeoutMs: 5000, message: "other instance" });
    expect(seenA.filter((id) => id === event.eventId)).toHaveLength(1);
    expect(seenB.filter((id) => id === event.eventId)).toHaveLength(1);
    await stopA();
    if (stopB !== stopA) await stopB();
    tailA.stop();
    tailB.stop();
  });

  test("events broadcast out of order reach the bus in the log's order, none dropped", async () => {
    // Two worker tasks finish in any order; an SSE stream drops any id not above the last it sent,
    // so the bus must never publish 11 before 10.
    const conn = await open();
    const bus = new EventBus();
    const tail = await eventTailFor(conn, bus);
    const stop = await listenForEvents(conn, tail);
    const seen = idsOn(bus);
    const broadcast = broadcasterFor(conn, tail);
    const stamp = Date.now();
    const [first, second, third] = [await logEvent(conn.db, `g_a_${stamp}`), await logEvent(conn.db, `g_b_${stamp}`), await logEvent(conn.db, `g_c_${stamp}`)];
    await broadcast(third!);
    await broadcast(first!);
    await broadcast(second!);
    await waitFor(() => seen.length >= 3, { timeoutMs: 5000, message: "three events on the bus" });
    expect(seen).toEqual([first!.eventId, second!.eventId, third!.eventId]);
    await stop();
    tail.stop();
  });

  test("an id taken by a rolled-back write does not hold the stream back", async () => {
    const conn = await open();
    const bus = new EventBus();
    // A short wait for holes, so the test also covers PostgreSQL's grace without taking seconds.
    const tail = startEventTail({ db: conn.db, bus, holeGraceMs: databaseUrl ? 300 : 0 });
    bus.lastPublished = (await logEvent(conn.db, `g_before_${Date.now()}`)).eventId;
    const seen = idsOn(bus);
    await conn.db
      .transaction(async (tx) => {
        await logEvent(tx as unknown as Connection["db"], `g_rolled_back_${Date.now()}`);
        throw new Error("roll back");
      })
      .catch(() => undefined);
    const after = await logEvent(conn.db, `g_after_${Date.now()}`);
    tail.wake();
    await waitFor(() => seen.includes(after.eventId), { timeoutMs: 5000, message: "the event after the hole" });
    expect(seen).toEqual([after.eventId]);
    tail.stop();
  });

  test.runIf(databaseUrl)("PostgreSQL: an event committed after a later one is published first, in order", async () => {
    const conn = await open();
    const bus = new EventBus();
    const tail = startEventTail({ db: conn.db, bus, holeGraceMs: 10_000 });
    bus.lastPublished = (await logEvent(conn.db, `g_start_${Date.now()}`)).eventId;
    const seen = idsOn(bus);
    let commit!: () => void;
    const committed = new Promise<void>((resolve) => (commit = resolve));
    let slowId = 0;
    const slow = conn.db.transaction(async (tx) => {
      slowId = (await logEvent(tx as unknown as Connection["db"], `g_slow_${Date.now()}`)).eventId;
      await committed;
    });
    await waitFor(() => slowId > 0, { timeoutMs: 5000, message: "the slow write's id" });
    const fast = await logEvent(conn.db, `g_fast_${Date.now()}`);
    expect(fast.eventId).toBeGreaterThan(slowId);
    tail.wake();
    await tail.settled();
    // The tail has read the log, the fast event in it, and holds it behind the open write's id.
    expect(seen).toEqual([]);
    commit();
    await slow;
    tail.wake();
    await waitFor(() => seen.length >= 2, { timeoutMs: 5000, message: "both events" });
    expect(seen).toEqual([slowId, fast.eventId]);
    tail.stop();
  });
});
