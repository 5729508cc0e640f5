import { afterAll, describe, expect, test } from "vitest";
import { openDatabase, type Connection } from "@/lib/db/client";
import { generationEvents } from "@/lib/db/schema";
import { broadcasterFor, listenForEvents } from "@/lib/jobs/event-fanout";
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

async function logEvent(conn: Connection, generationId: string): Promise<GenerationEvent> {
  const payload = { id: generationId, status: "running" } as unknown as GenerationEvent["generation"];
  const [row] = await conn.db.insert(generationEvents).values({ generationId, payload }).returning();
  return { eventId: row!.id, generation: payload };
}

describe(`event fan-out on ${databaseUrl ? "PostgreSQL" : "PGlite"}`, () => {
  test("an event broadcast by one instance reaches the event bus of every instance", async () => {
    const a = await open();
    // PGlite lives in one process: the "other instance" shares its connection and bus.
    const b = databaseUrl ? await open() : a;
    const busA = new EventBus();
    const busB = databaseUrl ? new EventBus() : busA;
    const stopA = await listenForEvents(a, busA);
    const stopB = b === a ? stopA : await listenForEvents(b, busB);
    const seenA: number[] = [];
    const seenB: number[] = [];
    busA.subscribe((e) => seenA.push(e.eventId));
    if (busB !== busA) busB.subscribe((e) => seenB.push(e.eventId));

    const event = await logEvent(a, `g_fanout_${Date.now()}`);
    await broadcasterFor(a, busA)(event);

    await waitFor(() => seenA.includes(event.eventId), { timeoutMs: 5000, message: "own instance" });
    if (busB !== busA) {
      await waitFor(() => seenB.includes(event.eventId), { timeoutMs: 5000, message: "other instance" });
      expect(seenB.filter((id) => id === event.eventId)).toHaveLength(1);
    }
    expect(seenA.filter((id) => id === event.eventId)).toHaveLength(1);
    await stopA();
    if (stopB !== stopA) await stopB();
  });
});
