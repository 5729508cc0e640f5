import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "./fixtures";

test("the studio has no serious or critical accessibility violations", async ({ studio, page }) => {
  await studio.open();
  await studio.prompt().fill("An otter juggling pebbles");
  await page.getByText("480p", { exact: true }).click();
  await studio.generate().click();
  await expect(studio.card("An otter juggling pebbles").getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
  const results = await new AxeBuilder({ page }).analyze();
  const blocking = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(blocking.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("the form and gallery stack in one column and a clip can be made", async ({ studio, page }) => {
    await studio.open();
    const form = await page.getByRole("region", { name: "Create" }).boundingBox();
    const gallery = await page.getByRole("region", { name: "Gallery" }).boundingBox();
    expect(form!.width).toBeGreaterThan(340);
    expect(gallery!.y).toBeGreaterThan(form!.y + form!.height - 1);
    const prompt = `Phone clip ${Date.now()}`;
    await studio.prompt().fill(prompt);
    await page.getByText("480p", { exact: true }).click();
    await studio.generate().click();
    await expect(studio.card(prompt).getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
    await page.screenshot({ path: "tests/artifacts/phone.png", fullPage: true });
  });
});
