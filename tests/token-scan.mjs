#!/usr/bin/env node
/**
 * Proves SEEDANCE_API_TOKEN stays on the server: builds the app with a known fake token, scans
 * every file of the build (JS chunks, HTML, RSC payloads, server action manifests, source
 * maps) for it, then starts the build with that token against a hostile local upstream (it
 * echoes the Authorization header it receives into its error messages) and scans pages, API
 * answers, the SSE stream, share pages and the server's own log lines.
 *
 *   node tests/token-scan.mjs                 # build into .next-token-scan, then scan
 *   node tests/token-scan.mjs --dist .next-sec --no-build   # reuse a build made with
 *        SEEDANCE_API_TOKEN=$TOKEN_SCAN_TOKEN (default below)
 *
 * Exit 0 when the token was found nowhere; 1 with every place it was found otherwise.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};

const TOKEN = process.env.TOKEN_SCAN_TOKEN || "sk-FAKE-TOKEN-scan-7f3c9e1d2b4a";
const DIST = option("--dist", ".next-token-scan");
const PORT = Number(option("--port", process.env.TOKEN_SCAN_PORT || "3240"));
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const findings = [];

/** The token as it could be written: plain, base64, base64url, hex, percent-encoded, JSON-escaped. */
const needles = [
  TOKEN,
  Buffer.from(TOKEN).toString("base64").replace(/=+$/, ""),
  Buffer.from(TOKEN).toString("base64url"),
  Buffer.from(TOKEN).toString("hex"),
  encodeURIComponent(TOKEN),
  TOKEN.slice(3, 23), // a long distinctive part of it
];

function scanText(where, text) {
  for (const needle of needles) {
    if (needle && text.includes(needle)) findings.push(`${where}: contains ${needle === TOKEN ? "the token" : `an encoding of the token (${needle})`}`);
  }
}

function scanDir(dir) {
  let files = 0;
  const walk = (current) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === "cache") continue; // the build cache holds webpack/turbopack internals, not served
        walk(full);
      } else if (entry.isFile()) {
        files++;
        scanText(path.relative(root, full), fs.readFileSync(full).toString("latin1"));
      }
    }
  };
  walk(dir);
  return files;
}

function step(message) {
  console.log(`token-scan: ${message}`);
}

// 1. Build with the fake token.
const distPath = path.join(root, DIST);
if (!flag("--no-build")) {
  step(`building into ${DIST} with a fake SEEDANCE_API_TOKEN`);
  // next build adds its output folder to tsconfig.json's include: put the file back afterwards.
  const tsconfigPath = path.join(root, "tsconfig.json");
  const tsconfig = fs.readFileSync(tsconfigPath);
  const build = spawnSync("npx", ["next", "build"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NEXT_DIST_DIR: DIST, SEEDANCE_API_TOKEN: TOKEN, NEXT_TELEMETRY_DISABLED: "1" },
    encoding: "utf8",
  });
  fs.writeFileSync(tsconfigPath, tsconfig);
  scanText("build output", `${build.stdout}${build.stderr}`);
  if (build.status !== 0) {
    console.error(build.stdout, build.stderr);
    console.error("token-scan: the build failed");
    process.exit(1);
  }
}
if (!fs.existsSync(path.join(distPath, "BUILD_ID"))) {
  console.error(`token-scan: no build in ${DIST}`);
  process.exit(1);
}
const scanned = scanDir(distPath);
step(`scanned ${scanned} build files`);

// 2. A hostile upstream: echoes the credential it was sent into every error it returns.
let upstreamCalls = 0;
const upstream = http.createServer((req, res) => {
  upstreamCalls++;
  const auth = req.headers.authorization ?? "";
  req.resume();
  req.on("end", () => {
    const body = JSON.stringify({ error: { code: "invalid_token", message: `The token in "${auth}" is not valid (${auth.replace(/^Bearer /, "")}).` }, trace_id: auth });
    res.writeHead(401, { "content-type": "application/json", "x-echo": auth.replace(/[^\x20-\x7e]/g, "") });
    res.end(body);
  });
});
await new Promise((resolve) => upstream.listen(0, "127.0.0.1", resolve));
const upstreamUrl = `http://127.0.0.1:${upstream.address().port}`;

