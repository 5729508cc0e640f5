import { test as base, expect, type APIRequestContext, type Page } from "@playwright/test";

/** The simulator's token on the e2e server (playwright.config.ts `webServer.env`). */
/** A small, fast clip's JSON API body (the simulator renders it in about a second). */
export const BODY = (prompt: string, extra: Record<string, unknown> = {}) => ({
  model: "doubao-seedance-1-0-pro-fast-251015",
  content: [{ type: "text", text: prompt }],
  resolution: "480p",
  duration: 2,
  ...extra,
});

export const SIMULATOR_TOKEN = "e2e-simulator-token";

/** The request the simulator (our upstream) received for a generation. */
export async function upstreamRequestOf(request: APIRequestContext, generationId: string) {
  const generation = await (await request.get(`/api/generations/${generationId}`)).json();
  const response = await request.post("/api/simulator/seedance/tasks", {
    headers: { authorization: `Bearer ${SIMULATOR_TOKEN}` },
    data: { id: generation.upstreamTaskId, action: "retrieve" },
  });
  expect(response.ok()).toBeTruthy();
  return (await response.json()).request as {
    model: string;
    content: { type: string; text?: string; image_url?: { url: string }; role?: string }[];
    [key: string]: unknown;
  };
}

/** React has claimed the server's HTML: the form's prompt and the gallery carry fibers. */
export async function hydrated(page: Page) {
  await page.waitForFunction(() =>
    ["#prompt", "section[aria-label='Gallery']"].every((selector) => {
      const node = document.querySelector(selector);
      return node !== null && Object.keys(node).some((key) => key.startsWith("__reactFiber"));
    }),
  );
}

export class StudioPage {
  constructor(readonly page: Page) {}
  /** The studio, hydrated: a click React has not claimed yet (a checkbox's) would be undone by it. */
  async open() {
    await this.page.goto("/");
    await expect(this.page.getByRole("button", { name: "Generate" })).toBeVisible();
    await hydrated(this.page);
  }
  prompt() {
    return this.page.getByLabel("Prompt", { exact: true });
  }
  model() {
    return this.page.getByLabel("Model", { exact: true });
  }
  generate() {
    return this.page.getByRole("button", { name: "Generate" });
  }
  card(text: string) {
    return this.page.getByRole("article", { name: new RegExp(`Clip: ${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`) });
  }
}

export const test = base.extend<{ studio: StudioPage }>({
  studio: async ({ page }, use) => {
    await use(new StudioPage(page));
  },
});

export { expect };
