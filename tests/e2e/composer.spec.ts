import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { APIRequestContext, Page } from "@playwright/test";
import { BODY, expect, expectPainted, holdRequests, hydrated, openAdvanced, pickModel, test, upstreamRequestOf } from "./fixtures";

// The prompt-first composer with every kind of material: reference images, videos and audio,
// numbered as the prompt mentions them, and 2.5's Extend and Edit from the gallery.

const ffmpeg = (createRequire(import.meta.url)("@ffmpeg-installer/ffmpeg") as { path: string }).path;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "composer-e2e-"));
const make = (name: string, args: string[]) => {
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) execFileSync(ffmpeg, ["-loglevel", "error", "-y", ...args, file]);
  return file;
};
const media = {
  wide: () => make("wide.png", ["-f", "lavfi", "-i", "testsrc2=s=640x480", "-frames:v", "1"]),
  square: () => make("square.png", ["-f", "lavfi", "-i", "color=c=orange:s=500x500", "-frames:v", "1"]),
  video: () => make("ref.mp4", ["-f", "lavfi", "-i", "testsrc2=s=640x360:r=24:d=3", "-c:v", "libx264", "-pix_fmt", "yuv420p"]),
  audio: () => make("ref.wav", ["-f", "lavfi", "-i", "sine=frequency=440:duration=3"]),
  long: () => make("long.wav", ["-f", "lavfi", "-i", "sine=frequency=220:duration=20"]),
  tenSeconds: (hz: number) => make(`ten-${hz}.wav`, ["-f", "lavfi", "-i", `sine=frequency=${hz}:duration=10`]),
};

/** A PNG's width and height, from its header. */
const pngSize = (bytes: Buffer) => [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];

async function generationByPrompt(request: APIRequestContext, prompt: string) {
  const { items } = (await (await request.get(`/api/generations?q=${encodeURIComponent(prompt)}`)).json()) as { items: { id: string; parentId: string | null; status: string }[] };
  expect(items).toHaveLength(1);
  return items[0]!;
}

/** The clip plays: its player's video has data and moves. */
async function plays(page: Page, prompt: string) {
  const card = page.getByRole("article", { name: new RegExp(`Clip: ${prompt.slice(0, 40)}`) });
  await card.getByRole("button", { name: /Play clip/ }).click();
  const video = page.getByRole("dialog", { name: "Clip player" }).getByLabel("Clip video", { exact: true });
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThanOrEqual(2);
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(0);
  await page.keyboard.press("Escape");
}

