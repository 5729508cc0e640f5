#!/usr/bin/env node
/**
 * The studio as a creator sees it, for a person to look at: the page at 1440x900 and on a
 * 390x844 phone, light and dark, English and Korean, plus the composer's Add menu and model
 * cards open. Against a running server (`npm start`, or any base URL):
 *
 *   node scripts/screenshots.mjs [http://127.0.0.1:3000]   -> tests/artifacts/shots/*.png
 *
 * Debian's Chromium with the flags these machines need (see playwright.config.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const out = path.join("tests", "artifacts", "shots");
fs.mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});

const sizes = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } };
const shots = [];
for (const [size, viewport] of Object.entries(sizes)) {
  for (const colorScheme of ["light", "dark"]) {
    for (const locale of ["en-US", "ko-KR"]) {
      const context = await browser.newContext({ viewport, colorScheme, locale, deviceScaleFactor: 1 });
      const page = await context.newPage();
      await page.goto(base, { waitUntil: "networkidle" });
      await page.evaluate(() => document.fonts.ready);
      const name = `${size}-${colorScheme}-${locale.slice(0, 2)}`;
      await page.screenshot({ path: path.join(out, `${name}.png`) });
      shots.push(name);
      if (size === "desktop" || colorScheme === "light") {
        // The materials' menu and the model cards: the composer's two pop-overs.
        if (size === "phone") await page.getByRole("button", { name: locale === "ko-KR" ? "설정 더 보기" : "More settings" }).click();
        const add = page.locator("#add-material");
        await add.click();
        await page.screenshot({ path: path.join(out, `${name}-add.png`) });
        await page.keyboard.press("Escape");
        await page.locator("#model").click();
        await page.screenshot({ path: path.join(out, `${name}-models.png`) });
        await page.keyboard.press("Escape");
        shots.push(`${name}-add`, `${name}-models`);
      }
      await context.close();
    }
  }
}
await browser.close();
console.log(`${shots.length} screenshots in ${out}: ${shots.join(", ")}`);
