/**
 * Status latency: the fake upstream finishes a task and POSTs its callback to the production
 * server; we time from that POST to the SSE event (`GET /api/generations/events`) that shows
 * the task finished upstream (`storing`, the clip being copied), and to the `succeeded` event
 * (clip downloaded, probed, poster and last frame written) for reference.
 */
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { renderFixtureClip } from "@/tests/unit/support/pipeline";
import { startFakeUpstream } from "@/tests/unit/support/fake-upstream";
import { BENCH_PORT, ensureProductionBuild, now, percentile, request, round, startNextServer, summary, tempDir, type RowResult } from "../lib";

const LATENCY_MS = 20;
const SAMPLES = 30;
const TOKEN = "bench-token";

interface Seen {
  id: string;
  status: string;
  storing: boolean;
  at: number;
}

/** A minimal EventSource: every `generation` event with the time it arrived. */
function subscribe(url: string, onEvent: (seen: Seen) => void): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: "text/event-stream" } }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`SSE answered ${res.statusCode}`));
      res.setEncoding("utf8");
      let buffer = "";
      res.on("data", (chunk: string) => {
        const at = now();
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split("\n").find((line) => line.startsWith("data: "));
          if (!block.includes("event: generation") || !data) continue;
          const g = JSON.parse(data.slice(6)) as { id: string; status: string; storing: boolean };
          onEvent({ id: g.id, status: g.status, storing: g.storing, at });
        }
      });
      resolve(() => req.destroy());
    });
    req.on("error", reject);
  });
}

export default async function statusLatency(log: (line: string) => void): Promise<RowResult> {
  const build = await ensureProductionBuild(log);
  log("rendering a fixture clip for the fake upstream…");
  const fixture = await renderFixtureClip();
  const fake = await startFakeUpstream({ token: TOKEN, clip: fixture.video, latencyMs: LATENCY_MS });
  const origin = `http://127.0.0.1:${BENCH_PORT}`;
  const server = await startNextServer({
    port: BENCH_PORT,
    env: {
      SEEDANCE_API_TOKEN: TOKEN,
      SEEDANCE_API_BASE_URL: fake.url,
      ALLOW_PRIVATE_UPSTREAM: "1",
      PUBLIC_BASE_URL: origin,
      // Callbacks alone drive the tasks: no poll comes first.
      POLL_INTERVAL_MS: "600000",
      DATA_DIR: tempDir("status"),
      LOG_LEVEL: "warn",
      // The per-client creation limits would refuse a benchmark's hundreds of creates.
      RATE_LIMIT_PER_MINUTE: "0",
      MAX_UNFINISHED_TASKS: "0",
    },
    logFile: path.join(os.tmpdir(), "seedance-bench-status-server.log"),
  });
  const waiters = new Map<string, { want: (s: Seen) => boolean; resolve: (s: Seen) => void }[]>();
  const unsubscribe = await subscribe(`${origin}/api/generations/events`, (seen) => {
    const list = waiters.get(seen.id) ?? [];
    for (const waiter of list.filter((w) => w.want(seen))) {
      waiter.resolve(seen);
      list.splice(list.indexOf(waiter), 1);
    }
  });
  const waitFor = (id: string, want: (s: Seen) => boolean) =>
    new Promise<Seen>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no SSE event for ${id} within 30 s`)), 30_000);
      const list = waiters.get(id) ?? [];
      list.push({ want, resolve: (s) => (clearTimeout(timer), resolve(s)) });
      waiters.set(id, list);
    });
  try {
    const finishedMs: number[] = [];
    const succeededMs: number[] = [];
    const callbackMs: number[] = [];
    log(`${SAMPLES} tasks: create, then the fake completes each with a callback (fake latency ${LATENCY_MS} ms)…`);
    for (let i = 0; i < SAMPLES + 3; i++) {
      const created = await request(`${origin}/api/generations`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "doubao-seedance-1-0-pro-fast-251015", content: [{ type: "text", text: `status latency ${i}` }], resolution: "480p", duration: 2 }),
      });
      if (created.status !== 201) throw new Error(`create answered ${created.status}: ${created.body.toString().slice(0, 300)}`);
      const generation = JSON.parse(created.body.toString()) as { id: string; upstreamTaskId: string };
      const finished = waitFor(generation.id, (s) => s.storing || s.status === "succeeded" || s.status === "failed");
      const succeeded = waitFor(generation.id, (s) => s.status === "succeeded" || s.status === "failed");
      await new Promise((resolve) => setTimeout(resolve, 50));
      const start = now();
      const delivery = fake.complete(generation.upstreamTaskId, { callback: true });
      const first = await finished;
      const last = await succeeded;
      const answered = await delivery;
      const callbackEnd = now();
      if (last.status !== "succeeded") throw new Error(`generation ${generation.id} ended ${last.status}`);
      if (i < 3) continue; // warm-up
      finishedMs.push(first.at - start);
      succeededMs.push(last.at - start);
      callbackMs.push(callbackEnd - start);
      if (answered?.status !== 200) log(`callback answered ${answered?.status}`);
    }
    const p95 = percentile(finishedMs, 95);
    return {
      row: "status",
      title: "status latency",
      baseline: "none (absolute, loopback)",
      measured: `callback -> SSE p50 ${round(percentile(finishedMs, 50), 1)} ms, p95 ${round(p95, 1)} ms (-> succeeded p95 ${round(percentile(succeededMs, 95), 0)} ms)`,
      target: "p95 <= 100 ms",
      met: p95 <= 100,
      details: {
        how: "next start (production build, PGlite); the fake POSTs its callback to /api/callbacks/seedance/:id; an SSE client on /api/generations/events records arrival times",
        fakeLatencyMs: LATENCY_MS,
        note: "the callback is confirmed by one retrieve upstream (one fake latency) before the state changes",
        callbackToFinishedEventMs: summary(finishedMs),
        callbackToSucceededEventMs: summary(succeededMs),
        callbackRoundTripMs: summary(callbackMs),
        build,
      },
    };
  } finally {
    unsubscribe();
    await server.stop();
    await fake.close();
  }
}
