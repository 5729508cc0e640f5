import { connection } from "next/server";
import { eventsAfter, latestEventId } from "@/lib/db/generation-events";
import { appContext } from "@/lib/app/context";
import type { GenerationEvent } from "@/lib/jobs/events";
import { guardRoute } from "@/lib/http/route-guard";

const HEARTBEAT_MS = 15_000;

/**
 * Server-Sent Events: every status change as `event: generation` with the whole generation.
 * `Last-Event-ID` (header, or ?lastEventId= for the first connect) replays what was missed.
 */
export const GET = guardRoute({ access: "signed-in" }, async (request) => {
  await connection();
  const ctx = await appContext();
  const url = new URL(request.url);
  const resumeFrom = Number(request.headers.get("last-event-id") ?? url.searchParams.get("lastEventId") ?? NaN);
  const encoder = new TextEncoder();
  let cleanup = () => {};

  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let lastSent = Number.isFinite(resumeFrom) ? resumeFrom : await latestEventId({ db: ctx.db });
      let replaying = true;
      const buffered: GenerationEvent[] = [];
      const send = (event: GenerationEvent) => {
        if (event.eventId <= lastSent) return;
        lastSent = event.eventId;
        controller.enqueue(encoder.encode(`id: ${event.eventId}\nevent: generation\ndata: ${JSON.stringify(event.generation)}\n\n`));
      };
      // Subscribe before replaying, so nothing falls between the replay and the live feed.
      const unsubscribe = ctx.bus.subscribe((event) => (replaying ? buffered.push(event) : send(event)));
      const heartbeat = setInterval(() => controller.enqueue(encoder.encode(`: keep-alive\n\n`)), HEARTBEAT_MS);
      cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
      };
      request.signal.addEventListener("abort", () => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed
        }
      });
      controller.enqueue(encoder.encode(`retry: 2000\n: connected\n\n`));
      if (Number.isFinite(resumeFrom)) {
        for (;;) {
          const missed = await eventsAfter({ db: ctx.db, afterId: lastSent });
          for (const row of missed) send({ eventId: row.id, generation: row.payload as GenerationEvent["generation"] });
          if (missed.length < 500) break;
        }
      }
      replaying = false;
      buffered.sort((a, b) => a.eventId - b.eventId).forEach(send);
    },
    cancel() {
      cleanup();
    },
  });

  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
});
