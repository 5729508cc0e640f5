import type { Locator, Page } from "@playwright/test";
import { BODY, expect, holdRequests, hydrated, test } from "./fixtures";

// The gallery as a creator meets it: every press answered in view, a grid that keeps each
// clip's shape, takes of one prompt together, favourites, word search and the filters.

const SIZES = [
  { name: "desktop", viewport: { width: 1440, height: 900 } },
  { name: "phone", viewport: { width: 390, height: 844 } },
] as const;


/** The part of an element's box inside the viewport, and whether something else covers its centre. */
async function inView(page: Page, locator: Locator) {
  const box = (await locator.boundingBox())!;
  const viewport = page.viewportSize()!;
  const covered = await locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 10));
    return !(hit && (el === hit || el.contains(hit)));
  });
  return { box, top: box.y >= 0, bottom: box.y + box.height <= viewport.height, covered };
}

for (const { name, viewport } of SIZES) {
  test.describe(`on a ${name}`, () => {
    test.use({ viewport });

    test("after Generate the new card is in the viewport, and the press is confirmed beside the button", async ({ studio, page }) => {
      await studio.open();
      // Wherever the window was: scrolled to the very end of the page.
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      const prompt = `In view after the press ${name} ${Date.now()}`;
      await studio.prompt().fill(prompt);
      await studio.settings();
      await page.getByText("480p", { exact: true }).click();
      await studio.generate().click();
      const card = studio.card(prompt);
      await expect(card).toBeVisible();
      await expect.poll(async () => {
        const { top, bottom } = await inView(page, card);
        return top && bottom;
      }).toBe(true);
      if (name === "desktop") {
        // Seen, not only heard: the confirmation sits under the button the creator pressed.
        const confirmation = page.getByRole("status").filter({ hasText: /Clip queued · ~\d+ s/ });
        await expect(confirmation).toBeVisible();
        expect((await inView(page, confirmation)).covered).toBe(false);
      }
      await page.screenshot({ path: `tests/artifacts/library-after-generate-${name}.png` });
    });

    test("a rejected field's error is visible without scrolling, and the summary above Generate jumps to it", async ({ studio, page }) => {
      await studio.open();
      await hydrated(page);
      await studio.prompt().fill(`Rejected seed ${Date.now()}`);
      await studio.advanced();
      await page.getByLabel("Seed", { exact: true }).fill("-5");
      await studio.prompt().focus();
      await studio.generate().click();
      const summary = page.getByRole("group", { name: "Fix one field before generating:" });
      await expect(summary).toBeVisible();
      const error = page.locator("#seed-error");
      await expect(error).toBeVisible();
      // Focus went to the field, and the field and its message are clear of the sticky bar.
      await expect(page.getByLabel("Seed", { exact: true })).toBeFocused();
      for (const element of [page.getByLabel("Seed", { exact: true }), error, summary]) {
        const seen = await inView(page, element);
        expect(seen, `${await element.evaluate((el) => el.id || el.tagName)} in view`).toMatchObject({ top: true, bottom: true, covered: false });
      }
      // The summary's link brings focus back to the field from anywhere.
      await studio.prompt().focus();
      await summary.getByRole("link", { name: "Seed" }).click();
      await expect(page.getByLabel("Seed", { exact: true })).toBeFocused();
      await page.screenshot({ path: `tests/artifacts/library-field-error-${name}.png` });
    });
  });
}

