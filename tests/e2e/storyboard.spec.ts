import fs from "node:fs";
import { expect, test } from "./fixtures";

const BODY = (prompt: string) => ({
  model: "doubao-seedance-1-0-pro-fast-251015",
  content: [{ type: "text", text: prompt }],
  resolution: "480p",
  duration: 2,
});

declare global {
  interface Window {
    /** The `storyboard` events this page's event stream delivered (recorded by the init script below). */
    storyboardEvents?: { id: string; status: string; filmUrl: string | null }[];
  }
}

test("make a storyboard from a selection, reorder by keyboard, trim, crossfade, export, download and share the film", async ({ studio, page, request, browser }) => {
  // Records what arrives on the page's event stream, to tell a film that came through it from one
  // that a poll fetched.
  await page.addInitScript(() => {
    const Original = window.EventSource;
    window.EventSource = class extends Original {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        this.addEventListener("storyboard", (message) => {
          const board = JSON.parse((message as MessageEvent<string>).data) as { id: string; export: { status: string; film: { url: string } | null } };
          (window.storyboardEvents ??= []).push({ id: board.id, status: board.export.status, filmUrl: board.export.film?.url ?? null });
        });
      }
    };
  });
  const stamp = Date.now();
  const first = `Storyboard opening shot ${stamp}`;
  const second = `Storyboard closing shot ${stamp}`;
  const a = await (await request.post("/api/generations", { data: BODY(first) })).json();
  const b = await (await request.post("/api/generations", { data: BODY(second) })).json();
  await studio.open();
  for (const prompt of [first, second]) {
    await expect(studio.card(prompt).getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
    await page.getByLabel(`Select clip: ${prompt}`).check();
  }
  await page.getByRole("button", { name: "Make storyboard" }).click();
  const dialog = page.getByRole("dialog");
  const clips = dialog.getByRole("list", { name: "Clips in order" }).getByRole("listitem");
  await expect(clips).toHaveCount(2);
  await expect(clips.nth(0)).toContainText(first);

  // Keyboard reorder: focus "Move clip 2 up" and press Enter.
  await dialog.getByRole("button", { name: "Move clip 2 up" }).focus();
  await page.keyboard.press("Enter");
  await expect(clips.nth(0)).toContainText(second);
  await expect(clips.nth(1)).toContainText(first);

  await dialog.getByLabel("End of clip 1 (seconds)").fill("1.5");
  await dialog.getByLabel("End of clip 1 (seconds)").blur();
  await dialog.getByLabel("Crossfade at each cut (seconds, 0 = hard cut)").fill("0.5");
  await dialog.getByLabel("Crossfade at each cut (seconds, 0 = hard cut)").blur();

  const boards = await (await request.get("/api/storyboards")).json();
  const board = boards.items.find((s: { items: { generationId: string }[] }) => s.items.some((i) => i.generationId === a.id));
  await expect
    .poll(async () => (await (await request.get(`/api/storyboards/${board.id}`)).json()).crossfadeSec)
    .toBe(0.5);
  const saved = await (await request.get(`/api/storyboards/${board.id}`)).json();
  expect(saved.items.map((i: { generationId: string }) => i.generationId)).toEqual([b.id, a.id]);
  expect(saved.items[0].trimEnd).toBe(1.5);

  // From "Export film" until the film shows in the gallery, the page asks nothing about storyboards
  // beyond what the creator pressed: progress and the film come through the event stream.
  const duringExport: string[] = [];
  const record = (r: import("@playwright/test").Request) => {
    const { pathname } = new URL(r.url());
    if (pathname.startsWith("/api/storyboards")) duringExport.push(`${r.method()} ${pathname}`);
  };
  page.on("request", record);
  await dialog.getByRole("button", { name: "Export film" }).click();
  await expect(dialog.getByRole("status")).toHaveText(/Film ready/, { timeout: 90_000 });
  await expect(dialog.getByLabel("Film")).toBeVisible();

  const done = await (await request.get(`/api/storyboards/${board.id}`)).json();
  // 1.5 s + 2 s, minus one 0.5 s crossfade.
  expect(Math.abs(done.export.film.durationSec - 3)).toBeLessThanOrEqual(1 / 24 + 1e-6);
  expect([done.export.film.width, done.export.film.height]).toEqual([864, 480]);

  const [download] = await Promise.all([page.waitForEvent("download"), dialog.getByRole("link", { name: "Download film" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^storyboard-opening-shot-\d+-film\.mp4$/);
  const file = fs.readFileSync((await download.path())!);
  expect(file.subarray(4, 8).toString("latin1")).toBe("ftyp");

  // Share the film: the link plays in a fresh browser without cookies.
  await dialog.getByRole("button", { name: "Share film" }).click();
  const url = await dialog.getByLabel("Film share link").inputValue();
  expect(url).toMatch(/\/v\/[A-Za-z0-9_-]{22}$/);
  const fresh = await browser.newContext();
  const visitor = await fresh.newPage();
  await visitor.goto(url);
  const src = await visitor.locator("video").getAttribute("src");
  const media = await visitor.request.get(new URL(src!, url).toString());
  expect(media.status()).toBe(200);
  expect((await media.body()).subarray(4, 8).toString("latin1")).toBe("ftyp");
  await fresh.close();

  // The film is a gallery item too: status, preview and download, and it reopens its storyboard.
  await dialog.getByRole("button", { name: "Close" }).click();
  const films = page.getByRole("region", { name: "Films" });
  const filmCard = films.getByRole("article").first();
  await expect(filmCard.getByRole("status")).toHaveText("Film ready.", { timeout: 15_000 });
  await expect(filmCard.locator("video")).toHaveAttribute("src", /\/api\/media\/films\/.+\/film\.mp4(\?v=\d+)?$/);
  await expect(filmCard.getByRole("link", { name: "Download film" })).toBeVisible();
  page.off("request", record);
  expect(duringExport).toEqual([`POST /api/storyboards/${board.id}/export`, `POST /api/storyboards/${board.id}/share`]);
  const delivered = (await page.evaluate(() => window.storyboardEvents ?? [])).filter((e) => e.id === board.id);
  expect(delivered.map((e) => e.status)).toEqual(expect.arrayContaining(["running", "succeeded"]));
  // The strip plays the film the stream delivered.
  expect(await filmCard.locator("video").getAttribute("src")).toBe(delivered.findLast((e) => e.status === "succeeded")!.filmUrl);
  await filmCard.getByRole("button", { name: /Open storyboard/ }).click();
  await expect(page.getByRole("dialog").getByRole("list", { name: "Clips in order" }).getByRole("listitem")).toHaveCount(2);

  // Films come with the page: after a reload the strip shows without asking the API for them.
  const asked: string[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === "/api/storyboards") asked.push(r.method());
  });
  await page.reload();
  await expect(films.getByRole("article").first().getByRole("status")).toHaveText("Film ready.");
  expect(asked).toEqual([]);

  // Films sit under the gallery's filters, as clips do: found by words of any of their clips'
  // prompts, gone under a search or a status they do not match, back when the filters clear.
  const thisFilm = films.getByRole("article", { name: `Film: ${first}` });
  const search = page.getByLabel("Search prompts, seeds and models");
  await search.fill(`closing ${stamp}`);
  await expect(thisFilm).toBeVisible();
  await expect(films.getByRole("article")).toHaveCount(1);
  await search.fill(`closing ${stamp} nowhere-in-any-prompt`);
  await expect(films).toHaveCount(0);
  await search.fill("");
  await expect(thisFilm).toBeVisible();
  await page.getByRole("group", { name: "Filter by status" }).getByText("Failed", { exact: true }).click();
  await expect(films).toHaveCount(0);
  await page.getByRole("group", { name: "Filter by status" }).getByText("Ready", { exact: true }).click();
  await expect(thisFilm).toBeVisible();
  // Its clips were made with 1.0 Pro Fast, none with 2.5.
  await page.getByLabel("Filter by model").selectOption({ label: "Seedance 2.5" });
  await expect(films).toHaveCount(0);
  await page.getByLabel("Filter by model").selectOption({ label: "Seedance 1.0 Pro Fast" });
  await expect(thisFilm).toBeVisible();
});

test("a chain made with Continue from last frame opens as a storyboard in order", async ({ studio, page, request }) => {
  const stamp = Date.now();
  const opening = `A lantern is lit ${stamp}`;
  await request.post("/api/generations", { data: BODY(opening) });
  await studio.open();
  const card = studio.card(opening);
  await expect(card.getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
  await card.getByRole("button", { name: "Continue from last frame" }).click();
  await expect(page.getByRole("img", { name: "First frame preview" })).toBeVisible();
  const next = `The lantern floats away ${stamp}`;
  await studio.prompt().fill(next);
  await studio.generate().click();
  await expect(studio.card(next).getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });

  await page.getByRole("button", { name: `Storyboard of the chain with “${next}”` }).click();
  const clips = page.getByRole("dialog").getByRole("list", { name: "Clips in order" }).getByRole("listitem");
  await expect(clips).toHaveCount(2);
  await expect(clips.nth(0)).toContainText(opening);
  await expect(clips.nth(1)).toContainText(next);
});
