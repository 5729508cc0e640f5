import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "./fixtures";

const violations = async (page: import("@playwright/test").Page) =>
  (await new AxeBuilder({ page }).analyze()).violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);

for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme });

    test(`the studio and the player have no accessibility violations at all (${colorScheme})`, async ({ studio, page }) => {
      await studio.open();
      // The skip link is the first Tab stop, to the one main landmark.
      await expect(page.getByRole("main")).toHaveCount(1);
      await page.keyboard.press("Tab");
      const skip = page.getByRole("link", { name: "Skip to content" });
      await expect(skip).toBeFocused();
      await expect(skip).toBeInViewport();
      await page.keyboard.press("Enter");
      await expect(page).toHaveURL(/#main$/);
      const prompt = `An otter juggling pebbles ${colorScheme} ${Date.now()}`;
      await studio.prompt().fill(prompt);
      await page.getByText("480p", { exact: true }).click();
      await studio.generate().click();
      await expect(studio.card(prompt).getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
      expect(await violations(page)).toEqual([]);
      await page.screenshot({ path: `tests/artifacts/studio-desktop-${colorScheme}.png` });

      await studio.card(prompt).getByRole("button", { name: /^Play/ }).click();
      await expect(page.getByRole("dialog", { name: "Clip player" })).toBeVisible();
      expect(await violations(page)).toEqual([]);
      await page.screenshot({ path: `tests/artifacts/player-desktop-${colorScheme}.png` });
    });
  });
}

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("the composer is a sheet over the gallery: it peeks with the prompt and Generate, opens for the rest, and a clip can be made", async ({ studio, page }) => {
    await studio.open();
    const sheet = page.getByRole("region", { name: "Create" });
    const form = (await sheet.boundingBox())!;
    const gallery = (await page.getByRole("region", { name: "Gallery" }).boundingBox())!;
    // The gallery starts under the header, not 1,600 px down; the sheet sits on the bottom edge.
    expect(gallery.y).toBeLessThan(200);
    expect(form.width).toBeGreaterThan(380);
    expect(Math.round(form.y + form.height)).toBe(844);
    expect(form.height).toBeLessThan(844 / 2);
    await expect(studio.prompt()).toBeVisible();
    await expect(studio.generate()).toBeVisible();
    await expect(page.getByLabel("720p")).toBeHidden();
    const prompt = `Phone clip ${Date.now()}`;
    await studio.prompt().fill(prompt);
    await page.getByRole("button", { name: "More settings" }).click();
    await page.getByText("480p", { exact: true }).click();
    await expect(page.getByLabel("480p")).toBeChecked();
    await studio.generate().click();
    // Sent: the sheet peeks again, and the new card is above it, in view.
    await expect(page.getByRole("button", { name: "More settings" })).toBeVisible();
    const card = studio.card(prompt);
    await expect(card).toBeVisible();
    await expect.poll(async () => (await card.boundingBox())!.y + 40 <= (await sheet.boundingBox())!.y).toBe(true);
    await expect(card.getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
    await page.screenshot({ path: "tests/artifacts/phone.png", fullPage: true });
  });
});
