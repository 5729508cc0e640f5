import { BODY, expect, test, upstreamRequestOf } from "./fixtures";

// The player as the workspace, and Continue as an explicit mode.

test.describe("the player", () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test("steps through three clips with the arrow keys, keeps focus, and closes by Escape and the backdrop", async ({ studio, page, request }) => {
    const stamp = Date.now();
    const prompts = [`Player one ${stamp}`, `Player two ${stamp}`, `Player three ${stamp}`];
    for (const p of prompts) await request.post("/api/generations", { data: BODY(p) });
    await studio.open();
    for (const p of prompts) await expect(studio.card(p).getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });

    // Newest first: three, two, one.
    await studio.card(prompts[2]!).getByRole("button", { name: /Play clip/ }).click();
    const dialog = page.getByRole("dialog", { name: "Clip player" });
    await expect(dialog).toContainText(prompts[2]!);
    await page.keyboard.press("ArrowRight");
    await expect(dialog).toContainText(prompts[1]!);
    // Again and again: focus never falls out of the player when the clip changes.
    await page.keyboard.press("ArrowRight");
    await expect(dialog).toContainText(prompts[0]!);
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest("dialog")))).toBe(true);
    await page.keyboard.press("ArrowLeft");
    await expect(dialog).toContainText(prompts[1]!);
    await dialog.getByRole("button", { name: "Previous clip" }).click();
    await expect(dialog).toContainText(prompts[2]!);
    await page.keyboard.press("ArrowRight");
    await expect(dialog).toContainText(prompts[1]!);

    // The ids are folded away, and whole (the model id does not break mid-word).
    await expect(dialog.getByText("Upstream task id")).toBeHidden();
    await dialog.getByText("API and ids").click();
    await expect(dialog.getByText("Upstream task id")).toBeVisible();
    await dialog.screenshot({ path: "tests/artifacts/player-desktop.png" });

    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();

    // A press on the dark stage beside the video closes it too.
    await studio.card(prompts[0]!).getByRole("button", { name: /Play clip/ }).click();
    await expect(dialog).toContainText(prompts[0]!);
    await page.getByTestId("player-stage").click({ position: { x: 10, y: 10 } });
    await expect(dialog).toBeHidden();
  });

  test("every action works from inside it", async ({ studio, page, request, context }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const prompt = `Workspace clip ${Date.now()}`;
    await request.post("/api/generations", { data: BODY(prompt, { seed: 2468 }) });
    await studio.open();
    const card = studio.card(prompt);
    await expect(card.getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
    const dialog = page.getByRole("dialog", { name: "Clip player" });
    const open = async () => {
      await card.getByRole("button", { name: /Play clip/ }).click();
      await expect(dialog).toContainText(prompt);
    };

    await open();
    await expect(dialog.getByRole("button", { name: "Copy seed" })).toBeVisible();
    await dialog.getByRole("button", { name: "Copy seed" }).click();
    await expect(dialog.getByText("Copied seed.")).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("2468");

    const [download] = await Promise.all([page.waitForEvent("download"), dialog.getByRole("link", { name: "Download" }).click()]);
    expect(download.suggestedFilename()).toMatch(/seed-2468\.mp4$/);

    await dialog.getByRole("button", { name: "Share", exact: true }).click();
    await dialog.getByRole("button", { name: "Create share link" }).click();
    await expect(dialog.getByLabel("Share link")).toHaveValue(/\/v\/[A-Za-z0-9_-]{22}$/);

    // A still of the video where it stands, as the form's first frame; the prompt is untouched.
    // Paused, it may stand mid-seek (a 2 s loop wraps often): wait for a picture, since
    // "loadeddata" fires once per load and a wrap does not fire it again (CI hung on it once).
    const video = dialog.locator("video");
    await video.evaluate((el: HTMLVideoElement) => el.pause());
    await expect.poll(() => video.evaluate((el: HTMLVideoElement) => el.readyState >= 2 && !el.seeking)).toBe(true);
    await dialog.getByRole("button", { name: "Use this frame as first frame" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("img", { name: "First frame preview" })).toHaveAttribute("src", /^data:image\/jpeg;base64,/);

    await open();
    await dialog.getByRole("button", { name: "Remix" }).click();
    await expect(dialog).toBeHidden();
    await expect(studio.prompt()).toHaveValue(prompt);
    await studio.advanced();
    await expect(page.getByLabel("Seed", { exact: true })).toHaveValue("2468");

    await open();
    await dialog.getByRole("button", { name: "Continue from last frame" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("group", { name: "Continuing from" })).toBeVisible();

    await open();
    await dialog.getByRole("button", { name: "Add to storyboard" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("dialog").filter({ hasText: prompt })).toBeVisible();
  });
});

test.describe("the player on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test("a swipe steps to the next clip and the keyboard hint is gone", async ({ studio, page, request }) => {
    const stamp = Date.now();
    const prompts = [`Swipe one ${stamp}`, `Swipe two ${stamp}`];
    for (const p of prompts) await request.post("/api/generations", { data: BODY(p) });
    await studio.open();
    for (const p of prompts) await expect(studio.card(p).getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
    await studio.card(prompts[1]!).getByRole("button", { name: /Play clip/ }).click();
    const dialog = page.getByRole("dialog", { name: "Clip player" });
    await expect(dialog).toContainText(prompts[1]!);
    await expect(dialog.getByText("step through clips")).toBeHidden();
    const stage = page.getByTestId("player-stage");
    const box = (await stage.boundingBox())!;
    const y = box.y + box.height / 2;
    await stage.dispatchEvent("pointerdown", { pointerType: "touch", clientX: box.x + box.width * 0.8, clientY: y, isPrimary: true });
    await stage.dispatchEvent("pointerup", { pointerType: "touch", clientX: box.x + box.width * 0.2, clientY: y + 5, isPrimary: true });
    await expect(dialog).toContainText(prompts[0]!);
    await page.screenshot({ path: "tests/artifacts/player-phone.png" });
  });
});