// 3. The server, with the token, against that upstream.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "seedance-token-scan-"));
let serverLog = "";
const server = spawn("npx", ["next", "start", "-p", String(PORT), "-H", "127.0.0.1"], {
  cwd: root,
  env: {
    ...process.env,
    NEXT_DIST_DIR: DIST,
    PORT: String(PORT),
    DATA_DIR: dataDir,
    DATABASE_URL: "",
    SEEDANCE_API_TOKEN: TOKEN,
    SEEDANCE_API_BASE_URL: upstreamUrl,
    PUBLIC_BASE_URL: "",
    STUDIO_PASSWORD: "",
    POLL_INTERVAL_MS: "500",
    LOG_LEVEL: "debug",
  },
  stdio: ["ignore", "pipe", "pipe"],
  detached: true,
});
server.stdout.on("data", (d) => (serverLog += d));
server.stderr.on("data", (d) => (serverLog += d));
const stopServer = () => {
  try {
    process.kill(-server.pid, "SIGTERM");
  } catch {
    // already gone
  }
};
process.on("exit", stopServer);

const base = `http://127.0.0.1:${PORT}`;
const deadline = Date.now() + 60_000;
for (;;) {
  try {
    if ((await fetch(`${base}/api/health`)).ok) break;
  } catch {
    // not up yet
  }
  if (Date.now() > deadline || server.exitCode !== null) {
    console.error(serverLog);
    console.error("token-scan: the server did not start");
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 300));
}

async function get(url, init) {
  const response = await fetch(`${base}${url}`, { redirect: "manual", ...init });
  const text = await response.text();
  const headers = [...response.headers].map(([k, v]) => `${k}: ${v}`).join("\n");
  scanText(`${init?.method ?? "GET"} ${url} (${response.status})`, `${headers}\n${text}`);
  return { status: response.status, text };
}

// The SSE stream, read while a generation is created and fails upstream.
const sse = (async () => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 8000);
  let text = "";
  try {
    const response = await fetch(`${base}/api/generations/events`, { signal: controller.signal });
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString("utf8");
    }
  } catch {
    // aborted on purpose
  } finally {
    clearTimeout(timer);
  }
  scanText("GET /api/generations/events (SSE)", text);
  return text;
})();

await new Promise((r) => setTimeout(r, 500));
const body = {
  model: "doubao-seedance-1-0-pro-fast-251015",
  content: [{ type: "text", text: "A fox in the snow" }],
  resolution: "480p",
  duration: 5,
};
const created = await get("/api/generations", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
let id;
try {
  id = JSON.parse(created.text).id;
} catch {
  // reported below through the scan of its text
}
await get("/api/generations", { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
await get("/api/generations", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...body, callback_url: "https://x" }) });
for (const url of ["/", "/sign-in", "/api/health", "/api/generations", "/api/generations?status=failed", "/v/nothing-here", "/g/nothing-here", "/nope", "/api/media/clips/x/video.mp4"]) {
  await get(url);
}
if (id) {
  await new Promise((r) => setTimeout(r, 1500));
  await get(`/api/generations/${id}`);
  await get("/"); // the studio page with the failed clip in its first page
}
const streamed = await sse;

// Every script the studio page loads, as the browser fetches it.
const page = await get("/");
for (const src of new Set([...page.text.matchAll(/src="(\/_next\/[^"]+)"/g)].map((m) => m[1]))) await get(src);

await new Promise((r) => setTimeout(r, 500));
stopServer();
upstream.close();
scanText("server log", serverLog);
fs.rmSync(dataDir, { recursive: true, force: true });

if (upstreamCalls === 0) findings.push("the upstream was never called: the scan did not exercise the token path");
if (!streamed.includes("event: generation")) findings.push("the SSE stream carried no generation event: the scan did not see the stream");
step(`upstream called ${upstreamCalls} time(s); server log ${serverLog.split("\n").length} lines`);

if (findings.length) {
  console.error("token-scan: FAILED, the token was found:");
  for (const finding of findings) console.error(`  - ${finding}`);
  process.exit(1);
}
step("the token appears in no build file, page, API answer, SSE event or log line");
process.exit(0);
