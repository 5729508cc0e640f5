/**
 * Gallery scroll: 5,000 clips in the database, the studio in Chromium at 1440x900, the window
 * scrolled to the end of the gallery page by page until the last page has loaded. Measured after
 * each page: the clip cards in the DOM, every DOM element, and the page's JS heap after a
 * forced garbage collection (Chrome DevTools Protocol). The gallery is virtualised (TanStack
 * Virtual): cards stay a screenful whatever the count, and the heap grows only by the clips' data.
 *
 * The production build is `.next-bench` (built when the sources changed, as the first-load row
 * does), or an existing one named by BENCH_NEXT_DIST_DIR.
 */
import path from "node:path";
import { BENCH_PORT, ensureProductionBuild, mb, round, startNextServer, tempDir, type RowResult } from "../lib";

const CLIPS = 5_000;
/** Cards the DOM may hold at once: a few screens of tiles, whatever the total. */
const MAX_CARDS = 200;
/** The heap at the end, after GC: the clips' JSON and their React state, nothing per scrolled card. */
const MAX_HEAP_MB = 40;
const CHROMIUM = process.env.CHROME_PATH || "/usr/bin/chromium";
const SHAPES = [
  { ratio: "16:9", width: 864, height: 480 },
  { ratio: "9:16", width: 480, height: 864 },
  { ratio: "1:1", width: 640, height: 640 },
  { ratio: "4:3", width: 736, height: 544 },
] as const;

async function seed(dataDir: string, log: (line: string) => void) {
  const { openDatabase } = await import("@/lib/db/client");
  const { generations } = await import("@/lib/db/schema");
  const conn = await openDatabase({ pgliteDir: path.join(dataDir, "pglite") });
  log(`inserting ${CLIPS} finished clips…`);
  const start = Date.now() - CLIPS * 60_000;
  for (let batch = 0; batch < CLIPS; batch += 500) {
    const values = Array.from({ length: 500 }, (_, j) => {
      const i = batch + j;
      const id = `g_scroll${String(i).padStart(8, "0")}`;
      // Every fifth prompt made four times in a row: groups of takes among single clips.
      const prompt = i % 20 < 4 ? `Takes ${Math.floor(i / 20)}: a lighthouse at dusk` : `Clip ${i}: waves on black sand, slow aerial orbit`;
      const shape = SHAPES[i % SHAPES.length]!;
      // Clips a minute apart, with a longer pause every 50: runs of tiles end there.
      const at = new Date(start + i * 60_000 + Math.floor(i / 50) * 3_600_000);
      const model = "doubao-seedance-1-0-pro-fast-251015" as const;
      return {
        id,
        status: "succeeded" as const,
        model,
        prompt,
        request: { model, prompt, resolution: "480p" as const, ratio: shape.ratio, duration: 5, seed: i },
        createdAt: at,
        updatedAt: at,
        succeededAt: at,
        videoKey: `clips/${id}/video.mp4`,
        videoBytes: 2_400_000,
        width: shape.width,
        height: shape.height,
        durationSec: 5,
        fps: 24,
        hasAudio: false,
        posterKey: `clips/${id}/poster.jpg`,
        lastFrameKey: `clips/${id}/last-frame.png`,
        seedUsed: i,
        usage: { completionTokens: 108_000, totalTokens: 108_000 },
      };
    });
    await conn.db.insert(generations).values(values);
  }
  // PGlite is one process's: the server opens the folder next.
  await conn.close();
}

