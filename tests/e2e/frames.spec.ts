import path from "node:path";
import { expect, test, upstreamRequestOf } from "./fixtures";

const fixture = (name: string) => path.resolve("tests/fixtures", name);

async function idFromCard(card: import("@playwright/test").Locator) {
  await expect(card.getByRole("status")).toHaveAccessibleName(/Ready|Failed/, { timeout: 60_000 });
  const src = await card.locator("video").getAttribute("src");
  return src!.split("/")[4]!;
}

test("first and last frame by file chooser reach the upstream as image_url objects with roles", async ({ studio, page, request }) => {
  await studio.open();
  await studio.model().selectOption({ label: "Seedance 1.0 Pro" });
  const prompt = `Test pattern melts into orange ${Date.now()}`;
  await studio.prompt().fill(prompt);
  await page.getByLabel("First frame", { exact: true }).setInputFiles(fixture("first-frame.png"));
  await expect(page.getByRole("img", { name: "First frame preview" })).toBeVisible();
  await page.getByLabel("Last frame", { exact: true }).setInputFiles(fixture("last-frame.jpg"));
  await expect(page.getByRole("img", { name: "Last frame preview" })).toBeVisible();
  await page.getByText("480p", { exact: true }).click();
  await studio.generate().click();

  const id = await idFromCard(studio.card(prompt));
  const upstream = await upstreamRequestOf(request, id);
  const images = upstream.content.filter((c) => c.type === "image_url");
  expect(images.map((c) => c.role)).toEqual(["first_frame", "last_frame"]);
  // The simulator keeps requests with data: URLs elided, as the real task records would be huge.
  for (const image of images) expect(image.image_url).toEqual({ url: expect.stringMatching(/^data:/) });
  // Our own copy of the inputs is kept and shown back as our URL.
  const generation = await (await request.get(`/api/generations/${id}`)).json();
  expect(generation.request.firstFrame).toMatch(/^\/api\/media\/inputs\/[0-9a-f]{64}\.png$/);
  expect(generation.request.lastFrame).toMatch(/^\/api\/media\/inputs\/[0-9a-f]{64}\.jpg$/);
  expect(generation.width / generation.height).toBeCloseTo(16 / 9, 1);
});

test("a first frame by drag and drop", async ({ studio, page, request }) => {
  await studio.open();
  const prompt = `Dropped frame ${Date.now()}`;
  await studio.prompt().fill(prompt);
  const bytes = (await import("node:fs")).readFileSync(fixture("first-frame.png")).toString("base64");
  const dataTransfer = await page.evaluateHandle(async (b64) => {
    // Built from bytes: the page's CSP (connect-src 'self') rightly refuses fetch("data:...").
    const blob = new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: "image/png" });
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], "frame.png", { type: "image/png" }));
    return transfer;
  }, bytes);
  await page.getByRole("group", { name: "First frame drop zone" }).dispatchEvent("drop", { dataTransfer });
  await expect(page.getByRole("img", { name: "First frame preview" })).toBeVisible();
  await page.getByText("480p", { exact: true }).click();
  await studio.generate().click();
  const id = await idFromCard(studio.card(prompt));
  const upstream = await upstreamRequestOf(request, id);
  expect(upstream.content[1]).toMatchObject({ type: "image_url", role: "first_frame", image_url: { url: expect.stringMatching(/^data:/) } });
});

test("a first frame by https URL is sent as {url} with its role", async ({ studio, page, request }) => {
  await studio.open();
  const prompt = `Linked frame ${Date.now()}`;
  await studio.prompt().fill(prompt);
  await page.getByLabel("First frame URL").fill("http://example.com/frame.png");
  await page.getByRole("button", { name: "Use URL" }).first().click();
  await expect(page.getByText("Image URL must start with https://.")).toBeVisible();
  const url = "https://images.example.com/frames/first.png";
  await page.getByLabel("First frame URL").fill(url);
  await page.getByRole("button", { name: "Use URL" }).first().click();
  await expect(page.getByRole("img", { name: "First frame preview" })).toHaveAttribute("src", url);
  await page.getByText("480p", { exact: true }).click();
  await studio.generate().click();
  const id = await idFromCard(studio.card(prompt));
  const upstream = await upstreamRequestOf(request, id);
  expect(upstream.content).toEqual([
    { type: "text", text: prompt },
    { type: "image_url", image_url: { url }, role: "first_frame" },
  ]);
});

test("images that break the contract are refused in the browser with a reason", async ({ studio, page }) => {
  await studio.open();
  await page.getByLabel("First frame", { exact: true }).setInputFiles(fixture("too-small.png"));
  await expect(page.getByText("The image is 200×200: each side must be at least 300 px.")).toBeVisible();
  await page.getByLabel("First frame", { exact: true }).setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
  await expect(page.getByText(/text\/plain is not accepted/)).toBeVisible();
});

test("a first frame pasted from the clipboard, then swapped with the last frame and removed", async ({ studio, page }) => {
  await studio.open();
  await studio.model().selectOption({ label: "Seedance 1.0 Pro" });
  const bytes = (await import("node:fs")).readFileSync(fixture("first-frame.png")).toString("base64");
  await page.getByRole("group", { name: "First frame drop zone" }).focus();
  await page.evaluate(async (b64) => {
    // Built from bytes: the page's CSP (connect-src 'self') rightly refuses fetch("data:...").
    const blob = new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: "image/png" });
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], "pasted.png", { type: "image/png" }));
    document.activeElement!.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }));
  }, bytes);
  const first = page.getByRole("img", { name: "First frame preview" });
  await expect(first).toHaveAttribute("src", /^data:image\/png;base64,/);
  await page.getByLabel("Last frame", { exact: true }).setInputFiles(fixture("last-frame.jpg"));
  await expect(page.getByRole("img", { name: "Last frame preview" })).toHaveAttribute("src", /^data:image\/jpeg;base64,/);

  await page.getByRole("button", { name: "Swap first and last frame" }).click();
  await expect(first).toHaveAttribute("src", /^data:image\/jpeg;base64,/);
  await expect(page.getByRole("img", { name: "Last frame preview" })).toHaveAttribute("src", /^data:image\/png;base64,/);

  await page.getByRole("button", { name: "Remove last frame" }).click();
  await expect(page.getByRole("img", { name: "Last frame preview" })).toBeHidden();
  await expect(first).toBeVisible();
});