test("a 2.0 clip from two reference images, a video and an audio clip plays, and the upstream got them as signed links, with their roles, in the order the prompt names them", async ({ studio, page, request }) => {
  test.setTimeout(150_000);
  await studio.open();
  const tray = page.getByRole("group", { name: "Materials" });
  await page.getByLabel("Reference images").setInputFiles([media.wide(), media.square()]);
  const attached = tray.getByRole("list", { name: "Attached materials" }).getByRole("listitem");
  // Both images in the tray first: picking files grows the tray, and a press on Add in flight
  // during that shift lands on the prompt box (Playwright found the button still, then clicked
  // where it had been: seen once in six runs, with the events logged).
  await expect(attached.filter({ hasText: "Image 2" })).toBeVisible();
  // The Add menu opens a kind's chooser (the choosers are no Tab stops of their own).
  const chooser = page.waitForEvent("filechooser");
  await tray.getByRole("button", { name: "Add", exact: true }).click();
  await page.getByRole("menuitem", { name: /^Reference videos/ }).click();
  await (await chooser).setFiles(media.video());
  await page.getByLabel("Reference audio").setInputFiles(media.audio());
  await expect(attached).toHaveCount(4);
  // Numbered per kind, with the media's probed length and the model's counts.
  await expect(attached.filter({ hasText: "Image 2" })).toBeVisible();
  await expect(attached.filter({ hasText: "Video 1" })).toContainText("3 s");
  await expect(attached.filter({ hasText: "Audio 1" })).toContainText("3 s");
  await expect(tray.locator("[data-kind=image]")).toHaveText("Images 2 / 9");

  // @ offers the materials and writes the provider's words.
  const words = `Composer refs ${Date.now()}`;
  await studio.prompt().click();
  await studio.prompt().pressSequentially(`${words}: the fox from @ima`);
  await expect(page.getByRole("option", { name: /Image 1/ })).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(studio.prompt()).toHaveValue(`${words}: the fox from image 1 `);
  await studio.prompt().pressSequentially("dances to audio 1 like video 1 on the rug of image 2, then video 2");
  // A mention of nothing attached is flagged before anything is sent.
  await expect(page.getByText("The prompt mentions video 2, which is not attached")).toBeVisible();
  await studio.prompt().press("End");
  for (let i = 0; i < ", then video 2".length; i++) await studio.prompt().press("Backspace");
  await expect(page.getByText("The prompt mentions video 2, which is not attached")).toBeHidden();
  const mentioned = page.getByRole("list", { name: "Materials the prompt mentions" }).getByRole("listitem");
  await expect(mentioned).toHaveText(["Image 1", "Audio 1", "Video 1", "Image 2"]);

  await studio.settings();
  await page.getByText("480p", { exact: true }).click();
  await studio.generate().click();
  const card = studio.card(words);
  await expect(card.getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 120_000 });
  await plays(page, words);

  const generation = await generationByPrompt(request, words);
  const sent = await upstreamRequestOf(request, generation.id);
  const items = sent.content.filter((item) => item.type !== "text") as unknown as { type: string; role: string; [url: string]: unknown }[];
  expect(items.map((item) => item.role)).toEqual(["reference_image", "reference_image", "reference_video", "reference_audio"]);
  const urls = items.map((item) => (item[item.type] as { url: string }).url);
  for (const url of urls) expect(url).toMatch(/\/api\/media\/refs\/[0-9a-f]{64}\.(png|mp4|wav)\?sig=\d+\.[A-Za-z0-9_-]{43}$/);
  // "image 1" is the first image attached: the signed link serves its bytes.
  const first = await request.get(urls[0]!);
  expect(first.ok()).toBe(true);
  expect(pngSize(await first.body())).toEqual([640, 480]);
  expect(pngSize(await (await request.get(urls[1]!)).body())).toEqual([500, 500]);

  // The player shows what the clip was made from; its copyable request names each stored
  // material by number (its signed link expires), never our own paths.
  await card.getByRole("button", { name: /Play clip/ }).click();
  const dialog = page.getByRole("dialog", { name: "Clip player" });
  await expect(dialog.getByRole("list", { name: "Made from" }).getByRole("listitem")).toHaveText(["Image 1", "Image 2", "Video 1", "Audio 1"]);
  await expect(dialog.getByRole("img", { name: "Image 2" })).toHaveJSProperty("naturalWidth", 500);
  await dialog.getByText("API and ids").click();
  const shown = JSON.parse((await dialog.locator("pre").textContent())!) as { content: { type: string; [url: string]: unknown }[] };
  expect(shown.content.filter((item) => item.type !== "text").map((item) => (item[item.type] as { url: string }).url)).toEqual([
    "<reference image 1: an https URL of the file>",
    "<reference image 2: an https URL of the file>",
    "<reference video 1: an https URL of the file>",
    "<reference audio 1: an https URL of the file>",
  ]);
});

test("a reference longer than the model takes is refused in the tray before any upload, next to it", async ({ studio, page }) => {
  await studio.open();
  const uploads: string[] = [];
  page.on("request", (r) => r.url().includes("/api/references") && uploads.push(r.url()));
  await page.getByLabel("Reference audio").setInputFiles(media.long());
  await expect(page.getByRole("group", { name: "Materials" }).getByRole("alert")).toHaveText(/Reference audio 1 lasts 20 s: Seedance 2.0 takes 2–15 s/);
  expect(uploads).toEqual([]);
});

test("files picked together all show as uploading at once, and the second is checked against the first", async ({ studio, page }) => {
  await studio.open();
  const release = await holdRequests(page, "**/api/references?**");
  const tray = page.getByRole("group", { name: "Materials" });
  // Two 10 s clips: each fits 2.0's 15 s, together they do not.
  await page.getByLabel("Reference audio").setInputFiles([media.tenSeconds(440), media.tenSeconds(660)]);
  await expect(tray.getByRole("listitem", { name: /^Uploading ten-/ })).toHaveCount(2);
  release();
  await expect(tray.getByRole("alert")).toHaveText("The reference audio lasts 20 s together: Seedance 2.0 takes at most 15 s.");
  await expect(tray.getByRole("listitem")).toHaveCount(1);
  await expect(tray.getByRole("listitem", { name: "Audio 1" })).toContainText("10 s");
});

