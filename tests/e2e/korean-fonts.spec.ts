import { expect, test } from "@playwright/test";
import { expectPainted, hydrated } from "./fixtures";

/*
 * This machine's Chromium has no system font with Hangul: what paints Korean is the self-hosted
 * Noto Sans KR (app/fonts/noto-sans-kr), or nothing (empty boxes).
 */

const BODY = (prompt: string) => ({
  model: "doubao-seedance-1-0-pro-fast-251015",
  content: [{ type: "text", text: prompt }],
  resolution: "480p",
  duration: 2,
});

test.describe("the Korean interface", () => {
  test.use({ locale: "ko-KR" });

  test("the Prompt label and the Generate button are painted in Noto Sans KR at the weights they use", async ({ page }) => {
    await page.goto("/");
    const label = page.locator('label[for="prompt"]');
    const generate = page.getByRole("button", { name: "생성" });
    await expectPainted(label, "500");
    await expectPainted(generate);
    // Every weight the interface sets is served: 400 text, 500 labels, 600 headings.
    for (const weight of ["400", "500", "600"]) {
      expect(await page.evaluate((w) => document.fonts.check(`${w} 14px "Noto Sans KR"`, "한"), weight), `weight ${weight}`).toBe(true);
      expect(await page.evaluate((w) => [...document.fonts].some((f) => f.family.replace(/"/g, "") === "Noto Sans KR" && f.weight === w), weight)).toBe(true);
    }
    // The faces block rather than swap: a label waits for its Hangul instead of showing boxes first.
    expect(await page.evaluate(() => [...new Set([...document.fonts].filter((f) => f.family.replace(/"/g, "") === "Noto Sans KR").map((f) => f.display))])).toEqual(["block"]);
    await page.screenshot({ path: "tests/artifacts/korean-fonts-studio.png" });
  });
});

test("a Korean prompt in the English interface gets its Hangul too", async ({ page, request }) => {
  const prompt = `눈 덮인 숲 위로 나는 드론 ${Date.now()}`;
  await request.post("/api/generations", { data: BODY(prompt) });
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  const card = page.getByRole("article", { name: new RegExp(`Clip: ${prompt}`) });
  const text = card.getByText(prompt, { exact: true }).first();
  await expectPainted(text);
  await card.screenshot({ path: "tests/artifacts/korean-prompt-english-card.png" });
});

const KOREAN_STYLESHEET = 'link[rel="stylesheet"][href^="/fonts/noto-sans-kr/"]';

test.describe("a page without Hangul", () => {
  test.beforeEach(async ({ page, request }) => {
    // Any path the studio does not know: the root layout, in English, with nothing Korean on it.
    const path = `/no-such-page-${Date.now()}`;
    const html = await (await request.get(path)).text();
    expect(html).toContain('lang="en"');
    // No stylesheet (nor preload) in the HTML: the page's first paint waits for none of it.
    expect(html).not.toMatch(/<link[^>]+\/fonts\/noto-sans-kr\//);
    await page.goto(path);
    // React has claimed the root layout (its skip link), so the font's watcher runs.
    await hydrated(page, [".skip-link"]);
    // Loaded, hydrated and idle, and still without it: its arrival would lay the page out again.
    await page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 5000 })));
    await expect(page.locator(KOREAN_STYLESHEET)).toHaveCount(0);
  });

  test("gets the Korean font when Hangul is added to it (a clip arriving), and paints that Hangul in it", async ({ page }) => {
    await page.evaluate(() => {
      const p = document.createElement("p");
      p.id = "late-hangul";
      p.textContent = "나중에 온 한국어";
      document.querySelector("main, body")!.append(p);
    });
    await expect(page.locator(KOREAN_STYLESHEET)).toHaveCount(1);
    await expectPainted(page.locator("#late-hangul"));
  });

  test("gets it when Hangul is typed into a field, and draws the typed Hangul in it", async ({ page }) => {
    await page.evaluate(() => {
      const field = document.createElement("textarea");
      field.id = "late-field";
      field.setAttribute("aria-label", "Late field");
      document.body.prepend(field);
    });
    // The field itself has no Hangul: nothing yet.
    await page.getByLabel("Late field").pressSequentially("a fox ");
    await expect(page.locator(KOREAN_STYLESHEET)).toHaveCount(0);
    await page.getByLabel("Late field").pressSequentially("여우");
    await expect(page.locator(KOREAN_STYLESHEET)).toHaveCount(1);
    // A face is fetched only for text drawn with it: the field's Hangul is.
    await expect.poll(() => page.evaluate(() => [...document.fonts].some((f) => f.family.replace(/"/g, "") === "Noto Sans KR" && f.status === "loaded"))).toBe(true);
  });

  test("gets it for a field that arrives holding Hangul (a restored draft)", async ({ page }) => {
    await page.evaluate(() => {
      const field = document.createElement("textarea");
      field.value = "눈 덮인 숲";
      document.body.prepend(field);
    });
    await expect(page.locator(KOREAN_STYLESHEET)).toHaveCount(1);
  });
});

test("a Korean clip that arrives live in the English studio gets its Hangul", async ({ page, request }) => {
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await hydrated(page);
  const prompt = `실시간으로 도착한 클립 ${Date.now()}`;
  expect((await request.post("/api/generations", { data: BODY(prompt) })).status()).toBe(201);
  const card = page.getByRole("article", { name: new RegExp(`Clip: ${prompt}`) });
  await expectPainted(card.getByText(prompt, { exact: true }).first());
});
