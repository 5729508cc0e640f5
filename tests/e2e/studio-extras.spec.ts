import { expect, hydrated, test } from "./fixtures";

test("several variations of one prompt are queued at once with distinct seeds", async ({ studio, page, request }) => {
  await studio.open();
  const prompt = `Variations of a paper crane ${Date.now()}`;
  await studio.prompt().fill(prompt);
  await page.getByText("480p", { exact: true }).click();
  await page.getByLabel("Variations").selectOption("3");
  await studio.generate().click();
  const cards = page.getByRole("article", { name: new RegExp(`Clip: ${prompt}`) });
  await expect(cards).toHaveCount(3);
  // The form stays usable while they generate.
  await expect(studio.prompt()).toBeEditable();
  for (let i = 0; i < 3; i++) await expect(cards.nth(i).getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 90_000 });
  const list = await (await request.get(`/api/generations?q=${encodeURIComponent(prompt)}`)).json();
  const seeds = new Set(list.items.map((g: { seed: number }) => g.seed));
  expect(list.items).toHaveLength(3);
  expect(seeds.size).toBe(3);
});

test("copy as API request gives the exact upstream body and a curl command, without the token", async ({ studio, page, request, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const prompt = `Copy me as API ${Date.now()}`;
  await request.post("/api/generations", {
    data: { model: "doubao-seedance-1-0-pro-250528", content: [{ type: "text", text: prompt }], resolution: "480p", duration: 3, seed: 11, watermark: true },
  });
  await studio.open();
  const card = studio.card(prompt);
  await expect(card.getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
  await card.getByRole("button", { name: /Play clip/ }).click();
  const dialog = page.getByRole("dialog", { name: "Clip player" });
  await dialog.getByText("API and ids").click();
  await dialog.getByRole("button", { name: "Copy request" }).click();
  await page.getByRole("menuitem", { name: "Copy as API request (JSON)" }).click();
  await expect(dialog.getByText("Copied json.")).toBeVisible();
  const body = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
  expect(body).toEqual({
    model: "doubao-seedance-1-0-pro-250528",
    content: [{ type: "text", text: prompt }],
    resolution: "480p",
    duration: 3,
    seed: 11,
    watermark: true,
    async: true,
  });
  await dialog.getByRole("button", { name: "Copy request" }).click();
  await page.getByRole("menuitem", { name: "Copy as curl" }).click();
  await expect(dialog.getByText("Copied curl.")).toBeVisible();
  const curl = await page.evaluate(() => navigator.clipboard.readText());
  expect(curl).toContain("https://api.acedata.cloud/seedance/videos");
  expect(curl).toContain("Bearer $SEEDANCE_API_TOKEN");
  expect(curl).toContain(prompt);
});

test("a clip finishing while the tab is hidden shows a count in the title", async ({ studio, page, request }) => {
  await studio.open();
  await page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  await request.post("/api/generations", {
    data: { model: "doubao-seedance-1-0-pro-fast-251015", content: [{ type: "text", text: `Background finish ${Date.now()}` }], resolution: "480p", duration: 2 },
  });
  await expect(page).toHaveTitle(/^\(1\) Seedance Studio$/, { timeout: 60_000 });
  await page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "visible" });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  await expect(page).toHaveTitle("Seedance Studio");
});