test.describe("the grid", () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test("9:16, 1:1 and 16:9 clips share a row, each box in its own shape, all one height", async ({ studio, page, request }) => {
    const stamp = Date.now();
    const shapes = [
      { ratio: "9:16", aspect: 9 / 16 },
      { ratio: "1:1", aspect: 1 },
      { ratio: "16:9", aspect: 16 / 9 },
    ];
    for (const { ratio } of shapes) await request.post("/api/generations", { data: BODY(`Shape ${ratio} ${stamp}`, { ratio }) });
    await studio.open();
    const boxes = [];
    for (const { ratio, aspect } of shapes) {
      const card = studio.card(`Shape ${ratio} ${stamp}`);
      await expect(card.getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
      const media = card.getByRole("button", { name: /Play clip/ });
      const box = (await media.boundingBox())!;
      boxes.push(box);
      // The box has the clip's own shape (the simulator's sizes round to 16 pixels: within 3%).
      expect(box.width / box.height).toBeGreaterThan(aspect * 0.97);
      expect(box.width / box.height).toBeLessThan(aspect * 1.03);
    }
    // One row: the same top and the same height.
    for (const box of boxes.slice(1)) {
      expect(Math.abs(box.y - boxes[0]!.y)).toBeLessThan(1.5);
      expect(Math.abs(box.height - boxes[0]!.height)).toBeLessThan(1.5);
    }
    // Dense enough to compare: a 16:9 tile is at most a quarter of the gallery's width.
    const gallery = (await page.getByRole("list", { name: "Clips" }).boundingBox())!;
    expect(boxes[2]!.width).toBeLessThan(gallery.width / 3.5);
    await page.screenshot({ path: "tests/artifacts/library-grid-desktop.png" });
  });

  test("four variations render as one group under their prompt", async ({ studio, page }) => {
    await studio.open();
    const prompt = `Four takes of a lantern festival ${Date.now()}`;
    await studio.prompt().fill(prompt);
    await page.getByText("480p", { exact: true }).click();
    await page.getByLabel("Variations").selectOption("4");
    await studio.generate().click();
    await expect(page.getByRole("status").filter({ hasText: "4 clips queued" })).toBeVisible();
    const group = page.getByRole("region", { name: `4 takes of “${prompt.slice(0, 60)}”` });
    await expect(group).toBeVisible();
    await expect(group.getByRole("heading", { name: prompt })).toBeVisible();
    await expect(group.getByRole("article")).toHaveCount(4);
    for (const take of await group.getByRole("article").all()) await expect(take.getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 90_000 });
    // The prompt is printed once, for the group, not on every take.
    await expect(group.getByText(prompt, { exact: true })).toHaveCount(1);
    await group.screenshot({ path: "tests/artifacts/library-group.png" });
  });
});

test("failures are compact rows: the reason, Edit and retry, and no Retry for a policy refusal", async ({ studio, request }) => {
  const stamp = Date.now();
  const refused = `Refused by the policy [sim:policy] ${stamp}`;
  const failed = `Fails upstream [sim:fail] ${stamp}`;
  for (const prompt of [refused, failed]) await request.post("/api/generations", { data: BODY(prompt) });
  await studio.open();
  const refusedRow = studio.card(refused);
  const failedRow = studio.card(failed);
  await expect(refusedRow.getByRole("status")).toHaveAccessibleName(/Failed/, { timeout: 60_000 });
  await expect(failedRow.getByRole("status")).toHaveAccessibleName(/Failed/, { timeout: 60_000 });
  await expect(refusedRow).toContainText("content policy");
  await expect(refusedRow.getByRole("button", { name: "Retry", exact: true })).toHaveCount(0);
  await expect(failedRow.getByRole("button", { name: "Retry", exact: true })).toBeVisible();
  // A row, not a black 16:9 block.
  expect((await failedRow.boundingBox())!.height).toBeLessThan(90);
  await refusedRow.getByRole("button", { name: "Edit and retry" }).click();
  await expect(studio.prompt()).toHaveValue(refused);
});

