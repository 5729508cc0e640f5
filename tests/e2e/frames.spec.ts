import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { jpegOrientation } from "@/lib/images/exif-orientation";
import { withExifOrientation } from "../unit/support/exif";
import { expect, test, upstreamRequestOf } from "./fixtures";

const fixture = (name: string) => path.resolve("tests/fixtures", name);

async function idFromCard(card: import("@playwright/test").Locator) {
  await expect(card.getByRole("status")).toHaveAccessibleName(/Ready|Failed/, { timeout: 60_000 });
  const src = await card.locator("video").getAttribute("src");
  return src!.split("/")[4]!;
}

test("first and last frame by file chooser reach the upstream as image_url objects with roles", async ({ studio, page, request }) => {
  await studio.open();
  await studio.pickModel("Seedance 1.0 Pro");
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
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await page.getByRole("menuitem", { name: "From a link…" }).click();
  const link = page.getByLabel("Reference link (https)");
  await expect(link).toBeFocused();
  await page.getByLabel("Use the link as").selectOption({ label: "First frame" });
  await link.fill("http://example.com/frame.png");
  await page.getByRole("button", { name: "Add link" }).click();
  await expect(page.getByText("Image URL must start with https://.")).toBeVisible();
  const url = "https://images.example.com/frames/first.png";
  await link.fill(url);
  await link.press("Enter");
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

test("an AVIF frame is converted to JPEG in the browser; a format the browser cannot decode is refused by name", async ({ studio, page, request }) => {
  await studio.open();
  const prompt = `AVIF frame ${Date.now()}`;
  await studio.prompt().fill(prompt);
  await page.getByLabel("First frame", { exact: true }).setInputFiles({ name: "photo.heic", mimeType: "image/heic", buffer: Buffer.from("not an image this browser decodes") });
  await expect(page.getByText("image/heic is not accepted: use a JPEG, PNG, WebP, BMP, TIFF or GIF image.")).toBeVisible();
  await page.getByLabel("First frame", { exact: true }).setInputFiles(fixture("frame.avif"));
  await expect(page.getByText(/^Converted from AVIF to JPEG: 800×600, \d+ KB\.$/)).toBeVisible();
  await expect(page.getByRole("img", { name: "First frame preview" })).toHaveAttribute("src", /^data:image\/jpeg;base64,/);
  await page.getByText("480p", { exact: true }).click();
  await studio.generate().click();
  const id = await idFromCard(studio.card(prompt));
  const generation = await (await request.get(`/api/generations/${id}`)).json();
  expect(generation.request.firstFrame).toMatch(/^\/api\/media\/inputs\/[0-9a-f]{64}\.jpg$/);
});

test("a first frame pasted from the clipboard, then swapped with the last frame and removed", async ({ studio, page }) => {
  await studio.open();
  await studio.pickModel("Seedance 1.0 Pro");
  const bytes = (await import("node:fs")).readFileSync(fixture("first-frame.png")).toString("base64");
  // A paste on the tile (its file input holds the focus) lands in that frame.
  await page.getByLabel("First frame", { exact: true }).focus();
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

/** A grainy test card as a camera would write it, `width`×`height`: megabytes of detail. */
function photo(width: number, height: number, { format = "jpg", grain = 20 }: { format?: "jpg" | "png"; grain?: number } = {}): Buffer {
  const ffmpeg = (createRequire(import.meta.url)("@ffmpeg-installer/ffmpeg") as { path: string }).path;
  const file = path.join(os.tmpdir(), `seedance-photo-${width}x${height}-${grain}-${process.pid}.${format}`);
  execFileSync(ffmpeg, ["-loglevel", "error", "-y", "-f", "lavfi", "-i", `testsrc2=s=${width}x${height}`, "-vf", `noise=alls=${grain}:allf=t`, "-frames:v", "1", "-q:v", "2", file]);
  return fs.readFileSync(file);
}

test("camera-sized photos as both frames: sent whole when they fit, shrunk when they do not, and the clip is made", async ({ studio, page, request }) => {
  const fits = photo(2400, 1600);
  const large = photo(4000, 3000);
  // Far past a server action's default 1 MB body: the form must still get both to the server.
  expect(fits.length).toBeGreaterThan(2 * 1024 * 1024);
  expect(large.length).toBeGreaterThan(3 * 1024 * 1024);
  await studio.open();
  await studio.pickModel("Seedance 1.0 Pro");
  const prompt = `Two photos, one large ${Date.now()}`;
  await studio.prompt().fill(prompt);
  await page.getByLabel("First frame", { exact: true }).setInputFiles({ name: "fits.jpg", mimeType: "image/jpeg", buffer: fits });
  await expect(page.getByRole("img", { name: "First frame preview" })).toBeVisible();
  await page.getByLabel("Last frame", { exact: true }).setInputFiles({ name: "large.jpg", mimeType: "image/jpeg", buffer: large });
  await expect(page.getByRole("img", { name: "Last frame preview" })).toBeVisible();
  await page.getByText("480p", { exact: true }).click();
  await studio.generate().click();

  const id = await idFromCard(studio.card(prompt));
  const generation = await (await request.get(`/api/generations/${id}`)).json();
  expect(generation.status).toBe("succeeded");
  const stored = async (ref: string) => (await request.get(ref)).body();
  // The photo that fits arrives byte for byte; the large one as a smaller JPEG within the contract.
  expect((await stored(generation.request.firstFrame)).equals(fits)).toBe(true);
  const shrunk = await stored(generation.request.lastFrame);
  expect(shrunk.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  expect(shrunk.length).toBeLessThanOrEqual(3 * 1024 * 1024);
});

test("a photo too detailed to fit 3 MB at full quality is compressed further until it fits", async ({ studio, page }) => {
  await studio.open();
  await page.getByLabel("First frame", { exact: true }).setInputFiles({ name: "grain.jpg", mimeType: "image/jpeg", buffer: photo(4000, 3000, { grain: 100 }) });
  const note = page.getByText(/^Resized from 4000×3000 and compressed to \d+ KB\.$/);
  await expect(note).toBeVisible();
  const kb = Number(/(\d+) KB/.exec((await note.textContent())!)![1]);
  expect(kb).toBeLessThanOrEqual(3 * 1024);
  expect(kb).toBeGreaterThan(1024);
});

test("a photo past the API's 30 MB is shrunk in the browser and used; past 100 MB it is refused with the limit", async ({ studio, page }) => {
  const huge = photo(4800, 3200, { format: "png", grain: 100 });
  expect(huge.length).toBeGreaterThan(30 * 1024 * 1024);
  await studio.open();
  await page.getByLabel("First frame", { exact: true }).setInputFiles({ name: "export.png", mimeType: "image/png", buffer: huge });
  const note = page.getByText(/^Resized from 4800×3200 and compressed to \d+ KB\.$/);
  await expect(note).toBeVisible();
  expect(Number(/(\d+) KB/.exec((await note.textContent())!)![1])).toBeLessThanOrEqual(3 * 1024);
  await expect(page.getByRole("img", { name: "First frame preview" })).toHaveAttribute("src", /^data:image\/jpeg;base64,/);

  // Playwright passes buffers up to 50 MB; a sparse file of the size does for the byte check.
  const tooBig = path.join(os.tmpdir(), `seedance-too-big-${process.pid}.png`);
  fs.writeFileSync(tooBig, "");
  fs.truncateSync(tooBig, 101 * 1024 * 1024);
  await page.getByLabel("Last frame", { exact: true }).setInputFiles(tooBig);
  await expect(page.getByText("The image is 101.0 MB: the limit is 100 MB.")).toBeVisible();
});

test("a phone photo turned by its EXIF tag reaches the server upright", async ({ studio, page, request }) => {
  const ffmpeg = (createRequire(import.meta.url)("@ffmpeg-installer/ffmpeg") as { path: string }).path;
  // Stored landscape, red left and blue right; the tag (6) says: turn a quarter clockwise to show it.
  const stored = execFileSync(ffmpeg, ["-loglevel", "error", "-f", "lavfi", "-i", "color=c=red:s=400x600[a];color=c=blue:s=400x600[b];[a][b]hstack", "-frames:v", "1", "-f", "mjpeg", "-"]);
  const photo = withExifOrientation(stored, 6);
  await studio.open();
  const prompt = `Upright photo ${Date.now()}`;
  await studio.prompt().fill(prompt);
  await page.getByLabel("First frame", { exact: true }).setInputFiles({ name: "portrait.jpg", mimeType: "image/jpeg", buffer: photo });
  await expect(page.getByText(/^600×800, \d+ KB$/)).toBeVisible();
  await page.getByText("480p", { exact: true }).click();
  await studio.generate().click();
  const id = await idFromCard(studio.card(prompt));
  const generation = await (await request.get(`/api/generations/${id}`)).json();
  const sent = await (await request.get(generation.request.firstFrame)).body();
  expect(jpegOrientation(sent)).toBe(1);
  // Upright pixels: 600×800, red on top, blue below.
  const rgb = (y: number) => [...execFileSync(ffmpeg, ["-loglevel", "error", "-i", "-", "-vf", `format=rgb24,crop=1:1:300:${y}`, "-f", "rawvideo", "-"], { input: sent })];
  const size = execFileSync(ffmpeg, ["-loglevel", "error", "-i", "-", "-vf", "scale=iw:ih,format=gray", "-f", "rawvideo", "-"], { input: sent }).length;
  expect(size).toBe(600 * 800);
  const [top, bottom] = [rgb(100), rgb(700)];
  expect(top[0]).toBeGreaterThan(200);
  expect(top[2]).toBeLessThan(60);
  expect(bottom[2]).toBeGreaterThan(200);
  expect(bottom[0]).toBeLessThan(60);
});

test("an API create whose image makes the body larger than 10 MB arrives whole", async ({ request }) => {
  const png = photo(2400, 1600, { format: "png", grain: 100 });
  const url = `data:image/png;base64,${png.toString("base64")}`;
  // Past the 10 MB of a body Next copies for the proxy (and cuts there), within the route's 45 MB.
  expect(url.length).toBeGreaterThan(10 * 1024 * 1024);
  const created = await request.post("/api/generations", {
    data: {
      model: "doubao-seedance-1-0-pro-250528",
      content: [{ type: "text", text: `A large frame ${Date.now()}` }, { type: "image_url", image_url: { url }, role: "first_frame" }],
      resolution: "480p",
      duration: 2,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const generation = await created.json();
  // Sent whole to the (embedded) upstream too, which accepted it.
  expect(generation.status).toBe("submitted");
  const upstream = await upstreamRequestOf(request, generation.id);
  expect(upstream.content[1]).toMatchObject({ type: "image_url", role: "first_frame" });
  expect((await (await request.get(generation.request.firstFrame)).body()).equals(png)).toBe(true);
});

test("a portrait first frame gives a portrait clip: the ratio turns adaptive and says so, and the slot shows the frame uncropped", async ({ studio, page, request }) => {
  await studio.open();
  await studio.pickModel("Seedance 1.0 Pro Fast");
  const prompt = `A lighthouse keeper climbs the stairs ${Date.now()}`;
  await studio.prompt().fill(prompt);
  await page.getByText("480p", { exact: true }).click();
  await page.getByText("16:9", { exact: true }).click();
  await page.getByLabel("First frame", { exact: true }).setInputFiles({ name: "portrait.jpg", mimeType: "image/jpeg", buffer: photo(1080, 1920, { grain: 5 }) });
  const preview = page.getByRole("img", { name: "First frame preview" });
  await expect(preview).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Aspect ratio set to adaptive" })).toBeVisible();
  await expect(page.getByLabel("adaptive", { exact: true })).toBeChecked();
  // Drawn whole: the preview is as tall as the slot and narrower than it, in the frame's shape.
  const box = (await preview.boundingBox())!;
  expect(box.height / box.width).toBeCloseTo(1920 / 1080, 1);

  // Choosing a fixed ratio again outlines what that ratio would keep.
  await page.getByText("16:9", { exact: true }).click();
  const crop = page.getByRole("img", { name: "The part of the frame the clip keeps at this aspect ratio" });
  const cropBox = (await crop.boundingBox())!;
  expect(cropBox.width / cropBox.height).toBeCloseTo(864 / 480, 1);
  await page.getByText("adaptive", { exact: true }).click();
  await expect(crop).toHaveCount(0);

  await studio.generate().click();
  const id = await idFromCard(studio.card(prompt));
  const generation = await (await request.get(`/api/generations/${id}`)).json();
  expect(generation.status).toBe("succeeded");
  expect(generation.height).toBeGreaterThan(generation.width);
  expect([generation.width, generation.height]).toEqual([480, 864]);
});
