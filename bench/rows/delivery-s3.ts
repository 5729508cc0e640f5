/**
 * Clip delivery from the object store: a 200 MB clip in an S3 bucket (s3rver on loopback, in its
 * own process), read whole and with `Range` through our media path (`serveStoredObject` over the
 * S3 store: a HEAD, then a ranged GET streamed through), against a direct GET of the same object
 * from the S3 server (a signed URL, as MEDIA_DELIVERY=redirect hands out). curl is the client.
 * A bare node:http proxy of the same GET is measured beside them: what one more hop costs on
 * this machine, whatever the code (ours is two processes' work where the direct GET is one).
 * Paired rounds as in delivery.ts; this process's RSS (our server) is sampled while it streams.
 */
import { spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { s3Storage } from "@/lib/storage/s3";
import { closeServer, listen, mb, median, ROOT, round, sampleRss, settleMemory, type RowResult } from "../lib";
import { curl, mediaServer } from "./delivery";

const SIZE = 200 * 1024 * 1024;
const KEY = "clips/g_benchdelivery0000/video.mp4";
/** Paired rounds per kind; each moves 320 MB per side through s3rver. */
const ROUNDS = Number(process.env.BENCH_DELIVERY_S3_ROUNDS ?? 7);

async function startS3rver() {
  const child = spawn(process.execPath, ["--openssl-legacy-provider", path.join(ROOT, "tests/scale/s3-server.mjs")], { stdio: ["ignore", "pipe", "inherit"] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`s3rver exited (${code})`)));
  });
  const { endpoint, bucket } = JSON.parse(line) as { endpoint: string; bucket: string };
  return { endpoint, bucket, stop: () => child.kill("SIGTERM") };
}

/** What any proxy hop costs here: node:http piping the store's answer through, nothing else. */
function plainProxy(target: string) {
  return http.createServer((req, res) => {
    const upstream = http.get(target, { headers: req.headers.range ? { range: req.headers.range } : {} }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.destroy());
  });
}

export default async function deliveryS3(log: (line: string) => void): Promise<RowResult> {
  const server = await startS3rver();
  const storage = s3Storage({ bucket: server.bucket, endpoint: server.endpoint, region: "us-east-1", prefix: "bench", forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
  log("uploading a 200 MB clip (streamed multipart)…");
  const chunk = Buffer.alloc(4 * 1024 * 1024);
  for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE((i * 2654435761) >>> 0, i);
  await storage.put(KEY, Readable.from((function* () { for (let sent = 0; sent < SIZE; sent += chunk.length) yield chunk; })()));

  const ours = mediaServer(storage, KEY);
  const oursUrl = `${await listen(ours)}/x`;
  const directUrl = await storage.signedUrl!(KEY, { expiresInSec: 3600 });
  const proxy = plainProxy(directUrl);
  const proxyUrl = `${await listen(proxy)}/x`;
  const ranges = { full: undefined, middle: `bytes=${50 * 2 ** 20}-${150 * 2 ** 20 - 1}`, "open-ended": `bytes=${180 * 2 ** 20}-` };
  type Kind = keyof typeof ranges;
  const expected: Record<Kind, number> = { full: SIZE, middle: 100 * 2 ** 20, "open-ended": 20 * 2 ** 20 };
  const samples: Record<Kind, { ours: number[]; direct: number[]; proxy: number[]; ratio: number[]; proxyRatio: number[] }> = {
    full: { ours: [], direct: [], proxy: [], ratio: [], proxyRatio: [] },
    middle: { ours: [], direct: [], proxy: [], ratio: [], proxyRatio: [] },
    "open-ended": { ours: [], direct: [], proxy: [], ratio: [], proxyRatio: [] },
  };
  await curl(directUrl);
  await curl(oursUrl);
  await settleMemory();
  const rssBefore = process.memoryUsage().rss;
  let oursPeak = 0;
  log(`reading ${ROUNDS} paired rounds (full, 2 ranges; alternating which goes first)…`);
  for (let i = 0; i < ROUNDS; i++) {
    for (const kind of Object.keys(ranges) as Kind[]) {
      const order = i % 2 ? (["ours", "proxy", "direct"] as const) : (["direct", "proxy", "ours"] as const);
      const speed = { ours: 0, direct: 0, proxy: 0 };
      for (const who of order) {
        const sampler = sampleRss();
        const answer = await curl(who === "ours" ? oursUrl : who === "proxy" ? proxyUrl : directUrl, ranges[kind]);
        const { peak } = sampler.stop();
        if (who === "ours") oursPeak = Math.max(oursPeak, peak);
        if (answer.bytes !== expected[kind]) throw new Error(`${who} ${kind}: got ${answer.bytes} bytes, expected ${expected[kind]}`);
        speed[who] = answer.bytes / answer.seconds;
        samples[kind][who].push(speed[who]);
      }
      samples[kind].ratio.push(speed.ours / speed.direct);
      samples[kind].proxyRatio.push(speed.proxy / speed.direct);
    }
  }
  await closeServer(ours);
  await closeServer(proxy);
  await storage.delete(KEY);
  server.stop();

  const rows = (Object.keys(samples) as Kind[]).map((kind) => {
    const { ours: o, direct: d, proxy: p, ratio, proxyRatio } = samples[kind];
    return {
      kind,
      oursMBps: round(median(o) / 2 ** 20, 0),
      directMBps: round(median(d) / 2 ** 20, 0),
      plainProxyMBps: round(median(p) / 2 ** 20, 0),
      ratio: round(median(ratio), 3),
      ratioRange: [round(Math.min(...ratio), 3), round(Math.max(...ratio), 3)],
      plainProxyRatio: round(median(proxyRatio), 3),
    };
  });
  const worst = Math.min(...rows.map((r) => r.ratio));
  const growth = oursPeak - rssBefore;
  const full = rows[0]!;
  return {
    row: "delivery-s3",
    title: "clip delivery from S3 (200 MB)",
    baseline: `direct GET from the S3 server: ${full.directMBps} MB/s full`,
    measured: `${full.oursMBps} MB/s full (a bare node:http proxy: ${full.plainProxyMBps} MB/s); worst median ratio ${round(worst * 100, 0)}% of ${ROUNDS} paired rounds (${rows.map((r) => `${r.kind} ${round(r.ratio * 100, 0)}%`).join(", ")}); peak RSS +${mb(growth)} MB`,
    ratio: worst,
    target: ">= 80% of a direct GET's throughput, RSS flat (no clip-sized buffers)",
    met: worst >= 0.8 && growth < 64 * 1024 * 1024,
    details: {
      how: `s3rver in its own process on loopback; ours: a node:http server running serveStoredObject over the S3 store (HEAD + ranged GET, streamed); direct: a signed GET URL of the same object; curl to /dev/null; per kind the median of ${ROUNDS} paired rounds' ours/direct ratios`,
      rounds: ROUNDS,
      fileMb: SIZE / 2 ** 20,
      throughput: rows,
      rssMb: { before: mb(rssBefore), peakWhileOursStreams: mb(oursPeak), oursGrowth: mb(growth) },
    },
  };
}