test("favourites, word search over prompt, seed and model, and Clear filters", async ({ studio, page, request }) => {
  const stamp = Date.now();
  const fox = `A fox naps in the fresh snow ${stamp}`;
  const owl = `An owl on a frozen branch ${stamp}`;
  await request.post("/api/generations", { data: BODY(fox, { seed: 31337 }) });
  await request.post("/api/generations", { data: BODY(owl) });
  await studio.open();
  await expect(studio.card(fox).getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
  await expect(studio.card(owl).getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
  const search = page.getByLabel("Search prompts, seeds and models");

  // Words in any order, not one substring.
  await search.fill(`snow fox ${stamp}`);
  await expect(studio.card(owl)).toBeHidden();
  await expect(studio.card(fox)).toBeVisible();
  // A seed, exactly.
  await search.fill(`31337 ${stamp}`);
  await expect(studio.card(owl)).toBeHidden();
  await expect(studio.card(fox)).toBeVisible();
  // A model.
  await search.fill(`pro-fast ${stamp}`);
  await expect(studio.card(owl)).toBeVisible();
  await expect(studio.card(fox)).toBeVisible();
  // Nothing: the empty state offers the way back.
  await search.fill(`no such words ${stamp}`);
  await expect(page.getByText("No clips match.")).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).first().click();
  await expect(search).toHaveValue("");
  await expect(studio.card(fox)).toBeVisible();

  // The star, and the Favourites filter.
  await studio.card(owl).getByRole("button", { name: "Add to favourites" }).click();
  await expect(studio.card(owl).getByRole("button", { name: "Remove from favourites" })).toHaveAttribute("aria-pressed", "true");
  await page.getByRole("button", { name: "Favourites", exact: true }).click();
  await expect(studio.card(fox)).toBeHidden();
  await expect(studio.card(owl)).toBeVisible();
  await page.reload();
  await page.getByRole("button", { name: "Favourites", exact: true }).click();
  await expect(studio.card(owl)).toBeVisible();
  await expect(studio.card(fox)).toBeHidden();
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(studio.card(fox)).toBeVisible();
});

test("a new search keeps the clips on screen, marked as loading, until its answer arrives", async ({ studio, page, request }) => {
  const stamp = Date.now();
  const fox = `A fox waits for the answer ${stamp}`;
  const owl = `An owl waits for the answer ${stamp}`;
  await request.post("/api/generations", { data: BODY(fox) });
  await request.post("/api/generations", { data: BODY(owl) });
  await studio.open();
  await expect(studio.card(owl).getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
  await expect(studio.card(fox)).toBeVisible();
  // The search's answer is held until the test lets it through.
  const release = await holdRequests(page, /\/api\/generations\?.*q=fox/);
  await page.getByLabel("Search prompts, seeds and models").fill(`fox ${stamp}`);
  await expect(page.getByRole("status").filter({ hasText: "Finding clips…" })).toBeVisible();
  const list = page.getByRole("list", { name: "Clips" });
  await expect(list).toHaveAttribute("aria-busy", "true");
  await expect(studio.card(owl)).toBeVisible();
  release();
  await expect(studio.card(owl)).toBeHidden();
  await expect(studio.card(fox)).toBeVisible();
  await expect(list).not.toHaveAttribute("aria-busy", "true");
  await expect(page.getByText("Finding clips…")).toBeHidden();
});

// Seen once at 1280 px: the header and the composer reached past the right edge, so the page
// scrolled sideways. Each width the studio's layout switches around, with a clip on the page.
for (const width of [1280, 1024, 820]) {
  test(`at ${width} px nothing reaches past the right edge`, async ({ studio, page, request }) => {
    await page.setViewportSize({ width, height: 800 });
    const words = `Edge at ${width} ${Date.now()}`;
    // Rows of mixed shapes, a tall one last (where a clipped tile was seen).
    for (const ratio of ["16:9", "1:1", "21:9", "9:16"]) {
      await request.post("/api/generations", { data: BODY(`${words} ${ratio} with a long unbroken word Supercalifragilisticexpialidocious`, { ratio }) });
    }
    await studio.open();
    await expect(page.getByRole("article", { name: new RegExp(words) })).toHaveCount(4);
    await studio.advanced();
    const past = await page.evaluate(() => {
      const edge = document.documentElement.clientWidth;
      const gallery = document.querySelector("[aria-label=Gallery]")!.getBoundingClientRect();
      const describe = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""} ${el.getAttribute("aria-label") ?? el.textContent?.slice(0, 30) ?? ""}`.trim();
      const sticking = [...document.querySelectorAll<HTMLElement>("header *, main *, form *")]
        // Hover hints count too (opacity 0 until shown): one past the edge is cut off when it shows.
        .filter((el) => el.checkVisibility() && el.getBoundingClientRect().right > edge + 1)
        .map(describe);
      // Inside the page is not enough: a tile past the gallery's own edge is cut off by it.
      const tiles = [...document.querySelectorAll("[aria-label=Gallery] article")];
      const clipped = tiles.filter((el) => el.getBoundingClientRect().right > gallery.right + 1).map(describe);
      // A tile clips what passes its box: the hints of its icon buttons (shown on hover) must fit
      // inside it side to side. (In a tile under ~70 px wide the button row wraps and a hint
      // above it can still pass the tile's top.)
      const cutInTiles = tiles.flatMap((tile) => {
        const box = tile.firstElementChild!.getBoundingClientRect();
        return [...tile.querySelectorAll<HTMLElement>(".group\\/tip > [aria-hidden]")]
          .filter((el) => {
            const r = el.getBoundingClientRect();
            return el.checkVisibility() && (r.left < box.left - 1 || r.right > box.right + 1);
          })
          .map(describe);
      });
      return { scroll: document.documentElement.scrollWidth - edge, sticking: sticking.slice(0, 5), clipped: clipped.slice(0, 5), cutInTiles: [...new Set(cutInTiles)].slice(0, 5) };
    });
    expect(past).toEqual({ scroll: 0, sticking: [], clipped: [], cutInTiles: [] });
  });
}
