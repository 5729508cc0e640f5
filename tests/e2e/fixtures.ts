import { test as base, expect, type APIRequestContext, type Locator, type Page } from "@playwright/test";

/** The simulator's token on the e2e server (playwright.config.ts `webServer.env`). */
/** A small, fast clip's JSON API body (the simulator renders it in about a second). */
export const BODY = (prompt: string, extra: Record<string, unknown> = {}) => ({
  model: "doubao-seedance-1-0-pro-fast-251015",
  content: [{ type: "text", text: prompt }],
  resolution: "480p",
  duration: 2,
  ...extra,
});

export const SIMULATOR_TOKEN = "e2e-simulator-token";

/** The request the simulator (our upstream) received for a generation. */
export async function upstreamRequestOf(request: APIRequestContext, generationId: string) {
  const generation = await (await request.get(`/api/generations/${generationId}`)).json();
  const response = await request.post("/api/simulator/seedance/tasks", {
    headers: { authorization: `Bearer ${SIMULATOR_TOKEN}` },
    data: { id: generation.upstreamTaskId, action: "retrieve" },
  });
  expect(response.ok()).toBeTruthy();
  return (await response.json()).request as {
    model: string;
    content: { type: string; text?: string; image_url?: { url: string }; role?: string }[];
    [key: string]: unknown;
  };
}

/** React has claimed the server's HTML: the elements (by default the form's prompt and the gallery) carry fibers. */
/** Holds the page's requests to `url` until the returned function is called: what waits on them shows meanwhile. */
export async function holdRequests(page: Page, url: string | RegExp) {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(url, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

export async function hydrated(page: Page, selectors = ["#prompt", "section[aria-label='Gallery']"]) {
  await page.waitForFunction(
    (wanted) =>
      wanted.every((selector) => {
        const node = document.querySelector(selector);
        return node !== null && Object.keys(node).some((key) => key.startsWith("__reactFiber"));
      }),
    selectors,
  );
}

/** The model chip opens the cards; a card's radio is named by the model. Works in any language. */
export async function pickModel(page: Page, label: string) {
  await page.locator("#model").click();
  await page.getByRole("dialog").getByRole("radio", { name: label, exact: true }).click();
  await expect(page.locator("#model")).toHaveAccessibleName(new RegExp(` ${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`));
}

export async function openAdvanced(page: Page) {
  const handle = page.getByRole("button", { name: "More settings" });
  if (await handle.isVisible()) await handle.click();
  const drawer = page.locator("form details");
  if (!(await drawer.evaluate((node) => (node as HTMLDetailsElement).open))) await drawer.locator("summary").click();
  await expect(drawer.locator("#seed")).toBeVisible();
}

/**
 * Whether the element's Hangul is drawn in Noto Sans KR, at the weight and size it is set in:
 * - `document.fonts.check` is true once every face that text needs is loaded (and a loaded face of
 *   that weight must exist: check is also true for text no face covers);
 * - the laid-out width of its text equals the width a canvas measures for it in the same font: a
 *   run Chromium laid out before the font arrived keeps its missing-glyph boxes (narrower) even
 *   when the font is loaded, which check alone cannot see.
 */
export async function paintedInNotoSansKr(locator: Locator) {
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
      // Before the stylesheet's faces exist, check() is true and the widths match vacuously.
      hasLoadedFace: loaded.length > 0,
      widthMatches: Math.abs(laidOut - measured) < 1,
    };
  });
}

export async function expectPainted(locator: Locator, weight?: string) {
  await expect(locator).toBeVisible();
  await expect.poll(async () => paintedInNotoSansKr(locator)).toMatchObject({ hangul: true, hasLoadedFace: true, check: true, widthMatches: true, ...(weight ? { weight } : {}) });
}

export class StudioPage {
  constructor(readonly page: Page) {}
  /** The studio, hydrated: a click React has not claimed yet (a checkbox's) would be undone by it. */
  async open() {
    await this.page.goto("/");
    await expect(this.page.getByRole("button", { name: "Generate" })).toBeVisible();
    await hydrated(this.page);
  }
  prompt() {
    return this.page.getByLabel("Prompt", { exact: true });
  }
  /** The model chip: its accessible name says the model ("Model Seedance 2.0"). */
  model() {
    return this.page.locator("#model");
  }
  /** Picks a model from its cards, as a creator does, and waits for the chip to say it. */
  async pickModel(label: string) {
    await pickModel(this.page, label);
  }
  /** On a phone, opens the composer sheet past its peek (prompt, model, Generate); nothing on a wide screen. */
  async settings() {
    const handle = this.page.getByRole("button", { name: "More settings" });
    if (await handle.isVisible()) await handle.click();
    await expect(this.page.getByLabel("720p")).toBeVisible();
  }
  /** Opens the Advanced drawer (seed, watermark, expiry, task options) if it is closed. */
  async advanced() {
    await openAdvanced(this.page);
  }
  generate() {
    return this.page.getByRole("button", { name: "Generate" });
  }
  card(text: string) {
    return this.page.getByRole("article", { name: new RegExp(`Clip: ${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`) });
  }
}

export const test = base.extend<{ studio: StudioPage }>({
  studio: async ({ page }, use) => {
    await use(new StudioPage(page));
  },
});

export { expect };
