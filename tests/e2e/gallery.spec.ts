import fs from "node:fs";
import path from "node:path";
import { BODY, expect, test, upstreamRequestOf } from "./fixtures";

test("a clip created elsewhere appears and reaches Ready without a reload", async ({ studio, request }) => {
  await studio.open();
  const prompt = `Made by a script ${Date.now()}`;
  const created = await request.post("/api/generations", { data: BODY(prompt, { seed: 7 }) });
  expect(created.status()).toBe(201);
  const card = studio.card(prompt);
  await expect(card).toBeVisible();
  await expect(card.getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
  await expect(card).toContainText("seed 7");
});

test("reloading mid-generation shows the same card, still updating", async ({ studio, page }) => {
  await studio.open();
  const prompt = `Long take of a harbour at dusk ${Date.now()}`;
  await studio.pickModel("Seedance 1.5 Pro");
  await studio.prompt().fill(prompt);
  await page.getByText("1080p", { exact: true }).click();
  await page.getByLabel("Duration (seconds)").fill("12");
  await studio.generate().click();
  await expect(studio.card(prompt).getByRole("status")).toHaveAccessibleName(/Submitted|Generating|Queued/);
  await page.reload();
  const card = studio.card(prompt);
  await expect(card.getByRole("status")).toHaveAccessibleName(/Submitted|Generating|Queued/);
  await expect(card.getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 90_000 });
  await expect(card).toContainText("1920×1088");
});

