import { expect, test } from "./fixtures";

// The counter counts as the server does (code points): 600 emoji are 600 characters, within the
// limit, where it once showed "1200 / 1000" in red for a prompt the server accepts.
test("the prompt counter counts an emoji as one character, as the server does", async ({ studio, page }) => {
  await studio.open();
  await studio.prompt().fill("🦊".repeat(600));
  await expect(page.getByText("600 / 1000", { exact: true })).toBeVisible();

  await studio.prompt().fill("🦊".repeat(1001));
  await expect(page.getByText("1001 / 1000", { exact: true })).toBeVisible();
  await studio.generate().click();
  await expect(page.getByText("Prompt is longer than 1000 characters: shorten it.")).toBeVisible();
});