test("Extend from the gallery opens 2.5 on the clip; the extension plays and joins the clip's chain", async ({ studio, page, request }) => {
  test.setTimeout(150_000);
  const stamp = Date.now();
  const opening = `A paper boat sets off ${stamp}`;
  await request.post("/api/generations", { data: BODY(opening) });
  await studio.open();
  const card = studio.card(opening);
  await expect(card.getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
  await card.hover();
  await card.getByRole("button", { name: "More actions" }).click();
  await page.getByRole("menuitem", { name: "Extend" }).click();

  await expect(studio.model()).toHaveAccessibleName("Model Seedance 2.5");
  await expect(page.getByRole("status").filter({ hasText: `Extending “${opening}”` })).toBeVisible();
  await expect(page.getByRole("group", { name: "Materials" }).getByRole("listitem", { name: "Video 1" })).toBeVisible();
  await expect(studio.prompt()).toHaveAttribute("placeholder", "Say what happens next in the clip");
  await expect(studio.prompt()).toBeFocused();
  const next = `The boat drifts under a bridge ${stamp}`;
  await studio.prompt().fill(next);
  await studio.settings();
  await page.getByText("480p", { exact: true }).click();
  await studio.generate().click();
  await expect(studio.card(next).getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 120_000 });
  await plays(page, next);

  const base = await generationByPrompt(request, opening);
  const extension = await generationByPrompt(request, next);
  expect(extension.parentId).toBe(base.id);
  const sent = await upstreamRequestOf(request, extension.id);
  expect(sent.model).toBe("doubao-seedance-2-5-260628");
  expect(sent.omni_reference_task_type).toBe("extend");
  const videos = sent.content.filter((item) => item.type === "video_url") as unknown as { video_url: { url: string }; role: string }[];
  expect(videos).toHaveLength(1);
  expect(videos[0]!.video_url.url).toContain(`/api/media/clips/${base.id}/video.mp4?sig=`);

  await page.getByRole("button", { name: `Storyboard of the chain with “${next}”` }).click();
  const clips = page.getByRole("dialog").getByRole("list", { name: "Clips in order" }).getByRole("listitem");
  await expect(clips).toHaveCount(2);
  await expect(clips.nth(0)).toContainText(opening);
  await expect(clips.nth(1)).toContainText(next);
});

test("Edit opens 2.5 with the clip, automatic length and a hint; remix brings the references back", async ({ studio, page, request }) => {
  test.setTimeout(150_000);
  const stamp = Date.now();
  const opening = `A red kite over a beach ${stamp}`;
  await request.post("/api/generations", { data: BODY(opening) });
  await studio.open();
  const card = studio.card(opening);
  await expect(card.getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
  await card.getByRole("button", { name: /Play clip/ }).click();
  await page.getByRole("dialog", { name: "Clip player" }).getByRole("button", { name: "Edit", exact: true }).click();

  await expect(studio.model()).toHaveAccessibleName("Model Seedance 2.5");
  await expect(studio.prompt()).toHaveAttribute("placeholder", /replace the sky/);
  await studio.settings();
  await expect(page.getByLabel("Auto")).toBeChecked();
  await expect(page.getByLabel("adaptive")).toBeChecked();
  const edit = `Make the kite blue ${stamp}`;
  await studio.prompt().fill(edit);
  await page.getByText("480p", { exact: true }).click();
  await studio.generate().click();
  const edited = studio.card(edit);
  await expect(edited.getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 120_000 });
  const sent = await upstreamRequestOf(request, (await generationByPrompt(request, edit)).id);
  expect(sent.omni_reference_task_type).toBe("edit");
  expect(sent.duration).toBe(-1);

  // Remix: the same request again, its reference video included (the clip, not a copy).
  await edited.getByRole("button", { name: "Remix", exact: true }).click();
  await expect(studio.prompt()).toHaveValue(edit);
  await expect(page.getByRole("group", { name: "Materials" }).getByRole("listitem", { name: "Video 1" })).toBeVisible();
});

const violations = async (page: Page) =>
  (await new AxeBuilder({ page }).analyze()).violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);

