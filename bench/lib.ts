/**
 * Shared helpers of the benchmark rows: statistics, timing, memory sampling, loopback HTTP,
 * and the production build / server the HTTP rows run against.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

/** Extra environment variables for a child process. */
export type Env = Record<string, string | undefined>;

export const ROOT = path.resolve(import.meta.dirname, "..");
export const DIST_DIR = ".next-bench";

/** What one row reports: the figures of its table line, and whatever else explains them. */
export interface RowResult {
  row: string;
  title: string;
  baseline: string;
  measured: string;
  target: string;
  /** measured ÷ baseline where the row has one. */
  ratio?: number;
  /** null: not measured (see `note`). */
  met: boolean | null;
  note?: string;
  details: Record<string, unknown>;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

export const median = (values: number[]) => percentile(values, 50);

export function summary(values: number[]) {
  return {
    n: values.length,
    p50: round(percentile(values, 50)),
    p95: round(percentile(values, 95)),
    p99: round(percentile(values, 99)),
    min: round(Math.min(...values)),
    max: round(Math.max(...values)),
  };
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
export const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);
export const now = () => performance.now();

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `seedance-bench-${prefix}-`));
}

/** Samples this process's RSS every `everyMs` until stopped; returns the peak and the samples. */
export function sampleRss(everyMs = 20) {
  const samples: number[] = [process.memoryUsage().rss];
  const timer = setInterval(() => samples.push(process.memoryUsage().rss), everyMs);
  return {
    stop() {
      clearInterval(timer);
      samples.push(process.memoryUsage().rss);
      return { peak: Math.max(...samples), last: samples.at(-1)!, samples };
    },
  };
}

/** Frees what the row no longer needs before a memory reading (run with --expose-gc). */
export async function settleMemory() {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------------------------
// Loopback HTTP

/** A keep-alive agent, so the client's own connection setup does not count against either side. */
export const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export function request(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? "GET", headers: opts.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

export async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function closeServer(server: http.Server) {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

// ---------------------------------------------------------------------------------------------
// The production build and server

const SOURCES = ["app", "lib", "components", "public", "next.config.mjs", "tailwind.config.ts", "postcss.config.mjs", "tsconfig.json", "package.json", "package-lock.json", "proxy.ts", "instrumentation.ts"];

function listFiles(target: string, into: string[]): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    return into;
  }
  if (stat.isDirectory()) for (const entry of fs.readdirSync(target)) listFiles(path.join(target, entry), into);
  else into.push(target);
  return into;
}

/**
 * Every source file's path and content, hashed. Compared with the one a build was made from,
 * rather than "built after the newest file", which let a build made while a file was briefly
 * different pass as fresh once the file was put back (a stale build was measured that way).
 */
function sourcesFingerprint(): string {
  const hash = createHash("sha256");
  for (const file of SOURCES.flatMap((s) => listFiles(path.join(ROOT, s), [])).sort()) {
    hash.update(`${path.relative(ROOT, file)}\0`).update(fs.readFileSync(file)).update("\0");
  }
  return hash.digest("hex");
}

/** Runs a command to the end, its output into `logFile`; rejects on a non-zero exit. */
export function runCommand(command: string, args: string[], opts: { cwd: string; env?: Env; logFile: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const log = fs.openSync(opts.logFile, "w");
    const child = spawn(command, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ["ignore", log, log] });
    child.on("error", reject);
    child.on("close", (code) => {
      fs.closeSync(log);
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(" ")} exited with ${code}; see ${opts.logFile}`));
    });
  });
}

const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");

/**
 * `next build` into `.next-bench`, unless that build was made from the sources as they are now.
 * `next build` adds its dist folder's type globs to tsconfig.json: the file is put back as it was.
 */
export async function ensureProductionBuild(log: (line: string) => void): Promise<{ built: boolean; seconds: number }> {
  const stamp = path.join(ROOT, DIST_DIR, "bench-sources.sha256");
  const sources = sourcesFingerprint();
  const builtFrom = fs.existsSync(stamp) ? fs.readFileSync(stamp, "utf8") : null;
  if (builtFrom === sources && process.env.BENCH_REBUILD !== "1") return { built: false, seconds: 0 };
  log(`building the app into ${DIST_DIR}/ (next build; a few minutes on 2 cores)…`);
  const started = now();
  fs.rmSync(stamp, { force: true });
  await buildNextApp(ROOT, path.join(os.tmpdir(), "seedance-bench-build.log"), { NEXT_DIST_DIR: DIST_DIR });
  // The sources as they were when the build started: an edit made meanwhile rebuilds next time.
  fs.writeFileSync(stamp, sources);
  return { built: true, seconds: round((now() - started) / 1000, 1) };
}

export async function buildNextApp(dir: string, logFile: string, env: Env = {}) {
  const tsconfig = path.join(dir, "tsconfig.json");
  const before = fs.existsSync(tsconfig) ? fs.readFileSync(tsconfig) : null;
  try {
    await runCommand(process.execPath, [NEXT_BIN, "build"], { cwd: dir, env: { NEXT_TELEMETRY_DISABLED: "1", ...env }, logFile });
  } finally {
    if (before && !fs.readFileSync(tsconfig).equals(before)) fs.writeFileSync(tsconfig, before);
  }
}

export interface NextServer {
  origin: string;
  pid: number;
  /** Resident memory of the server process (from /proc), in bytes. */
  rss(): number;
  stop(): Promise<void>;
}

/** `next start` of a build on `port`, with `env` on top of ours; resolves once `readyPath` answers. */
export async function startNextServer({
  dir = ROOT,
  port,
  env,
  readyPath = "/api/health",
  logFile,
  nodeArgs = [],
}: {
  dir?: string;
  port: number;
  env: Env;
  readyPath?: string;
  logFile: string;
  /** Flags for the server's Node (e.g. --cpu-prof while looking for a cost). */
  nodeArgs?: string[];
}): Promise<NextServer> {
  const log = fs.openSync(logFile, "w");
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: dir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NEXT_DIST_DIR: dir === ROOT ? DIST_DIR : undefined, ...env, NODE_ENV: "production", PORT: String(port) },
    stdio: ["ignore", log, log],
  });
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`next start exited early; see ${logFile}`);
    try {
      const answer = await request(`${origin}${readyPath}`);
      if (answer.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`next start did not answer ${readyPath} within 60 s; see ${logFile}`);
    }
    await sleep(200);
  }
  return {
    origin,
    pid: child.pid!,
    rss() {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
        return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
      } catch {
        return 0;
      }
    },
    async stop() {
      if (exited) return;
      const done = new Promise<void>((resolve) => child.on("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await done;
      clearTimeout(timer);
      fs.closeSync(log);
    },
  };
}

/** Ports for the production servers the rows start (override with BENCH_PORT). */
export const BENCH_PORT = Number(process.env.BENCH_PORT || 3400);