test("Continue is a mode: its chip stays until ×, and the next clip without it carries no first frame", async ({ studio, page, request }) => {
  const prompt = `A gate swings open ${Date.now()}`;
  const parent = await (await request.post("/api/generations", { data: BODY(prompt) })).json();
  await studio.open();
  const card = studio.card(prompt);
  await expect(card.getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
  await card.getByRole("button", { name: "Continue from last frame" }).click();
  const chip = page.getByRole("group", { name: "Continuing from" });
  await expect(chip).toBeVisible();
  await expect(chip).toContainText(prompt);
  // The old prompt is selected: typing replaces it.
  await expect(studio.prompt()).toBeFocused();
  await page.keyboard.type(`Through the gate ${Date.now()}`);
  const first = await studio.prompt().inputValue();
  expect(first).not.toContain(prompt);
  await page.getByText("480p", { exact: true }).click();
  await studio.generate().click();
  const firstCard = studio.card(first);
  await expect(firstCard).toBeVisible();
  // The card says it was continued, and the chip is still there after sending.
  await expect(firstCard.getByText("Continued")).toBeVisible();
  await expect(chip).toBeVisible();

  // Another continued clip, from the same frame, without picking it again.
  const second = `Still continuing ${Date.now()}`;
  await studio.prompt().fill(second);
  await studio.generate().click();
  await expect(studio.card(second)).toBeVisible();

  // × ends it: the next clip is a clip of its own.
  await chip.getByRole("button", { name: /Stop continuing/ }).click();
  await expect(chip).toBeHidden();
  await expect(page.getByRole("img", { name: "First frame preview" })).toBeHidden();
  const third = `A clip of its own ${Date.now()}`;
  await studio.prompt().fill(third);
  await studio.generate().click();

  const idOf = async (text: string) => {
    const items = (await (await request.get(`/api/generations?q=${encodeURIComponent(text)}`)).json()).items as { id: string; parentId: string | null; upstreamTaskId: string | null }[];
    expect(items).toHaveLength(1);
    return items[0]!;
  };
  for (const text of [first, second]) {
    const child = await idOf(text);
    expect(child.parentId).toBe(parent.id);
    await expect.poll(async () => (await idOf(text)).upstreamTaskId, { timeout: 30_000 }).not.toBeNull();
    const upstream = await upstreamRequestOf(request, child.id);
    expect(upstream.content.filter((c) => c.type === "image_url")).toEqual([expect.objectContaining({ role: "first_frame" })]);
  }
  const own = await idOf(third);
  expect(own.parentId).toBeNull();
  await expect.poll(async () => (await idOf(third)).upstreamTaskId, { timeout: 30_000 }).not.toBeNull();
  const upstream = await upstreamRequestOf(request, own.id);
  expect(upstream.content).toEqual([{ type: "text", text: third }]);
});
