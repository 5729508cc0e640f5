import { expect, test } from "./fixtures";

/* The UI kit as a creator meets it: icons that need no emoji font, the player's copy menu, the status chips. */

const BODY = (prompt: string) => ({
  model: "doubao-seedance-1-0-pro-fast-251015",
  content: [{ type: "text", text: prompt }],
  resolution: "480p",
  duration: 2,
});

test("the seed's dice is drawn, not an emoji glyph (an empty box without an emoji font), and rolls a seed", async ({ studio, page }) => {
  await studio.open();
  await studio.advanced();
  const dice = page.getByRole("button", { name: "Roll a random seed" });
  await expect(dice.locator("svg")).toBeVisible();
  expect((await dice.textContent())?.trim()).toBe("");
  await dice.click();
  await expect(page.getByLabel("Seed", { exact: true })).toHaveValue(/^\d+$/);
});

test("the player's Copy request menu copies the curl command; Escape closes the menu, then the player, and focus returns to the clip", async ({ studio, page, context, request }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const prompt = `Menu clip ${Date.now()}`;
  await request.post("/api/generations", { data: BODY(prompt) });
  await studio.open();
  const card = studio.card(prompt);
  await expect(card.getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
  // From the keyboard: the user focus return is for (a mouse press on the video leaves focus on the page).
  const play = card.getByRole("button", { name: /Play clip/ });
  await play.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Clip player" });
  await expect(dialog).toBeVisible();

  // The request and the ids are folded into one disclosure.
  await dialog.getByText("API and ids").click();
  await dialog.getByRole("button", { name: "Copy request" }).click();
  const curl = page.getByRole("menuitem", { name: "Copy as curl" });
  await expect(page.getByRole("menuitem", { name: "Copy as API request (JSON)" })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(curl).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(dialog.getByRole("status")).toHaveText("Copied curl.");
  await expect(curl).toBeHidden();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^curl -X POST https:\/\/api\.acedata\.cloud\/seedance\/videos/);

  await dialog.getByRole("button", { name: "Copy request" }).click();
  await expect(curl).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(curl).toBeHidden();
  await expect(dialog).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(play).toBeFocused();
});

test("the status filter is one choice among four: arrow keys move it, and the gallery follows", async ({ studio, page, request }) => {
  const prompt = `Filter chip clip ${Date.now()}`;
  await request.post("/api/generations", { data: BODY(prompt) });
  await studio.open();
  await expect(studio.card(prompt).getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
  const filter = page.getByRole("group", { name: "Filter by status" });
  const all = filter.getByRole("radio", { name: "All" });
  await expect(all).toBeChecked();
  await all.focus();
  await page.keyboard.press("ArrowRight");
  await expect(filter.getByRole("radio", { name: "In progress" })).toBeChecked();
  await expect(studio.card(prompt)).toBeHidden();
  await page.keyboard.press("ArrowRight");
  await expect(filter.getByRole("radio", { name: "Ready" })).toBeChecked();
  await expect(studio.card(prompt)).toBeVisible();
});
