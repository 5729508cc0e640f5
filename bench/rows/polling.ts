/**
 * 1,000 unfinished tasks in one process: the real worker tick (`runWorkerTick`, what
 * `startWorker` runs every second) against the fake upstream, with every task pending upstream.
 * Counted: upstream calls and ids per call in each tick that polls, RSS growth over the run, and
 * CPU used between ticks (the process should sleep there).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { openDatabase } from "@/lib/db/client";
import { generations, type NewGenerationRow } from "@/lib/db/schema";
import { runWorkerTick } from "@/lib/jobs/worker";
import { BATCH_LIMIT } from "@/lib/seedance/client";
import { startFakeUpstream, type FakeTask } from "@/tests/unit/support/fake-upstream";
import { createTestPipeline } from "@/tests/unit/support/pipeline";
import { mb, median, now, round, settleMemory, sleep, type RowResult } from "../lib";

const TASKS = 1000;
const TOKEN = "bench-token";
/** The app's default poll interval is 5 s and its worker ticks every 1 s; scaled down 2.5x here. */
const POLL_INTERVAL_MS = 2000;
const TICK_EVERY_MS = 1000;
const TICKS = 14;

export default async function polling(log: (line: string) => void): Promise<RowResult> {
  const conn = await openDatabase({ pgliteDir: undefined });
  const fake = await startFakeUpstream({ token: TOKEN, clip: Buffer.alloc(0), latencyMs: 20 });
  const pipeline = await createTestPipeline({
    db: conn.db,
    upstream: { baseUrl: fake.url, token: TOKEN },
    trustedMediaOrigins: [],
    callbacks: false,
    pollIntervalMs: POLL_INTERVAL_MS,
  });
  const ctx = pipeline.ctx;
  await settleMemory();
  const rssStart = process.memoryUsage().rss;

  log(`inserting ${TASKS} running generations, each pending upstream…`);
  const nowDate = new Date();
  const rows: NewGenerationRow[] = [];
  for (let i = 0; i < TASKS; i++) {
    const taskId = randomUUID();
    const task: FakeTask = {
      id: taskId,
      upstreamId: `cgt-${Date.now()}-${randomBytes(3).toString("hex").slice(0, 5)}`,
      traceId: randomUUID(),
      createdAt: Date.now(),
      body: { model: "doubao-seedance-1-0-pro-fast-251015", content: [{ type: "text", text: `task ${i}` }] },
      status: "pending",
      queries: 0,
      videoFile: `${taskId}.mp4`,
    };
    fake.tasks.set(taskId, task);
    const prompt = `A slow pan across a misty valley, task ${i}`;
    rows.push({
      id: `g_bench${String(i).padStart(6, "0")}`,
      status: "running",
      model: "doubao-seedance-1-0-pro-fast-251015",
      prompt,
      request: { model: "doubao-seedance-1-0-pro-fast-251015", prompt, resolution: "720p", duration: 5 },
      upstreamTaskId: taskId,
      submittedAt: nowDate,
      runningAt: nowDate,
      expiresAt: new Date(nowDate.getTime() + 86_400_000),
      // Spread over one interval, as tasks created over time are.
      nextCheckAt: new Date(nowDate.getTime() + (i % 10) * 100),
    });
  }
  for (let i = 0; i < rows.length; i += 250) await conn.db.insert(generations).values(rows.slice(i, i + 250));
  await settleMemory();
  const rssLoaded = process.memoryUsage().rss;

  log(`${TICKS} worker ticks, one every ${TICK_EVERY_MS} ms (poll interval ${POLL_INTERVAL_MS} ms)…`);
  const ticks: { ms: number; cpuMs: number; calls: number; ids: number[] }[] = [];
  const gaps: { ms: number; cpuMs: number; afterPoll: boolean }[] = [];
  const rssPeak = { value: 0 };
  const rssPerTick: number[] = [];
  for (let t = 0; t < TICKS; t++) {
    const before = fake.requests.length;
    const cpu0 = process.cpuUsage();
    const t0 = now();
    await runWorkerTick(ctx);
    const ms = now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const polls = fake.requests.slice(before).filter((r) => r.endpoint === "retrieve_batch" || r.endpoint === "retrieve");
    ticks.push({ ms: round(ms, 1), cpuMs: round((cpu.user + cpu.system) / 1000, 1), calls: polls.length, ids: polls.map((r) => r.ids.length) });
    rssPeak.value = Math.max(rssPeak.value, process.memoryUsage().rss);
    rssPerTick.push(mb(process.memoryUsage().rss));
    // Between ticks the worker sleeps: measure what the process uses meanwhile.
    const wait = Math.max(50, TICK_EVERY_MS - ms);
    const gapCpu0 = process.cpuUsage();
    const g0 = now();
    await sleep(wait);
    const gapCpu = process.cpuUsage(gapCpu0);
    gaps.push({ ms: round(now() - g0, 1), cpuMs: round((gapCpu.user + gapCpu.system) / 1000, 2), afterPoll: polls.length > 0 });
  }
  await settleMemory();
  const rssEnd = process.memoryUsage().rss;

  const pollTicks = ticks.filter((t) => t.calls > 0);
  const idleTicks = ticks.filter((t) => t.calls === 0);
  const checked = pollTicks.map((t) => t.ids.reduce((a, b) => a + b, 0));
  const callsPerPollTick = pollTicks.map((t) => t.calls);
  const maxCalls = Math.max(...callsPerPollTick);
  // The fewest the API allows: one call per 100 due ids (retrieve_batch takes at most 100).
  const fewestEveryTick = pollTicks.every((t, i) => t.calls <= Math.ceil(checked[i]! / BATCH_LIMIT));
  const totalCalls = callsPerPollTick.reduce((a, b) => a + b, 0);
  const totalIds = checked.reduce((a, b) => a + b, 0);
  const gapCpuMs = gaps.reduce((a, g) => a + g.cpuMs, 0);
  const gapMs = gaps.reduce((a, g) => a + g.ms, 0);
  const gapCpuPct = (gapCpuMs / gapMs) * 100;
  // Steady state: the median of the RSS read after each tick, against the process before the
  // tasks existed (one garbage-collection spike does not decide it; the peak is reported too).
  const growth = median(rssPerTick) * 1024 * 1024 - rssStart;
  const peakGrowth = rssPeak.value - rssStart;
  const gapPercents = gaps.map((g) => (g.cpuMs / g.ms) * 100);
  const fullRounds = pollTicks.filter((_, i) => checked[i] === TASKS).length;
  const met = fewestEveryTick && growth <= 50 * 1024 * 1024 && median(gapPercents) < 1;
  await pipeline.close();
  await fake.close();
  return {
    row: "polling",
    title: "1,000 unfinished tasks polled",
    baseline: "1 upstream call per task per tick",
    measured: `${round(totalCalls / totalIds, 3)} calls per task checked (${maxCalls} calls for ${Math.max(...checked)} due tasks, ${BATCH_LIMIT} ids per call); RSS ${growth >= 0 ? "+" : ""}${mb(growth)} MB (peak +${mb(peakGrowth)}); CPU between ticks ${round(median(gapPercents), 2)}% of a core (mean ${round(gapCpuPct, 1)}%)`,
    ratio: totalCalls / totalIds,
    target: `1 call per ${BATCH_LIMIT} due tasks (the API's batch limit); RSS <= +50 MB; CPU idle (median < 1%) between ticks`,
    met,
    details: {
      how: "in-process PGlite (memory), the real runWorkerTick every 1 s, fake upstream (20 ms latency) with every task pending",
      tasks: TASKS,
      pollIntervalMs: POLL_INTERVAL_MS,
      pollingTicks: pollTicks.length,
      fullRounds,
      idsCheckedPerPollingTick: checked,
      callsPerPollingTick: callsPerPollTick,
      idsPerCall: [...new Set(pollTicks.flatMap((t) => t.ids))],
      pollingTickMs: pollTicks.map((t) => t.ms),
      pollingTickCpuMs: pollTicks.map((t) => t.cpuMs),
      idleTickMs: idleTicks.map((t) => t.ms),
      idleTickCpuMs: idleTicks.map((t) => t.cpuMs),
      gapCpuMs: gaps.map((g) => `${g.cpuMs}${g.afterPoll ? " (after a polling tick)" : ""}`),
      betweenTicks: { totalMs: round(gapMs, 0), cpuMs: round(gapCpuMs, 2), cpuPercentOfOneCore: round(gapCpuPct, 3) },
      rssAfterEachTickMb: rssPerTick,
      heapUsedEndMb: mb(process.memoryUsage().heapUsed),
      rssMb: { start: mb(rssStart), withRowsLoaded: mb(rssLoaded), peak: mb(rssPeak.value), end: mb(rssEnd), steadyGrowth: mb(growth), peakGrowth: mb(peakGrowth), endGrowthAfterGc: mb(rssEnd - rssStart), growthWhilePolling: mb(rssEnd - rssLoaded) },
    },
  };
}
