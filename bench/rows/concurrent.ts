/**
 * 200 concurrent creates against the simulator: the real pipeline (createGeneration, the worker
 * running beside it, callbacks receiver) and the simulator's handler served over loopback HTTP.
 * Afterwards: one row per create, one simulator task per row, no row without a task, no task
 * without a row, no task id twice.
 */
import fs from "node:fs";
import path from "node:path";
import { now, percentile, round, summary, tempDir, type RowResult } from "../lib";

const CREATES = 200;

export default async function concurrent(log: (line: string) => void): Promise<RowResult> {
  const dataDir = tempDir("concurrent");
  const simulatorToken = "bench-simulator-token";
  Object.assign(process.env, { DATA_DIR: dataDir, SIMULATOR_DELAY_MS: "50", SEEDANCE_API_TOKEN: "", SIMULATOR_TOKEN: simulatorToken, LOG_LEVEL: "warn" });
  const { openDatabase } = await import("@/lib/db/client");
  const { generations } = await import("@/lib/db/schema");
  const { createGeneration } = await import("@/lib/generations/create");
  const { handleSimulatorRequest } = await import("@/lib/simulator/handler");
  const { generationSpecSchema } = await import("@/lib/seedance/schema");
  const { createTestPipeline, serveWebHandler } = await import("@/tests/unit/support/pipeline");

  const simulator = await serveWebHandler(async (request) => {
    const segments = new URL(request.url).pathname.replace(/^\/api\/simulator\//, "").split("/");
    return handleSimulatorRequest(request, segments);
  });
  const conn = await openDatabase({ pgliteDir: undefined });
  const pipeline = await createTestPipeline({
    db: conn.db,
    upstream: { baseUrl: `${simulator.origin}/api/simulator`, token: simulatorToken },
    trustedMediaOrigins: [simulator.origin],
    pollIntervalMs: 200,
  });
  pipeline.startWorker(50);

  log(`${CREATES} creates at once (the worker runs beside them)…`);
  const started = now();
  const latencies: number[] = [];
  const outcomes = await Promise.allSettled(
    Array.from({ length: CREATES }, async (_, i) => {
      const t = now();
      // [sim:stall] keeps each task pending upstream: this row is about creating, not rendering.
      const spec = generationSpecSchema.parse({ model: "doubao-seedance-1-0-pro-fast-251015", prompt: `concurrent create ${i} [sim:stall]`, resolution: "480p", duration: 2 });
      const result = await createGeneration(pipeline.ctx, { spec });
      latencies.push(now() - t);
      return result.row;
    }),
  );
  const wallMs = now() - started;
  // Let the worker take one more look (a row a crash would leave queued is submitted there).
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await pipeline.close();
  await simulator.close();

  const failedCreates = outcomes.filter((o) => o.status === "rejected").map((o) => String((o as PromiseRejectedResult).reason)).slice(0, 5);
  const rows = await conn.db.select().from(generations);
  const taskDir = path.join(dataDir, "simulator", "tasks");
  const taskFiles = fs.existsSync(taskDir) ? fs.readdirSync(taskDir).filter((f) => f.endsWith(".json")) : [];
  const taskIds = new Set(taskFiles.map((f) => f.replace(/\.json$/, "")));
  const rowTaskIds = rows.map((r) => r.upstreamTaskId).filter((id): id is string => Boolean(id));
  const uniqueRowTaskIds = new Set(rowTaskIds);
  const statuses: Record<string, number> = {};
  for (const row of rows) statuses[row.status] = (statuses[row.status] ?? 0) + 1;
  const lost = CREATES - rows.filter((r) => r.upstreamTaskId && taskIds.has(r.upstreamTaskId)).length;
  const duplicated = rowTaskIds.length - uniqueRowTaskIds.size + [...taskIds].filter((id) => !uniqueRowTaskIds.has(id)).length;
  const met = rows.length === CREATES && taskIds.size === CREATES && lost === 0 && duplicated === 0 && failedCreates.length === 0;
  return {
    row: "concurrent",
    title: "200 concurrent creates",
    baseline: "none",
    measured: `${rows.length} rows, ${taskIds.size} upstream tasks, ${lost} lost, ${duplicated} duplicated (all ${CREATES} in ${round(wallMs / 1000, 1)} s)`,
    target: `${CREATES} rows, ${CREATES} upstream tasks, 0 lost, 0 duplicated`,
    met,
    details: {
      how: "createGeneration x200 via Promise.all on the test pipeline (in-memory PGlite, worker ticking every 50 ms, callback receiver) against the simulator handler on a local node:http server; simulator task files counted on disk",
      statuses,
      rowsWithoutTask: rows.filter((r) => !r.upstreamTaskId).length,
      tasksWithoutRow: [...taskIds].filter((id) => !uniqueRowTaskIds.has(id)).length,
      failedCreates,
      createLatencyMs: summary(latencies),
      p95CreateMs: round(percentile(latencies, 95), 0),
      wallMs: round(wallMs, 0),
    },
  };
}