export default async function galleryScroll(log: (line: string) => void): Promise<RowResult> {
  const dataDir = tempDir("gallery-scroll");
  Object.assign(process.env, { DATA_DIR: dataDir, LOG_LEVEL: "warn" });
  await seed(dataDir, log);
  const distDir = process.env.BENCH_NEXT_DIST_DIR;
  if (!distDir) await ensureProductionBuild(log);
  const server = await startNextServer({
    port: BENCH_PORT + 7,
    env: {
      DATA_DIR: dataDir,
      WORKER_DISABLED: "1",
      // A token and an unreachable upstream: no simulator, nothing polled.
      SEEDANCE_API_TOKEN: "bench-token",
      SEEDANCE_API_BASE_URL: "http://127.0.0.1:9",
      LOG_LEVEL: "warn",
      ...(distDir ? { NEXT_DIST_DIR: distDir } : {}),
    },
    logFile: path.join(dataDir, "server.log"),
  });
  const { chromium } = await import("@playwright/test");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // Media requests are not what this row measures (the clips' files do not exist here).
    await page.route("**/api/media/**", (route) => route.abort());
    let loaded = 0;
    let done = false;
    page.on("response", async (response) => {
      if (!/\/api\/generations\?/.test(response.url())) return;
      const body = (await response.json().catch(() => null)) as { items: unknown[]; nextCursor: string | null } | null;
      if (!body) return;
      loaded += body.items.length;
      if (!body.nextCursor) done = true;
    });
    const cdp = await page.context().newCDPSession(page);
    const measure = async () => {
      await cdp.send("HeapProfiler.collectGarbage");
      const heap = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number };
      const dom = await page.evaluate(() => ({ cards: document.querySelectorAll("article[data-clip]").length, elements: document.getElementsByTagName("*").length }));
      return { heap: heap.usedSize, ...dom };
    };
    await page.goto(server.origin);
    await page.getByRole("list", { name: "Clips" }).waitFor();
    // The server rendered the first page (24 clips) into the HTML.
    loaded = 24;
    const first = await measure();
    log(`first screen: ${first.cards} cards, ${first.elements} elements, heap ${mb(first.heap)} MB`);
    const samples: { loaded: number; cards: number; elements: number; heapMb: number }[] = [];
    let maxCards = first.cards;
    let maxElements = first.elements;
    const started = Date.now();
    while (!done && Date.now() - started < 15 * 60_000) {
      const before = loaded;
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      // The next page arrives when the end is near; wait for it (or for the end).
      for (let waited = 0; loaded === before && !done && waited < 10_000; waited += 50) await page.waitForTimeout(50);
      const dom = await page.evaluate(() => ({ cards: document.querySelectorAll("article[data-clip]").length, elements: document.getElementsByTagName("*").length }));
      maxCards = Math.max(maxCards, dom.cards);
      maxElements = Math.max(maxElements, dom.elements);
      if (loaded - (samples.at(-1)?.loaded ?? 0) >= 1000 || done) {
        const m = await measure();
        samples.push({ loaded, cards: m.cards, elements: m.elements, heapMb: mb(m.heap) });
        log(`${loaded} clips loaded: ${m.cards} cards, ${m.elements} elements, heap ${mb(m.heap)} MB`);
      }
      if (loaded === before && !done) throw new Error(`scrolling stopped loading at ${loaded} clips`);
    }
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const end = await measure();
    const lastCard = await page.locator("article[data-clip]").last().getAttribute("data-clip");
    const reachedEnd = lastCard === "g_scroll00000000";
    const heapMb = mb(end.heap);
    const met = reachedEnd && loaded >= CLIPS && maxCards <= MAX_CARDS && heapMb <= MAX_HEAP_MB;
    return {
      row: "gallery-scroll",
      title: "gallery scrolled to the end (5,000 clips)",
      baseline: `first screen: ${first.cards} cards, ${first.elements} DOM elements, heap ${mb(first.heap)} MB`,
      measured: `${loaded} clips loaded, at most ${maxCards} cards and ${maxElements} elements in the DOM; heap ${heapMb} MB at the end`,
      target: `the last clip reached; <= ${MAX_CARDS} cards in the DOM at any time; heap <= ${MAX_HEAP_MB} MB`,
      met,
      details: {
        how: "5,000 rows (four shapes, groups of four takes) inserted into PGlite, next start of the production build with the worker off; Chromium at 1440x900 scrolls the window to the end until the last page loads; cards counted as article[data-clip]; heap from CDP Runtime.getHeapUsage after HeapProfiler.collectGarbage",
        reachedEnd,
        samples,
        seconds: round((Date.now() - started) / 1000, 1),
      },
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}