test("gallery filters by status and model and searches prompts", async ({ studio, page, request }) => {
  const stamp = Date.now();
  await request.post("/api/generations", { data: { model: "doubao-seedance-1-0-pro-fast-251015", content: [{ type: "text", text: `Filter ok ${stamp}` }], resolution: "480p", duration: 2 } });
  await request.post("/api/generations", { data: { model: "doubao-seedance-1-0-pro-250528", content: [{ type: "text", text: `Filter bad [sim:fail] ${stamp}` }], resolution: "480p", duration: 2 } });
  await studio.open();
  await expect(studio.card(`Filter ok ${stamp}`).getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
  await expect(studio.card(`Filter bad`).first().getByRole("status")).toHaveAccessibleName(/Failed/, { timeout: 60_000 });
  await page.getByLabel("Search prompts").fill(String(stamp));
  await expect(page.getByRole("list", { name: "Clips" }).getByRole("article")).toHaveCount(2);
  const statusFilter = page.getByRole("group", { name: "Filter by status" });
  await statusFilter.getByText("Failed", { exact: true }).click();
  await expect(statusFilter.getByRole("radio", { name: "Failed", exact: true })).toBeChecked();
  await expect(page.getByRole("list", { name: "Clips" }).getByRole("article")).toHaveCount(1);
  await expect(studio.card(`Filter bad`)).toBeVisible();
  await statusFilter.getByText("All", { exact: true }).click();
  await page.getByLabel("Filter by model").selectOption({ label: "Seedance 1.0 Pro Fast" });
  await expect(page.getByRole("list", { name: "Clips" }).getByRole("article")).toHaveCount(1);
  await expect(studio.card(`Filter ok ${stamp}`)).toBeVisible();
});

test("scrolling to the end of the gallery loads the next page, without gaps or repeats", async ({ studio, page, request }) => {
  const stamp = Date.now();
  // Clips that fail upstream at once: a full page and more, without rendering any video.
  const prompts = Array.from({ length: 30 }, (_, i) => `Scroll ${String(i).padStart(2, "0")} [sim:fail] ${stamp}`);
  for (const text of prompts) {
    const created = await request.post("/api/generations", { data: { model: "doubao-seedance-1-0-pro-fast-251015", content: [{ type: "text", text }], resolution: "480p", duration: 2 } });
    expect(created.ok()).toBe(true);
  }
  // The newest clip of all is not in the search: the list without the search shows it.
  const outside = `Outside the search [sim:fail] ${stamp + 1}`;
  await request.post("/api/generations", { data: { model: "doubao-seedance-1-0-pro-fast-251015", content: [{ type: "text", text: outside }], resolution: "480p", duration: 2 } });
  await studio.open();
  const cards = page.getByRole("list", { name: "Clips" }).getByRole("article");
  await expect(studio.card(outside)).toBeVisible();
  const pages: number[] = [];
  page.on("response", (response) => {
    if (response.url().includes(`/api/generations?`) && response.url().includes(`q=${stamp}`)) pages.push(response.status());
  });
  await page.getByLabel("Search prompts").fill(String(stamp));
  // The search applies after a pause in typing: until then the list holds every clip.
  await expect(studio.card(outside)).toBeHidden();
  // Then the search's first page: newest first. (Waiting only for no card outside the search
  // passes on the empty list shown while it loads, and the walk below would start scrolled
  // past the top once the page arrives.)
  await expect(cards.first()).toHaveAttribute("aria-label", `Clip: ${prompts.at(-1)}`);
  await expect(cards.filter({ hasNotText: String(stamp) })).toHaveCount(0);
  // One page (24) first; the rest when the end of the list comes into view. Meanwhile the
  // clips' failures arrive live, also for clips of the page not loaded yet. The list is
  // virtualised (only the rows near the viewport are in the DOM): walk it down the window,
  // collecting the cards in order.
  const seen: string[] = [];
  for (let step = 0; step < 40 && seen.length < 30; step++) {
    const shown = await cards.evaluateAll((nodes) => nodes.map((n) => n.getAttribute("aria-label")!));
    expect(new Set(shown).size).toBe(shown.length);
    for (const label of shown) if (!seen.includes(label)) seen.push(label);
    await page.mouse.wheel(0, 400);
    await page.waitForTimeout(150);
  }
  // The first page came with the search, the second from scrolling to the end.
  expect(pages.length).toBeGreaterThanOrEqual(2);
  const labels = seen;
  expect(labels).toEqual([...prompts].reverse().map((p) => `Clip: ${p}`));
});

test("the notifications switch reads the browser's permission and the creator's choice, and keeps a change across a reload", async ({ studio, page, context }) => {
  await context.grantPermissions(["notifications"]);
  await studio.open();
  const bell = page.getByRole("button", { name: "Notify me when clips finish" });
  // Granted, and never switched off here: on (read once the page is idle, after hydration).
  await expect(bell).toHaveAttribute("aria-pressed", "true");
  await bell.click();
  await expect(bell).toHaveAttribute("aria-pressed", "false");
  await page.reload();
  // "off" is also what the server renders: first let the page's own idle read run (idle
  // callbacks run in the order they were asked for, and the page asked during hydration).
  await hydrated(page);
  await page.evaluate(() => new Promise<void>((resolve) => requestIdleCallback(() => resolve())));
  await expect(bell).toHaveAttribute("aria-pressed", "false");
  await bell.click();
  await expect(bell).toHaveAttribute("aria-pressed", "true");
  await page.reload();
  await expect(bell).toHaveAttribute("aria-pressed", "true");
});
