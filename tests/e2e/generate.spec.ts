import { expect, test, upstreamRequestOf } from "./fixtures";

test("a prompt becomes a playable clip through the simulator", async ({ studio, page, request }) => {
  await studio.open();
  const prompt = `A paper boat drifting down a rain gutter ${Date.now()}`;
  await studio.prompt().fill(prompt);
  await studio.pickModel("Seedance 1.0 Pro Fast");
  await page.getByText("480p", { exact: true }).click();
  await studio.generate().click();

  const card = studio.card(prompt);
  await expect(card).toBeVisible();
  await expect(card.getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });

  const video = card.locator("video");
  await expect(video).toHaveAttribute("src", /\/api\/media\/clips\/.+\/video\.mp4$/);
  // The browser really decodes it: metadata loads and it plays forward.
  const played = await video.evaluate(async (el: HTMLVideoElement) => {
    el.muted = true;
    await el.play();
    await new Promise((r) => setTimeout(r, 600));
    return { duration: el.duration, currentTime: el.currentTime, width: el.videoWidth, height: el.videoHeight };
  });
  expect(played.duration).toBeGreaterThan(4.5);
  expect(played.currentTime).toBeGreaterThan(0);
  expect([played.width, played.height]).toEqual([864, 480]);
  await page.screenshot({ path: "tests/artifacts/generate-ready.png", fullPage: true });

  // Cost: the estimate beside Generate follows the formula (864 × 480 × 121 / 1024 ≈ 49K), and
  // the tokens the upstream reported count into today's total.
  await expect(page.getByText("≈ 49K tokens")).toBeVisible();
  await expect(card).toContainText(/49K tokens used/);
  await expect(page.getByRole("note", { name: "Tokens used" })).not.toContainText("Today 0 tokens");

  // What reached the upstream: top-level fields, asynchronous, our signed callback, no inline flags.
  const id = (await card.locator("video").getAttribute("src"))!.split("/")[4]!;
  const upstream = await upstreamRequestOf(request, id);
  expect(upstream.model).toBe("doubao-seedance-1-0-pro-fast-251015");
  expect(upstream.content).toEqual([{ type: "text", text: prompt }]);
  expect(upstream.resolution).toBe("480p");
  expect(upstream.async).toBe(true);
  expect(String(upstream.callback_url)).toMatch(new RegExp(`/api/callbacks/seedance/${id}\\?sig=`));
});
