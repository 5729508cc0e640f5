import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { hydrated } from "./fixtures";

const BODY = (prompt: string) => ({
  model: "doubao-seedance-1-0-pro-fast-251015",
  content: [{ type: "text", text: prompt }],
  resolution: "480p",
  duration: 2,
});

async function finishedClip(request: APIRequestContext, prompt: string): Promise<string> {
  const { id } = await (await request.post("/api/generations", { data: BODY(prompt) })).json();
  await expect.poll(async () => (await (await request.get(`/api/generations/${id}`)).json()).status, { timeout: 60_000 }).toBe("succeeded");
  return id;
}

/** A film of two clips, exported and shared through the API; its public path. */
async function sharedFilm(request: APIRequestContext, prompts: [string, string]): Promise<string> {
  const ids = [await finishedClip(request, prompts[0]), await finishedClip(request, prompts[1])];
  const board = await (await request.post("/api/storyboards", { data: { generationIds: ids, title: `Dawn patrol ${Date.now()}` } })).json();
  await request.post(`/api/storyboards/${board.id}/export`);
  await expect.poll(async () => (await (await request.get(`/api/storyboards/${board.id}`)).json()).export.status, { timeout: 90_000 }).toBe("succeeded");
  const share = await (await request.post(`/api/storyboards/${board.id}/share`, { data: {} })).json();
  return share.path as string;
}

const meta = (page: Page, key: string) => page.locator(`meta[property="${key}"], meta[name="${key}"]`).first().getAttribute("content");

/** A visitor: a fresh browser without the studio's cookies. */
async function visitor(browser: Browser, options: { colorScheme?: "light" | "dark"; phone?: boolean } = {}) {
  const context = await browser.newContext({
    colorScheme: options.colorScheme ?? "light",
    ...(options.phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : { viewport: { width: 1440, height: 900 } }),
  });
  return { context, page: await context.newPage() };
}

test("a shared film says film, lists its clips, previews as a large image with alt text, and has no accessibility violations", async ({ request, browser, baseURL }) => {
  const stamp = Date.now();
  const prompts: [string, string] = [`A paper boat leaves the harbour at first light ${stamp}`, `The boat reaches a lighthouse in the fog ${stamp}`];
  const path = await sharedFilm(request, prompts);
  expect(path).toMatch(/^\/v\/[A-Za-z0-9_-]{22}$/);

  const { context, page } = await visitor(browser);
  await page.goto(`${baseURL}${path}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Dawn patrol \d+$/);
  await expect(page.getByText(/^Film · 2 clips/)).toBeVisible();
  await expect(page.getByText("Shared clip")).toHaveCount(0);
  const clips = page.getByRole("region", { name: "Clips in this film" }).getByRole("listitem");
  await expect(clips).toHaveCount(2);
  await expect(clips.nth(0)).toContainText(prompts[0]);
  await expect(clips.nth(1)).toContainText(prompts[1]);
  await expect(clips.nth(0)).toContainText(/2 s$/);

  // Plays at once, muted, and loops.
  const video = page.getByRole("region", { name: "Clips in this film" }).locator("xpath=preceding::video[1]");
  await expect(video).toHaveAttribute("aria-label", /^Film: Dawn patrol/);
  expect(await video.evaluate((v: HTMLVideoElement) => ({ loop: v.loop, muted: v.muted, autoplay: v.autoplay }))).toEqual({ loop: true, muted: true, autoplay: true });
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(0);

  // The studio's name and the way in.
  await expect(page.getByRole("link", { name: "Make your own" })).toHaveAttribute("href", "/");
  await expect(page.getByRole("banner").getByRole("link", { name: "Seedance Studio" })).toBeVisible();

  // Link previews: a large poster with alt text, not a player card pointing at a raw MP4.
  expect(await meta(page, "twitter:card")).toBe("summary_large_image");
  expect(await meta(page, "og:type")).toBe("video.other");
  expect(await meta(page, "og:title")).toMatch(/^Dawn patrol \d+$/);
  expect(await meta(page, "og:description")).toBe("A film of 2 clips, made with Seedance Studio");
  expect(await meta(page, "og:image:alt")).toMatch(/^Opening frame of the film “Dawn patrol \d+”$/);
  expect(await meta(page, "twitter:image:alt")).toMatch(/^Opening frame of the film/);
  const poster = await meta(page, "og:image");
  expect((await page.request.get(poster!)).headers()["content-type"]).toMatch(/^image\//);
  await expect(page.locator('meta[name="twitter:player"]')).toHaveCount(0);

  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  await page.screenshot({ path: "tests/artifacts/share-film-desktop-light.png", fullPage: true });
  await context.close();

  for (const [name, options] of [
    ["desktop-dark", { colorScheme: "dark" }],
    ["phone-light", { phone: true }],
    ["phone-dark", { phone: true, colorScheme: "dark" }],
  ] as const) {
    const shot = await visitor(browser, options);
    await shot.page.goto(`${baseURL}${path}`);
    await expect(shot.page.getByRole("heading", { level: 1 })).toBeVisible();
    if (name === "desktop-dark") {
      const dark = await new AxeBuilder({ page: shot.page }).analyze();
      expect(dark.violations.map((v) => v.id)).toEqual([]);
    }
    await shot.page.screenshot({ path: `tests/artifacts/share-film-${name}.png`, fullPage: true });
    await shot.context.close();
  }
});

test("a shared clip's preview title is cut at a word with an ellipsis", async ({ page, request, browser, baseURL }) => {
  const prompt = `A red fox trots through fresh snow at dawn while its breath steams in the cold air ${Date.now()}`;
  await finishedClip(request, prompt);
  await page.goto("/");
  // The tiles are the server's HTML until the gallery's code has hydrated them: a press before
  // that does nothing (seen in CI, and locally one run in two).
  await hydrated(page);
  const card = page.getByRole("article", { name: new RegExp(`Clip: ${prompt.slice(0, 40)}`) });
  await card.hover();
  await card.getByRole("button", { name: "Share" }).first().click();
  await page.getByRole("button", { name: "Create share link" }).click();
  const url = await page.getByLabel("Share link").inputValue();

  const { context, page: shared } = await visitor(browser);
  await shared.goto(url.startsWith("http") ? url : `${baseURL}${url}`);
  const title = (await meta(shared, "og:title"))!;
  expect(title.endsWith("…")).toBe(true);
  const kept = title.slice(0, -1);
  expect(kept.length).toBeLessThanOrEqual(70);
  expect(prompt.startsWith(kept)).toBe(true);
  // Cut between words: the prompt goes on with a space after what the title keeps.
  expect(prompt[kept.length]).toBe(" ");
  await expect(shared).toHaveTitle(`${title} · Seedance Studio`);
  await expect(shared.getByText(/^Clip · 2 s$/)).toBeVisible();
  await expect(shared.getByRole("heading", { level: 1 })).toHaveText(/…$/);
  // The whole prompt is on the page.
  await expect(shared.getByText(prompt, { exact: true })).toBeVisible();
  await context.close();
});
