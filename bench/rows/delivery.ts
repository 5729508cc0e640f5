/**
 * Clip delivery: a 200 MB stored clip, read whole and with `Range`, through `serveStoredObject`
 * (the media routes' code: Web Request/Response, adapted to node:http as Next does) against a
 * plain `fs.createReadStream(...).pipe(res)` server. The client is curl in its own process, so
 * only the servers share this process; its RSS is sampled while they stream.
 *
 * The figure is a median of paired rounds: each round reads every kind once from each server
 * (which goes first alternates) and takes ours / plain for that round, so a burst of load from
 * another job on this shared machine moves one round's pair together instead of one side. With
 * four unpaired reads per side the worst ratio read 70% in one run and 113% in the next on
 * the same code; the median of many pairs does not swing like that.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { promisify } from "node:util";
import { parseRange, serveStoredObject } from "@/lib/media/serve";
import type { Storage } from "@/lib/storage";
import { fsStorage } from "@/lib/storage/fs";
import { closeServer, listen, mb, median, round, sampleRss, settleMemory, tempDir, type RowResult } from "../lib";

const SIZE = 200 * 1024 * 1024;
const KEY = "clips/g_benchdelivery0000/video.mp4";
/** Paired rounds per kind; about a second each on the 2-core machine. */
const ROUNDS = Number(process.env.BENCH_DELIVERY_ROUNDS ?? 15);
const run = promisify(execFile);

/** Our media path: node request -> Web Request -> serveStoredObject -> Web Response -> node response. */
function oursServer(root: string) {
  return mediaServer(fsStorage(root), KEY);
}

/** The media routes' code over any store, adapted to node:http as Next does (delivery-s3.ts uses it too). */
export function mediaServer(storage: Storage, key: string) {
  return http.createServer((req, res) => {
    void (async () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      const response = await serveStoredObject(storage, key, new Request(`http://bench${req.url}`, { method: req.method, headers }));
      const out: Record<string, string> = {};
      response.headers.forEach((value, name) => (out[name] = value));
      res.writeHead(response.status, out);
      if (!response.body) return res.end();
      Readable.fromWeb(response.body as unknown as WebReadableStream).pipe(res);
    })();
  });
}

/** The baseline: what a hand-written Node file server does. */
function plainServer(file: string) {
  return http.createServer((req, res) => {
    const size = fs.statSync(file).size;
    const range = parseRange(req.headers.range ?? null, size);
    if (range && range !== "unsatisfiable") {
      res.writeHead(206, { "content-type": "video/mp4", "content-length": range.end - range.start + 1, "content-range": `bytes ${range.start}-${range.end}/${size}` });
      fs.createReadStream(file, { start: range.start, end: range.end }).pipe(res);
    } else {
      res.writeHead(200, { "content-type": "video/mp4", "content-length": size });
      fs.createReadStream(file).pipe(res);
    }
  });
}

export async function curl(url: string, range?: string): Promise<{ bytes: number; seconds: number }> {
  const args = ["-s", "-o", "/dev/null", "-w", "%{size_download} %{time_total}", ...(range ? ["-H", `Range: ${range}`] : []), url];
  const { stdout } = await run("curl", args);
  const [bytes, seconds] = stdout.trim().split(" ").map(Number) as [number, number];
  return { bytes, seconds };
}

