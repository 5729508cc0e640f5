import type { APIRequestContext, Page } from "@playwright/test";
import { expect, hydrated, test } from "./fixtures";

const BODY = (prompt: string) => ({
  model: "doubao-seedance-1-0-pro-fast-251015",
  content: [{ type: "text", text: prompt }],
  resolution: "480p",
  duration: 2,
});

async function finishedClip(request: APIRequestContext, prompt: string): Promise<string> {
  const { id } = await (await request.post("/api/generations", { data: BODY(prompt) })).json();
  await expect.poll(async () => (await (await request.get(`/api/generations/${id}`)).json()).status, { timeout: 60_000 }).toBe("succeeded");
  return id;
}

async function openStoryboard(page: Page, prompts: string[]) {
  await page.goto("/");
  await hydrated(page);
  for (const prompt of prompts) await page.getByLabel(`Select clip: ${prompt}`).check();
  await page.getByRole("button", { name: "Make storyboard" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("list", { name: "Clips in order" }).getByRole("listitem")).toHaveCount(prompts.length);
  return dialog;
}

const saved = async (request: APIRequestContext, generationId: string) => {
  const boards = (await (await request.get("/api/storyboards")).json()).items as { id: string; items: { generationId: string; trimStart: number; trimEnd: number | null }[] }[];
  const board = boards.find((b) => b.items.some((i) => i.generationId === generationId))!;
  return (await (await request.get(`/api/storyboards/${board.id}`)).json()) as { id: string; items: { trimStart: number; trimEnd: number | null }[] };
};

test("trims on a timeline: an impossible trim is refused as it is typed, handles drag and step, and the cut previews", async ({ page, request }) => {
  const stamp = Date.now();
  const prompts = [`Timeline opening ${stamp}`, `Timeline closing ${stamp}`];
  const first = await finishedClip(request, prompts[0]!);
  await finishedClip(request, prompts[1]!);
  const dialog = await openStoryboard(page, prompts);

  // Start 6 on a 2 s clip: refused at once, before the field is even left, and the field says so.
  const start = dialog.getByLabel("Start of clip 1 (seconds)");
  await start.fill("6");
  const refusal = dialog.getByRole("alert").filter({ hasText: "The start (6 s) must come before the end (2 s)" });
  await expect(refusal).toBeVisible();
  await expect(start).toHaveAttribute("aria-invalid", "true");
  // Corrected, it is saved when the field is left.
  await start.fill("0.5");
  await expect(refusal).toHaveCount(0);
  await start.blur();
  await expect.poll(async () => (await saved(request, first)).items[0]!.trimStart).toBe(0.5);

  // An end past the clip: refused live too.
  const end = dialog.getByLabel("End of clip 1 (seconds)");
  await end.fill("3");
  await expect(dialog.getByRole("alert").filter({ hasText: "The clip is 2 s long" })).toBeVisible();
  await end.fill("1.5");
  await end.press("Enter");
  await expect.poll(async () => (await saved(request, first)).items[0]!.trimEnd).toBe(1.5);
  await expect(dialog.getByText("Keeps 1 s of 2 s")).toBeVisible();

  // The server refuses the same trims from any client, with the reason.
  const board = await saved(request, first);
  const patch = (items: object[]) => request.patch(`/api/storyboards/${board.id}`, { data: { items } });
  const ids = (await (await request.get(`/api/storyboards/${board.id}`)).json()).items.map((i: { generationId: string }) => i.generationId);
  const tooLate = await patch([{ generationId: ids[0], trimStart: 6, trimEnd: null }, { generationId: ids[1] }]);
  expect(tooLate.status()).toBe(400);
  expect((await tooLate.json()).error.code).toBe("trim_order");
  const pastEnd = await patch([{ generationId: ids[0], trimStart: 0, trimEnd: 5 }, { generationId: ids[1] }]);
  expect(pastEnd.status()).toBe(400);
  expect((await pastEnd.json()).error.code).toBe("trim_past_end");

  // The second clip's out point, dragged to the middle of its filmstrip; its in point, stepped with the keyboard.
  const out = dialog.getByRole("slider", { name: "Out point of clip 2" });
  const track = await out.locator("..").boundingBox();
  expect(track!.width).toBeGreaterThan(100);
  const knob = await out.boundingBox();
  await page.mouse.move(knob!.x + knob!.width / 2, knob!.y + knob!.height / 2);
  await page.mouse.down();
  await page.mouse.move(track!.x + track!.width * 0.6, knob!.y + knob!.height / 2, { steps: 8 });
  await page.mouse.move(track!.x + track!.width * 0.5, knob!.y + knob!.height / 2, { steps: 4 });
  await page.mouse.up();
  await expect(out).toHaveAttribute("aria-valuenow", "1");
  await expect.poll(async () => (await saved(request, first)).items[1]!.trimEnd).toBe(1);
  const inPoint = dialog.getByRole("slider", { name: "In point of clip 2" });
  await inPoint.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
  await expect.poll(async () => (await saved(request, first)).items[1]!.trimStart).toBe(0.3);
  // Handles cannot cross: End puts the in point one frame before the out point, no further.
  await page.keyboard.press("End");
  await expect(inPoint).toHaveAttribute("aria-valuenow", "0.95");

  // The cut before export: the kept parts one after another.
  await dialog.getByRole("button", { name: "Preview the cut" }).click();
  const preview = dialog.getByLabel("Preview of the cut");
  await expect(preview).toBeVisible();
  await expect(dialog.getByText("Clip 1 of 2")).toBeVisible();
  await expect(dialog.getByText("Clip 2 of 2")).toBeVisible({ timeout: 15_000 });
  await page.screenshot({ path: "tests/artifacts/storyboard-desktop-light.png" });
});

const LOOKS: [string, { colorScheme: "light" | "dark"; viewport: { width: number; height: number }; isMobile?: boolean; hasTouch?: boolean }][] = [
  ["desktop-dark", { colorScheme: "dark", viewport: { width: 1440, height: 900 } }],
  ["phone-light", { colorScheme: "light", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }],
  ["phone-dark", { colorScheme: "dark", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }],
];
for (const [name, options] of LOOKS) {
  test.describe(name, () => {
    test.use(options);
    test(`the storyboard timeline (${name})`, async ({ page, request }) => {
      const stamp = Date.now();
      const prompts = [`Timeline look ${name} one ${stamp}`, `Timeline look ${name} two ${stamp}`];
      for (const prompt of prompts) await finishedClip(request, prompt);
      const dialog = await openStoryboard(page, prompts);
      await expect(dialog.getByRole("slider", { name: "Out point of clip 1" })).toBeVisible();
      await dialog.getByLabel("Start of clip 1 (seconds)").fill("6");
      await expect(dialog.getByRole("alert").first()).toBeVisible();
      await page.screenshot({ path: `tests/artifacts/storyboard-${name}.png` });
    });
  });
}
