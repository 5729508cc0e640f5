import { expect, hydrated, test } from "./fixtures";

// The studio's first paint shows the whole composer at once (components/studio/first-paint.ts):
// on a phone the composer is a sheet fixed to the bottom, so a paint of half its HTML made the
// sheet grow upward under the creator's eyes once the rest arrived.

test("the studio holds its first paint until the whole composer is parsed", async ({ request }) => {
  const html = await (await request.get("/")).text();
  const head = html.slice(0, html.indexOf("</head>"));
  const hold = /<link rel="expect" href="#([\w-]+)" blocking="render"\/?>/.exec(head);
  expect(hold, "a render-blocking expect link in the head").not.toBeNull();
  const target = html.indexOf(`id="${hold![1]}"`);
  // The element it waits for exists, and comes after the composer's last part (Generate and its estimate).
  expect(target).toBeGreaterThan(-1);
  const composerEnd = html.indexOf("</section>", html.indexOf('aria-label="Create"'));
  expect(composerEnd).toBeGreaterThan(html.indexOf('aria-label="Create"'));
  expect(target).toBeGreaterThan(composerEnd);
  expect(html.lastIndexOf(">Generate<", target)).toBeGreaterThan(html.indexOf('aria-label="Create"'));
});

test.describe("on a phone with a slow CPU", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("nothing on the studio moves while it loads", async ({ page }) => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    await page.addInitScript(() => {
      const shifts: { value: number; sources: string[] }[] = [];
      (window as unknown as { __shifts: typeof shifts }).__shifts = shifts;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean; sources: { node?: Node | null }[] })[]) {
          if (entry.hadRecentInput) continue;
          shifts.push({ value: entry.value, sources: entry.sources.map((s) => (s.node instanceof Element ? `${s.node.tagName} ${s.node.getAttribute("aria-label") ?? ""} ${s.node.className}` : String(s.node?.nodeName))) });
        }
      }).observe({ type: "layout-shift", buffered: true });
    });
    await page.goto("/");
    await expect(page.getByRole("button", { name: "Generate" })).toBeInViewport();
    // Loaded and hydrated: the form and the gallery carry React's fibers, the page's scripts have run.
    await hydrated(page);
    await page.waitForLoadState("load");
    const shifts = await page.evaluate(() => (window as unknown as { __shifts: { value: number; sources: string[] }[] }).__shifts);
    const total = shifts.reduce((sum, s) => sum + s.value, 0);
    // Lighthouse calls 0.1 good; the sheet's old jump alone scored 0.05 to 0.08.
    expect(total, JSON.stringify(shifts)).toBeLessThan(0.01);
  });
});
