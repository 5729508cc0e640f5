import { expect, test } from "@playwright/test";
import { pickModel } from "./fixtures";

test.use({ locale: "ko-KR" });

test("the studio walk in Korean: chosen from the browser, with a switch that persists", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "ko");
  const prompt = page.getByLabel("프롬프트", { exact: true });
  await expect(prompt).toBeVisible();
  await expect(page.locator("#model")).toHaveAccessibleName(/^모델 Seedance 2.0$/);
  await expect(page.getByText("해상도", { exact: true })).toBeVisible();
  // Hangul is drawn with the self-hosted Noto Sans KR (this machine has no Korean system font).
  await expect
    .poll(() => page.evaluate(async () => (await document.fonts.ready, [...document.fonts].some((f) => f.family.replace(/"/g, "") === "Noto Sans KR" && f.status === "loaded"))))
    .toBe(true);

  // A validation message from the contract, in Korean.
  await page.getByRole("button", { name: "생성" }).click();
  await expect(page.getByText("프롬프트를 쓰세요: 이미지가 있든 없든 모든 요청에 필요합니다.")).toBeVisible();
  await pickModel(page, "Seedance 1.0 Lite (image)");
  await prompt.fill("눈 덮인 숲 위로 천천히 움직이는 드론 샷");
  await page.getByRole("button", { name: "생성" }).click();
  await expect(page.getByText("Seedance 1.0 Lite (image)에는 첫 프레임이 필요합니다: 이미지를 추가하거나 텍스트 모델을 고르세요.")).toBeVisible();

  // Generate, and the card moves through Korean states.
  await pickModel(page, "Seedance 1.0 Pro Fast");
  await page.getByText("480p", { exact: true }).click();
  await page.getByRole("button", { name: "생성" }).click();
  const card = page.getByRole("article", { name: /클립: 눈 덮인 숲 위로 천천히/ });
  await expect(card.getByRole("status")).toHaveAccessibleName("상태: 완료", { timeout: 60_000 });
  await expect(card.getByRole("button", { name: "리믹스" })).toBeVisible();
  // Numbers in the Korean style (compact tokens: 만).
  await expect(card).toContainText(/만 토큰 사용/);
  await page.screenshot({ path: "tests/artifacts/korean.png", fullPage: true });

  // Switch to English: it sticks across a reload.
  await page.getByLabel("언어").selectOption("en");
  await expect(page.getByLabel("Prompt", { exact: true })).toBeVisible();
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("button", { name: "Generate" })).toBeVisible();
  // One Korean font stylesheet for both languages (Hangul prompts show in the English interface
  // too, tests/e2e/korean-fonts.spec.ts): the same cached file.
  await expect(page.locator('link[rel="stylesheet"][href^="/fonts/noto-sans-kr/"]')).toHaveCount(1);
});

test("an image the server refuses is explained in Korean: the server's check, rendered from its code", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "ko");
  await page.getByLabel("프롬프트", { exact: true }).fill("서버가 거절할 작은 이미지");
  await pickModel(page, "Seedance 1.0 Pro Fast");
  // A data: URL is checked in the browser only for its type and size; its pixels are the server's check.
  const tiny = await page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = 200;
    canvas.height = 200;
    canvas.getContext("2d")!.fillRect(0, 0, 200, 200);
    return canvas.toDataURL("image/png");
  });
  // Pro Fast takes a first frame only, so the link needs no destination.
  await page.getByRole("button", { name: "추가", exact: true }).click();
  await page.getByRole("menuitem", { name: "링크로 추가…" }).click();
  await page.getByLabel("참조 링크 (https)", { exact: true }).fill(tiny);
  await page.getByRole("button", { name: "링크 추가" }).click();
  await expect(page.getByRole("img", { name: "첫 프레임 미리보기" })).toBeVisible();
  const created = page.waitForResponse((response) => response.request().method() === "POST" && response.url().endsWith("/"));
  await page.getByRole("button", { name: "생성" }).click();
  await created;
  // On the field and in the form's summary, both from the server's code.
  await expect(page.getByRole("alert").filter({ hasText: "이미지가 200×200입니다: 각 변이 300px 이상이어야 합니다." })).toHaveCount(2);
  await expect(page.getByText(/each side must be/)).toHaveCount(0);
});
