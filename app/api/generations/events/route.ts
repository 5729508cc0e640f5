import { connection } from "next/server";
import { eventsAfter } from "@/lib/db/generation-events";
import { appContext } from "@/lib/app/context";
import { eventFromLog, isStoryboardEvent, type StudioEvent } from "@/lib/jobs/events";
import { guardRoute } from "@/lib/http/route-guard";

const HEARTBEAT_MS = 15_000;

/**
 * Server-Sent Events, the one stream: every clip's status change as `event: generation` with the
 * whole generation, every storyboard export step (and edit) as `event: storyboard` with the whole
 * storyboard, in one order. `Last-Event-ID` (header, or ?lastEventId= for the first connect)
 * replays what was missed of both.
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
      let lastSent = Number.isFinite(resumeFrom) ? resumeFrom : ctx.bus.lastPublished;
      let replaying = true;
      const buffered: StudioEvent[] = [];
      const send = (event: StudioEvent) => {
        if (event.eventId <= lastSent) return;
        lastSent = event.eventId;
        const [type, data] = isStoryboardEvent(event) ? ["storyboard", event.storyboard] : ["generation", event.generation];
        try {
          controller.enqueue(encoder.encode(`id: ${event.eventId}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`));
        } catch {
          // This stream has closed: never throw into the bus, whose other listeners (every other
          // tab's stream) would not get the event.
          cleanup();
        }
      };
      // Subscribe before replaying, so nothing falls between the replay and the live feed.
      const unsubscribe = ctx.bus.subscribeAll((event) => (replaying ? buffered.push(event) : send(event)));
      // The replay stops where the live feed starts: the bus publishes in the log's order
      // (lib/jobs/event-fanout.ts), so an id the bus has not reached may still have a hole below it.
      const liveFrom = ctx.bus.lastPublished;
      const heartbeat = setInterval(() => {
        try {
          controller.enqueue(encoder.encode(`: keep-alive\n\n`));
        } catch {
          cleanup();
        }
      }, HEARTBEAT_MS);
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
        for (let more = true; more && lastSent < liveFrom; ) {
          const missed = await eventsAfter({ db: ctx.db, afterId: lastSent });
          for (const row of missed) if (row.id <= liveFrom) send(eventFromLog(row));
          more = missed.length === 500 && missed.at(-1)!.id <= liveFrom;
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
