import { expect, test } from "@playwright/test";

test("media and share routes refuse traversal and unknown ids, and fix their content types", async ({ request }) => {
  const created = await request.post("/api/generations", {
    data: { model: "doubao-seedance-1-0-pro-fast-251015", content: [{ type: "text", text: `Media route ${Date.now()}` }], resolution: "480p", duration: 2 },
  });
  const { id } = await created.json();
  await expect
    .poll(async () => (await (await request.get(`/api/generations/${id}`)).json()).status, { timeout: 60_000 })
    .toBe("succeeded");

  const video = await request.get(`/api/media/clips/${id}/video.mp4`);
  expect(video.status()).toBe(200);
  expect(video.headers()["content-type"]).toBe("video/mp4");
  expect(video.headers()["x-content-type-options"]).toBe("nosniff");

  for (const path of [
    `/api/media/clips/${id}/..%2f..%2f..%2fpglite%2fPG_VERSION`,
    "/api/media/clips/..%2F..%2Fetc/passwd",
    "/api/media/inputs/..%2f..%2fsimulator",
    `/api/media/clips/${id}/notes.txt`,
    "/api/media/clips/g_unknown/video.mp4",
    "/api/media/other/file.mp4",
    "/api/shares/AAAAAAAAAAAAAAAAAAAAAA/0/video.mp4",
    "/api/shares/..%2f..%2f/0/video.mp4",
    "/v/AAAAAAAAAAAAAAAAAAAAAA",
    "/g/not-a-share",
  ]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(404);
  }
});
