import { expect, test, type Locator } from "@playwright/test";

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

/**
 * Whether the element's Hangul is drawn in Noto Sans KR, at the weight and size it is set in:
 * - `document.fonts.check` is true once every face that text needs is loaded (and a loaded face of
 *   that weight must exist: check is also true for text no face covers);
 * - the laid-out width of its text equals the width a canvas measures for it in the same font: a
 *   run Chromium laid out before the font arrived keeps its missing-glyph boxes (narrower) even
 *   when the font is loaded, which check alone cannot see.
 */
async function paintedInNotoSansKr(locator: Locator) {
  return locator.evaluate(async (el) => {
    await document.fonts.ready;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let node: Node | null;
    while ((node = walker.nextNode()) && !/[\uac00-\ud7a3]/.test(node.textContent ?? ""));
    if (!node) return { hangul: false };
    const style = getComputedStyle(node.parentElement!);
    // Only its Hangul: Latin letters and digits are the system font's (Noto Sans KR covers Hangul only).
    const hangul = (node.textContent ?? "").replace(/[^\uac00-\ud7a3]/g, "");
    const loaded = [...document.fonts].filter((f) => f.family.replace(/"/g, "") === "Noto Sans KR" && f.status === "loaded" && f.weight === style.fontWeight);
    const range = document.createRange();
    range.selectNodeContents(node);
    const canvas = document.createElement("canvas").getContext("2d")!;
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const laidOut = range.getBoundingClientRect().width;
    const measured = canvas.measureText(node.textContent ?? "").width;
    return {
      hangul: true,
      weight: style.fontWeight,
      check: document.fonts.check(`${style.fontWeight} ${style.fontSize} "Noto Sans KR"`, hangul),
      loadedFaces: loaded.length,
      widthMatches: Math.abs(laidOut - measured) < 1,
    };
  });
}

async function expectPainted(locator: Locator, weight?: string) {
  await expect(locator).toBeVisible();
  await expect.poll(async () => paintedInNotoSansKr(locator)).toMatchObject({ hangul: true, check: true, widthMatches: true, ...(weight ? { weight } : {}) });
  expect((await paintedInNotoSansKr(locator)).loadedFaces).toBeGreaterThan(0);
}

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