test("download gives a playable MP4 with a readable name", async ({ studio, page, request }) => {
  const prompt = `Fireflies over a pond ${Date.now()}`;
  await request.post("/api/generations", { data: BODY(prompt, { seed: 99 }) });
  await studio.open();
  const card = studio.card(prompt);
  await expect(card.getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
  const [download] = await Promise.all([page.waitForEvent("download"), card.getByRole("link", { name: "Download" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^fireflies-over-a-pond-\d+-seed-99\.mp4$/);
  const file = fs.readFileSync((await download.path())!);
  expect(file.subarray(4, 8).toString("latin1")).toBe("ftyp");
  expect(file.length).toBeGreaterThan(10_000);
});

test("remix puts every setting back into the form", async ({ studio, page, request }) => {
  const prompt = `Remix me ${Date.now()}`;
  await request.post("/api/generations", {
    data: { ...BODY(prompt, { seed: 4242, ratio: "9:16", camerafixed: true, watermark: true }), model: "doubao-seedance-1-0-pro-250528" },
  });
  await studio.open();
  const card = studio.card(prompt);
  await expect(card.getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
  await card.getByRole("button", { name: "Remix", exact: true }).click();
  await expect(studio.prompt()).toHaveValue(prompt);
  await expect(studio.model()).toHaveAccessibleName("Model Seedance 1.0 Pro");
  await studio.advanced();
  await expect(page.getByLabel("Seed", { exact: true })).toHaveValue("4242");
  await expect(page.getByLabel("9:16")).toBeChecked();
  await expect(page.getByLabel("480p")).toBeChecked();
  await expect(page.getByLabel("Camera fixed")).toBeChecked();
  await expect(page.getByLabel("Watermark")).toBeChecked();
});

test("continue from last frame starts a new clip from this clip's last frame", async ({ studio, page, request }) => {
  const prompt = `A door opens onto a meadow ${Date.now()}`;
  const parent = await (await request.post("/api/generations", { data: BODY(prompt) })).json();
  await studio.open();
  const card = studio.card(prompt);
  await expect(card.getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
  await card.getByRole("button", { name: "Continue from last frame" }).click();
  await expect(page.getByRole("img", { name: "First frame preview" })).toHaveAttribute("src", /^data:image\/png;base64,/);
  const next = `We walk into the meadow ${Date.now()}`;
  await studio.prompt().fill(next);
  await studio.generate().click();
  const nextCard = studio.card(next);
  await expect(nextCard.getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
  const id = (await nextCard.locator("video").getAttribute("src"))!.split("/")[4]!;
  const child = await (await request.get(`/api/generations/${id}`)).json();
  expect(child.parentId).toBe(parent.id);
  const upstream = await upstreamRequestOf(request, id);
  expect(upstream.content[1]).toMatchObject({ type: "image_url", role: "first_frame" });
});

test("remix and continue still bring the prompt back when an image cannot be loaded, and say which", async ({ studio, page, request }) => {
  const prompt = `Frames that will not load ${Date.now()}`;
  const frame = `data:image/png;base64,${fs.readFileSync(path.resolve("tests/fixtures/first-frame.png")).toString("base64")}`;
  await request.post("/api/generations", {
    data: { ...BODY(prompt), model: "doubao-seedance-1-0-pro-250528", content: [{ type: "text", text: prompt }, { type: "image_url", image_url: { url: frame }, role: "first_frame" }] },
  });
  await studio.open();
  const card = studio.card(prompt);
  await expect(card.getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
  // Our stored copies are unreachable (a dropped connection, a deleted file).
  await page.route("**/api/media/**", (route) => route.abort());

  await card.getByRole("button", { name: "Remix", exact: true }).click();
  await expect(page.getByText("Its first frame could not be loaded: add it again.")).toBeVisible();
  await expect(studio.prompt()).toHaveValue(prompt);
  await expect(page.getByRole("img", { name: "First frame preview" })).toBeHidden();

  await card.getByRole("button", { name: "Continue from last frame" }).click();
  await expect(page.getByText("The clip's last frame could not be loaded: try Continue again, or add a first frame yourself.")).toBeVisible();
  await expect(studio.prompt()).toHaveValue(prompt);
  await expect(page.getByRole("img", { name: "First frame preview" })).toBeHidden();
});

test("Retry sends a failed clip again with its frames, and refuses to without them", async ({ studio, page, request }) => {
  const prompt = `Fails upstream, retried [sim:fail] ${Date.now()}`;
  const frame = `data:image/png;base64,${fs.readFileSync(path.resolve("tests/fixtures/first-frame.png")).toString("base64")}`;
  await request.post("/api/generations", {
    data: { ...BODY(prompt), model: "doubao-seedance-1-0-pro-250528", content: [{ type: "text", text: prompt }, { type: "image_url", image_url: { url: frame }, role: "first_frame" }] },
  });
  const attempts = async () => (await (await request.get(`/api/generations?q=${encodeURIComponent(prompt)}`)).json()).items as { request: { firstFrame?: string } }[];
  await studio.open();
  const card = studio.card(prompt);
  await expect(card.getByRole("status")).toHaveAccessibleName(/Failed/, { timeout: 60_000 });

  await page.route("**/api/media/**", (route) => route.abort());
  await card.getByRole("button", { name: "Retry", exact: true }).click();
  await expect(card.getByText("Its frames could not be loaded: use Remix and add them again.")).toBeVisible();
  expect(await attempts()).toHaveLength(1);

  await page.unroute("**/api/media/**");
  await card.getByRole("button", { name: "Retry", exact: true }).click();
  await expect.poll(async () => (await attempts()).length).toBe(2);
  const [retried, first] = await attempts();
  // The same image (stored by content), not a clip without it.
  expect(retried!.request.firstFrame).toMatch(/^\/api\/media\/inputs\//);
  expect(retried!.request.firstFrame).toBe(first!.request.firstFrame);
});

test("a share link plays in a fresh browser without cookies, and a revoked link is gone", async ({ studio, browser, request }) => {
  const prompt = `Shared sunrise ${Date.now()}`;
  await request.post("/api/generations", { data: BODY(prompt) });
  await studio.open();
  const card = studio.card(prompt);
  await expect(card.getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
  await card.getByRole("button", { name: "Share", exact: true }).click();
  await card.getByLabel("Hide the prompt on the shared page").check();
  await card.getByRole("button", { name: "Create share link" }).click();
  const url = await card.getByLabel("Share link").inputValue();
  expect(url).toMatch(/\/v\/[A-Za-z0-9_-]{22}$/);

  const fresh = await browser.newContext();
  const visitor = await fresh.newPage();
  await visitor.goto(url);
  const video = visitor.locator("video");
  await expect(video).toBeVisible();
  const state = await video.evaluate(async (el: HTMLVideoElement) => {
    el.muted = true;
    await el.play();
    await new Promise((r) => setTimeout(r, 500));
    return { time: el.currentTime, duration: el.duration };
  });
  expect(state.time).toBeGreaterThan(0);
  const html = await visitor.content();
  expect(html).not.toContain(prompt);
  // Nothing but the clip itself: no clip ids, no upstream ids, no parameters.
  const shared = (await (await request.get(`/api/generations?q=${encodeURIComponent(prompt)}`)).json()).items[0];
  for (const secret of [shared.id, shared.upstreamTaskId, shared.traceId, String(shared.seed)]) expect(html).not.toContain(secret);
  expect(html).toContain('property="og:video"');
  expect(html).toContain('property="og:image"');
  // A large-image card with its alt text (a player card would point at an MP4 our headers forbid framing).
  expect(html).toContain('name="twitter:card" content="summary_large_image"');
  expect(html).toContain('property="og:image:alt"');
  await visitor.screenshot({ path: "tests/artifacts/share-page.png" });

  await card.getByRole("button", { name: "Revoke link" }).click();
  await expect(card.getByText("Link revoked")).toBeVisible();
  const gone = await visitor.goto(url);
  expect(gone?.status()).toBe(404);
  await fresh.close();
});

test("several clips shared as a collection", async ({ studio, page, browser, request }) => {
  const stamp = Date.now();
  const prompts = [`Collection one ${stamp}`, `Collection two ${stamp}`];
  for (const p of prompts) await request.post("/api/generations", { data: BODY(p) });
  await studio.open();
  for (const p of prompts) {
    const card = studio.card(p);
    await expect(card.getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
    await card.getByRole("checkbox", { name: /Select clip/ }).check();
  }
  const selection = page.getByRole("region", { name: "Selection" });
  await selection.getByRole("button", { name: "Share as collection" }).click();
  await selection.getByRole("button", { name: "Create share link" }).click();
  const url = await selection.getByLabel("Share link").inputValue();
  expect(url).toMatch(/\/g\/[A-Za-z0-9_-]{22}$/);
  const fresh = await browser.newContext();
  const visitor = await fresh.newPage();
  await visitor.goto(url);
  await expect(visitor.locator("video")).toHaveCount(2);
  for (const p of prompts) await expect(visitor.getByText(p)).toBeVisible();
  await fresh.close();
});

test("the player dialog steps with arrow keys and closes with Escape; delete asks first", async ({ studio, page, request }) => {
  const stamp = Date.now();
  for (const p of [`Player A ${stamp}`, `Player B ${stamp}`]) await request.post("/api/generations", { data: BODY(p) });
  await studio.open();
  const cardB = studio.card(`Player B ${stamp}`);
  await expect(cardB.getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
  await expect(studio.card(`Player A ${stamp}`).getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
  await cardB.getByRole("button", { name: /Play clip/ }).click();
  const dialog = page.getByRole("dialog", { name: "Clip player" });
  await expect(dialog).toContainText(`Player B ${stamp}`);
  await expect(dialog).toContainText("Upstream task id");
  await dialog.press("ArrowRight");
  await expect(dialog).toContainText(`Player A ${stamp}`);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  await cardB.getByRole("button", { name: "More actions" }).click();
  await cardB.getByRole("menuitem", { name: "Delete", exact: true }).click();
  await cardB.getByRole("button", { name: "Delete for good" }).click();
  await expect(cardB).toBeHidden();
  await page.reload();
  await expect(studio.card(`Player B ${stamp}`)).toBeHidden();
});

test("a change between the page render and the live connection is not lost", async ({ studio, page, request }) => {
  const prompt = `Finishes before the stream connects ${Date.now()}`;
  await request.post("/api/generations", { data: BODY(prompt) });
  // Hold the event stream back until the clip has surely finished on the server.
  await page.route("**/api/generations/events**", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 8000));
    await route.continue();
  });
  await studio.open();
  const card = studio.card(prompt);
  await expect(card.getByRole("status")).toHaveAccessibleName(/Submitted|Generating|Queued/);
  await expect(card.getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
});