export default async function delivery(log: (line: string) => void): Promise<RowResult> {
  const root = tempDir("delivery");
  const file = path.join(root, KEY);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  log("writing a 200 MB file…");
  const chunk = Buffer.alloc(4 * 1024 * 1024);
  for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE((i * 2654435761) >>> 0, i);
  const fd = fs.openSync(file, "w");
  for (let written = 0; written < SIZE; written += chunk.length) fs.writeSync(fd, chunk);
  fs.closeSync(fd);

  const ours = oursServer(root);
  const plain = plainServer(file);
  const oursUrl = `${await listen(ours)}/x`;
  const plainUrl = `${await listen(plain)}/x`;
  const ranges = { full: undefined, "range (middle 100 MB)": `bytes=${50 * 2 ** 20}-${150 * 2 ** 20 - 1}`, "range (open-ended, last 20 MB)": `bytes=${180 * 2 ** 20}-` };
  type Kind = keyof typeof ranges;
  const SHORT: Record<Kind, string> = { full: "full", "range (middle 100 MB)": "middle", "range (open-ended, last 20 MB)": "open-ended" };
  const samples: Record<Kind, { ours: number[]; plain: number[]; ratio: number[] }> = {
    full: { ours: [], plain: [], ratio: [] },
    "range (middle 100 MB)": { ours: [], plain: [], ratio: [] },
    "range (open-ended, last 20 MB)": { ours: [], plain: [], ratio: [] },
  };
  // Warm the page cache and both code paths.
  await curl(plainUrl);
  await curl(oursUrl);
  await settleMemory();
  const rssBefore = process.memoryUsage().rss;
  const oursRss = { peak: 0 };
  const plainRss = { peak: 0 };
  log(`reading ${ROUNDS} paired rounds (full, 2 ranges; each server once per round, alternating which goes first)…`);
  for (let i = 0; i < ROUNDS; i++) {
    for (const kind of Object.keys(ranges) as Kind[]) {
      const order = i % 2 ? (["ours", "plain"] as const) : (["plain", "ours"] as const);
      const speed = { ours: 0, plain: 0 };
      for (const who of order) {
        const sampler = sampleRss();
        const answer = await curl(who === "ours" ? oursUrl : plainUrl, ranges[kind]);
        const { peak } = sampler.stop();
        const target = who === "ours" ? oursRss : plainRss;
        target.peak = Math.max(target.peak, peak);
        const expected = kind === "full" ? SIZE : kind === "range (middle 100 MB)" ? 100 * 2 ** 20 : 20 * 2 ** 20;
        if (answer.bytes !== expected) throw new Error(`${who} ${kind}: got ${answer.bytes} bytes, expected ${expected}`);
        speed[who] = answer.bytes / answer.seconds;
        samples[kind][who].push(speed[who]);
      }
      samples[kind].ratio.push(speed.ours / speed.plain);
    }
  }
  await closeServer(ours);
  await closeServer(plain);
  fs.rmSync(root, { recursive: true, force: true });

  const rows = (Object.keys(samples) as Kind[]).map((kind) => {
    const { ours: o, plain: p, ratio } = samples[kind];
    return {
      kind,
      oursMBps: round(median(o) / 2 ** 20, 0),
      plainMBps: round(median(p) / 2 ** 20, 0),
      ratio: round(median(ratio), 3),
      ratioRange: [round(Math.min(...ratio), 3), round(Math.max(...ratio), 3)],
    };
  });
  const worst = Math.min(...rows.map((r) => r.ratio));
  const growth = oursRss.peak - rssBefore;
  const full = rows[0]!;
  return {
    row: "delivery",
    title: "clip delivery (200 MB)",
    baseline: `fs.createReadStream pipe: ${full.plainMBps} MB/s full`,
    measured: `${full.oursMBps} MB/s full; worst median ratio ${round(worst * 100, 0)}% of ${ROUNDS} paired rounds (${rows.map((r) => `${SHORT[r.kind]} ${round(r.ratio * 100, 0)}%`).join(", ")}); peak RSS +${mb(growth)} MB`,
    ratio: worst,
    target: ">= 80% of the baseline's throughput, RSS flat (no file-sized buffers)",
    met: worst >= 0.8 && growth < 64 * 1024 * 1024,
    details: {
      how: `two node:http servers in one process (ours: serveStoredObject through Web Request/Response, as the media routes; baseline: fs.createReadStream().pipe(res)); curl downloads to /dev/null; per kind the median of ${ROUNDS} paired rounds' ours/baseline ratios, alternating which goes first; the figure is the worst kind's median`,
      rounds: ROUNDS,
      fileMb: SIZE / 2 ** 20,
      throughput: rows,
      rssMb: { before: mb(rssBefore), peakWhileOursStreams: mb(oursRss.peak), peakWhileBaselineStreams: mb(plainRss.peak), oursGrowth: mb(growth) },
    },
  };
}
