/**
 * `npm run bench [-- row ...]`: runs each row of the performance table in its own Node process
 * (clean memory figures, its own environment), prints the table, writes bench/results.json.
 * Figures never fail the command: it exits non-zero only when the bench itself breaks.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, round, type RowResult } from "./lib";
import { ROWS, type RowName } from "./rows";

const RESULTS = path.join(ROOT, "bench/results.json");

function runRow(name: RowName): Promise<RowResult> {
  const out = path.join(os.tmpdir(), `seedance-bench-${name}-${process.pid}.json`);
  fs.rmSync(out, { force: true });
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--expose-gc", "--import", "tsx", path.join(ROOT, "bench/row.ts"), name, out],
      // bench/tsconfig.json maps `server-only` to the tests' stub, as vitest does: rows import server code.
      { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, NODE_OPTIONS: "", TSX_TSCONFIG_PATH: path.join(ROOT, "bench/tsconfig.json") } },
    );
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0 && fs.existsSync(out)) {
        resolve(JSON.parse(fs.readFileSync(out, "utf8")) as RowResult);
        fs.rmSync(out, { force: true });
      } else reject(new Error(`row ${name} exited with ${code}`));
    });
  });
}

function table(results: RowResult[]): string {
  const head = ["row", "baseline", "measured", "ratio / target", "met"];
  const lines = results.map((r) => [
    `${r.row}: ${r.title}`,
    r.baseline,
    r.measured,
    `${r.ratio !== undefined ? `${round(r.ratio, 2)}x; ` : ""}${r.target}`,
    r.met === null ? "not measured" : r.met ? "yes" : "NO",
  ]);
  const widths = head.map((h, i) => Math.min(60, Math.max(h.length, ...lines.map((l) => l[i]!.length))));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ");
  return [fmt(head), widths.map((w) => "-".repeat(w)).join("-|-"), ...lines.map(fmt)].join("\n");
}

async function main() {
  const asked = process.argv.slice(2).filter((a) => a !== "--");
  const unknown = asked.filter((a) => !(a in ROWS));
  if (unknown.length) {
    console.error(`Unknown row(s): ${unknown.join(", ")}. Rows: ${Object.keys(ROWS).join(", ")}`);
    process.exit(2);
  }
  const names = (asked.length ? asked : Object.keys(ROWS)) as RowName[];
  const started = Date.now();
  const results: RowResult[] = [];
  for (const name of names) {
    console.log(`\n== ${name}: ${ROWS[name]}`);
    const rowStarted = Date.now();
    try {
      const result = await runRow(name);
      results.push(result);
      console.log(`   ${result.measured} (baseline ${result.baseline}; target ${result.target}) -> ${result.met === null ? "not measured" : result.met ? "met" : "NOT met"} [${round((Date.now() - rowStarted) / 1000, 1)} s]`);
    } catch (error) {
      // One broken row does not hide the others; the command still fails at the end.
      console.error(`   row ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      results.push({ row: name, title: ROWS[name], baseline: "-", measured: "bench error", target: "-", met: null, note: String(error), details: {} });
      process.exitCode = 1;
    }
  }
  // Rows run alone keep the figures of the others from the previous full run.
  let previous: RowResult[] = [];
  try {
    previous = (JSON.parse(fs.readFileSync(RESULTS, "utf8")) as { rows: RowResult[] }).rows ?? [];
  } catch {
    // first run
  }
  const merged = [...previous.filter((p) => !names.includes(p.row as RowName) && p.row in ROWS), ...results].sort(
    (a, b) => Object.keys(ROWS).indexOf(a.row) - Object.keys(ROWS).indexOf(b.row),
  );
  const document = {
    ranAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGb: round(os.totalmem() / 2 ** 30, 1), node: process.version, loadAverage: os.loadavg().map((l) => round(l, 2)) },
    seconds: round((Date.now() - started) / 1000, 1),
    rows: merged,
  };
  fs.writeFileSync(RESULTS, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`\n${table(results)}\n\nWrote ${path.relative(process.cwd(), RESULTS)} (${document.seconds} s).`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