for (const colorScheme of ["light", "dark"] as const) {
  test(`axe finds nothing in the composer's tray, model cards and Advanced drawer (${colorScheme})`, async ({ browser }) => {
    const context = await browser.newContext({ colorScheme, viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto("/");
    await hydrated(page);
    await page.getByLabel("Reference images").setInputFiles(media.square());
    await page.getByLabel("Reference audio").setInputFiles(media.audio());
    const attached = page.getByRole("list", { name: "Attached materials" });
    // Uploaded, not pending: the tiles axe reads are the attached ones.
    await expect(attached.getByRole("listitem", { name: "Image 1" })).toBeVisible();
    await expect(attached.getByRole("listitem", { name: "Audio 1" })).toBeVisible();
    await expect(attached.getByRole("listitem")).toHaveCount(2);
    expect(await violations(page)).toEqual([]);
    await page.locator("#model").click();
    await expect(page.getByRole("dialog", { name: "Choose a model" }).getByRole("radio")).toHaveCount(9);
    expect(await violations(page)).toEqual([]);
    await page.keyboard.press("Escape");
    await openAdvanced(page);
    await pickModel(page, "Seedance 2.5");
    await expect(page.getByLabel("Task type")).toBeVisible();
    expect(await violations(page)).toEqual([]);
    await context.close();
  });
}

test("on a phone in Korean the sheet opens to every setting, Hangul drawn, and axe finds nothing", async ({ browser }) => {
  const context = await browser.newContext({ locale: "ko-KR", extraHTTPHeaders: { "Accept-Language": "ko" }, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto("/");
  // Hydrated (the gallery's name is Korean here, so only the prompt is asked).
  await page.waitForFunction(() => Object.keys(document.querySelector("#prompt") ?? {}).some((key) => key.startsWith("__reactFiber")));
  await page.getByRole("button", { name: "설정 더 보기" }).click();
  await expect(page.getByLabel("720p")).toBeVisible();
  // Hangul in the self-hosted Noto Sans KR (the machine has no Korean system font): no empty boxes.
  await expectPainted(page.getByRole("button", { name: "추가", exact: true }));
  await expectPainted(page.getByText("고급", { exact: true }));
  expect(await violations(page)).toEqual([]);
  await page.screenshot({ path: "tests/artifacts/composer-phone-ko.png" });
  await context.close();
});

test("the keyboard reaches Generate from the prompt in a few Tab stops: the materials' Add, the setting chips, Advanced", async ({ studio, page }) => {
  await studio.open();
  const stops = async () => {
    await page.getByLabel("Prompt", { exact: true }).focus();
    const names: string[] = [];
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press("Tab");
      const name = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return (el?.getAttribute("aria-label") || el?.id || el?.textContent || el?.tagName || "").trim().slice(0, 40);
      });
      names.push(name);
      if (await page.getByRole("button", { name: /^Generate/ }).evaluate((el) => el === document.activeElement)) return names;
    }
    throw new Error(`Generate not reached: ${names.join(" | ")}`);
  };
  for (const model of ["Seedance 2.0", "Seedance 1.0 Lite (image)"]) {
    if (model !== "Seedance 2.0") await studio.pickModel(model);
    const names = await stops();
    console.log(`${model}: ${names.length} Tab presses: ${names.join(" | ")}`);
    expect(names.length, names.join(" | ")).toBeLessThanOrEqual(11);
  }
});

test("Add stays where it is when an upload lands: a pending tile has the attached tile's shape", async ({ studio, page }) => {
  await studio.open();
  const release = await holdRequests(page, "**/api/references?**");
  const addTop = () => page.locator("#add-material").evaluate((el) => el.getBoundingClientRect().top);
  // A square image: its thumbnail is cropped to the tile, not drawn at its own height.
  await page.getByLabel("Reference images").setInputFiles(media.square());
  await expect(page.getByRole("listitem", { name: "Uploading square.png…" })).toBeVisible();
  const whilePending = await addTop();
  release();
  await expect(page.getByRole("listitem", { name: "Image 1" })).toBeVisible();
  expect(await addTop()).toBe(whilePending);
});

test("attached materials are one Tab stop: the arrow keys go through them, and a removal keeps the focus in the tray", async ({ studio, page }) => {
  await studio.open();
  await page.getByLabel("Reference images").setInputFiles([media.wide(), media.square(), media.wide()]);
  const attached = page.getByRole("list", { name: "Attached materials" });
  // The files land one after another: the third attached means none is pending.
  await expect(attached.getByRole("listitem", { name: "Image 3" })).toBeVisible();
  await expect(attached.getByRole("listitem")).toHaveCount(3);
  // From the prompt, Tab lands on the first item's remove button, and the next Tab leaves the list.
  await studio.prompt().focus();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Remove Image 1" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.locator("#add-material")).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await expect(page.getByRole("button", { name: "Remove Image 1" })).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("button", { name: "Remove Image 3" })).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("button", { name: "Remove Image 1" })).toBeFocused();
  await page.keyboard.press("End");
  await page.keyboard.press("ArrowLeft");
  // Removing Image 2 by keyboard: the one that took its place (now Image 2) has the focus.
  await page.keyboard.press("Enter");
  await expect(attached.getByRole("listitem")).toHaveCount(2);
  await expect(page.getByRole("button", { name: "Remove Image 2" })).toBeFocused();
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  // The list is gone: the focus is on Add, where more can be attached.
  await expect(attached).toBeHidden();
  await expect(page.locator("#add-material")).toBeFocused();
});
