import { expect, test } from "@playwright/test";

interface Received {
  id: number;
  generation: { id: string; status: string };
}

/** Reads SSE events from the stream until `done` says stop (or the time runs out). */
async function readEvents(url: string, headers: Record<string, string>, done: (events: Received[]) => boolean, timeoutMs = 60_000) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const events: Received[] = [];
  try {
    const response = await fetch(url, { headers, signal: controller.signal });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    while (!done(events)) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const id = /^id: (\d+)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (id && data) events.push({ id: Number(id), generation: JSON.parse(data) });
      }
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

test("SSE delivers every status change, and Last-Event-ID replays what a client missed", async ({ baseURL, request }) => {
  const url = `${baseURL}/api/generations/events`;
  let id = "";
  const live = readEvents(url, {}, (events) => events.some((e) => e.generation.id === id && e.generation.status === "succeeded"));
  await new Promise((r) => setTimeout(r, 300));
  const created = await request.post("/api/generations", {
    data: { model: "doubao-seedance-1-0-pro-fast-251015", content: [{ type: "text", text: `Streamed ${Date.now()}` }], resolution: "480p", duration: 2 },
  });
  id = (await created.json()).id;
  const events = (await live).filter((e) => e.generation.id === id);
  const statuses = [...new Set(events.map((e) => e.generation.status))];
  expect(statuses).toEqual(["queued", "submitted", "running", "succeeded"]);
  expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => a - b));

  // A client that saw only the first event resumes and gets the rest, in order.
  const first = events[0]!.id;
  const replay = await readEvents(url, { "last-event-id": String(first) }, (got) => got.some((e) => e.generation.id === id && e.generation.status === "succeeded"), 15_000);
  const mine = replay.filter((e) => e.generation.id === id);
  expect(mine[0]!.id).toBeGreaterThan(first);
  expect(mine.map((e) => e.id)).toEqual(events.slice(1).map((e) => e.id));
});
