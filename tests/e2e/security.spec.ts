// Runs against a server with STUDIO_PASSWORD set: npx playwright test -c playwright.security.config.ts
import type { ConsoleMessage, Page } from "@playwright/test";
import { BODY, expect, test } from "./fixtures";
import { SECURITY_PASSWORD, SECURITY_RATE_PER_MINUTE } from "../../playwright.security.config";


async function signIn(page: Page, next = "/") {
  await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel("Password").fill(SECURITY_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Every CSP violation the page reports, from the console and the securitypolicyviolation event. */
function watchCsp(page: Page) {
  const violations: string[] = [];
  page.on("console", (message: ConsoleMessage) => {
    if (/Content Security Policy|Refused to (load|execute|apply|connect)/i.test(message.text())) violations.push(message.text());
  });
  void page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return violations;
}

test.describe.serial("with STUDIO_PASSWORD set", () => {
  let sharedUrl = "";

  test("pages redirect to sign-in and APIs answer 401 without a session; public routes stay public", async ({ page, request }) => {
    const response = await page.goto("/?q=fox");
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    expect(new URL(page.url()).searchParams.get("next")).toBe("/?q=fox");
    expect(response?.status()).toBe(200);
    await expect(page.getByLabel("Password")).toBeVisible();

    for (const [method, path] of [
      ["GET", "/api/generations"],
      ["POST", "/api/generations"],
      ["GET", "/api/generations/g_nothing"],
      ["DELETE", "/api/generations/g_nothing"],
      ["GET", "/api/generations/events"],
      ["GET", "/api/media/clips/g_x/video.mp4"],
    ] as const) {
      const answer = await request.fetch(path, { method, data: method === "POST" ? BODY("no session") : undefined, maxRedirects: 0 });
      expect(answer.status(), `${method} ${path}`).toBe(401);
      expect((await answer.json()).error.kind).toBe("unauthorized");
      expect(answer.headers()["www-authenticate"], `${method} ${path}`).toBe('Cookie realm="studio"');
    }
    // A forged cookie is no session either.
    const forged = await request.get("/api/generations", { headers: { cookie: "studio_session=eyJzaWQiOiJ4IiwiaWF0IjowLCJleHAiOjk5OTk5OTk5OTl9.AAAA" } });
    expect(forged.status()).toBe(401);

    expect((await request.get("/api/health")).status()).toBe(200);
    // The sign-in page's tab icon is not behind the sign-in.
    const icon = await request.get("/icon.svg", { maxRedirects: 0 });
    expect(icon.status()).toBe(200);
    expect(icon.headers()["content-type"]).toContain("image/svg+xml");
    // The simulator has its own bearer token, the callback its own signature: neither is a 401 from the gate.
    expect((await request.post("/api/simulator/seedance/tasks", { data: {} })).status()).not.toBe(200);
    const callback = await request.post("/api/callbacks/seedance/g_nothing?sig=bad", { data: {} });
    expect(callback.status()).toBe(401);
    expect((await callback.json()).error).toMatchObject({ code: "callback_signature_invalid", message: expect.stringMatching(/signature/i) });
    expect((await request.get("/v/unknown-share-id-000000", { maxRedirects: 0 })).status()).toBe(404);
    expect((await request.get("/api/shares/unknown/0/video.mp4")).status()).toBe(404);
  });

  test("security headers are on pages and APIs", async ({ request }) => {
    // `/api/generations` and the simulator set these themselves (the proxy skips them).
    for (const path of ["/sign-in", "/api/health", "/api/generations", "/api/simulator/seedance/videos/t_unknown", "/"]) {
      const answer = await request.get(path, { maxRedirects: 0 });
      const headers = answer.headers();
      expect(headers["content-security-policy"], path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
      expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
      expect(headers["x-content-type-options"]).toBe("nosniff");
      expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
      expect(headers["x-frame-options"]).toBe("DENY");
      expect(headers["permissions-policy"]).toContain("camera=()");
    }
    // Two requests, two nonces.
    const a = (await request.get("/sign-in")).headers()["content-security-policy"];
    const b = (await request.get("/sign-in")).headers()["content-security-policy"];
    expect(a).not.toBe(b);
  });

  test("a wrong password is refused with a clear message", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    // This server trusts no proxy, so a browser that never signed in here has no count of its own.
    await expect(page.locator("#sign-in-error")).toHaveText("Wrong password.");
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    expect((await page.context().cookies()).find((c) => c.name === "studio_session")).toBeUndefined();
  });

  test("the right password opens the studio, which generates a clip under the CSP", async ({ page, studio }) => {
    const violations = watchCsp(page);
    await signIn(page, "/");
    await expect(studio.generate()).toBeVisible();
    const cookie = (await page.context().cookies()).find((c) => c.name === "studio_session");
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe("Lax");
    expect(cookie?.expires).toBeGreaterThan(Date.now() / 1000 + 3600);

    const prompt = `A lighthouse behind a password ${Date.now()}`;
    await studio.prompt().fill(prompt);
    await page.getByText("480p", { exact: true }).click();
    await studio.generate().click();
    const card = studio.card(prompt);
    await expect(card.getByRole("status")).toHaveAccessibleName(/Ready/, { timeout: 60_000 });
    const time = await card.locator("video").evaluate(async (el: HTMLVideoElement) => {
      el.muted = true;
      await el.play();
      await new Promise((r) => setTimeout(r, 500));
      return el.currentTime;
    });
    expect(time).toBeGreaterThan(0);

    await card.getByRole("button", { name: "Share", exact: true }).click();
    await card.getByRole("button", { name: "Create share link" }).click();
    sharedUrl = await card.getByLabel("Share link").inputValue();
    expect(sharedUrl).toMatch(/\/v\/[A-Za-z0-9_-]{22}$/);
    expect(violations).toEqual([]);
  });

  test("a share link plays in a fresh context without cookies", async ({ browser }) => {
    expect(sharedUrl).not.toBe("");
    const fresh = await browser.newContext();
    const visitor = await fresh.newPage();
    const violations = watchCsp(visitor);
    const response = await visitor.goto(sharedUrl);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toContain("'strict-dynamic'");
    const video = visitor.locator("video");
    await expect(video).toBeVisible();
    const time = await video.evaluate(async (el: HTMLVideoElement) => {
      el.muted = true;
      await el.play();
      await new Promise((r) => setTimeout(r, 500));
      return el.currentTime;
    });
    expect(time).toBeGreaterThan(0);
    // Its media: a fixed type, nosniff, the same headers as everything else.
    const media = await fresh.request.get((await video.getAttribute("src"))!);
    expect(media.status()).toBe(200);
    expect(media.headers()["content-type"]).toBe("video/mp4");
    expect(media.headers()["x-content-type-options"]).toBe("nosniff");
    expect(media.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    // The studio itself stays closed to this visitor.
    await visitor.goto("/");
    expect(new URL(visitor.url()).pathname).toBe("/sign-in");
    expect(violations).toEqual([]);
    await fresh.close();
  });

  test("creating clips is rate limited with Retry-After, and the form says so", async ({ page, studio }) => {
    await signIn(page, "/");
    await expect(studio.generate()).toBeVisible();
    // The browser's cookie makes API calls part of this session.
    let answer = await page.request.post("/api/generations", { data: BODY(`Rate ${Date.now()} 0`) });
    for (let i = 1; i < SECURITY_RATE_PER_MINUTE + 2 && answer.status() !== 429; i++) {
      expect([200, 201]).toContain(answer.status());
      answer = await page.request.post("/api/generations", { data: BODY(`Rate ${Date.now()} ${i}`) });
    }
    expect(answer.status()).toBe(429);
    expect(Number(answer.headers()["retry-after"])).toBeGreaterThan(0);
    expect((await answer.json()).error.message).toMatch(/Too many new clips/);

    await studio.prompt().fill(`One too many ${Date.now()}`);
    await studio.generate().click();
    await expect(page.getByRole("alert").filter({ hasText: /Too many new clips/ })).toContainText(/Try again in \d+ s/);
  });

  test("a batch stopped part-way by the rate limit says how many started, counts down, and sends the rest", async ({ page, studio }) => {
    test.setTimeout(180_000);
    await signIn(page, "/");
    await expect(studio.generate()).toBeVisible();
    // Spend this address's clips for the minute through the API, as another tab would.
    let answer = await page.request.post("/api/generations", { data: BODY(`Spent ${Date.now()}`) });
    for (let i = 0; i < SECURITY_RATE_PER_MINUTE + 2 && answer.status() !== 429; i++) {
      answer = await page.request.post("/api/generations", { data: BODY(`Spent ${Date.now()} ${i}`) });
    }
    expect(answer.status()).toBe(429);

    const prompt = `A batch against the limit ${Date.now()}`;
    await studio.prompt().fill(prompt);
    await page.getByLabel("Variations").selectOption("4");
    await studio.generate().click();
    // Nothing may start yet: the line beside Generate says so and counts down, in view.
    const line = page.getByText(/\d of 4 started/);
    await expect(line).toBeInViewport();
    // As the limit lets clips through one by one, the batch goes on: part-way, it says how many
    // started and that the rest are coming, and the gallery holds exactly that many.
    await expect(line).toHaveText(/^1 of 4 started; the other 3 in \d+ s/, { timeout: 60_000 });
    const cards = page.getByRole("list", { name: "Clips" }).getByRole("article", { name: new RegExp(prompt) });
    await expect(cards).toHaveCount(1);
    // The batch never silently stops short: all four are made in the end.
    await expect(cards).toHaveCount(4, { timeout: 150_000 });
  });

  test("a server action without a session is refused, and sign-out ends the session", async ({ page, studio, browser }) => {
    await signIn(page, "/");
    await expect(studio.generate()).toBeVisible();
    await page.context().clearCookies();
    await studio.prompt().fill(`Signed out meanwhile ${Date.now()}`);
    await studio.generate().click();
    await expect(page.getByRole("alert").filter({ hasText: /signed out/i })).toBeVisible();

    await signIn(page, "/");
    await expect(studio.generate()).toBeVisible();
    const cookie = (await page.context().cookies()).find((c) => c.name === "studio_session")!;
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    expect((await page.request.get("/api/generations")).status()).toBe(401);
    // A copy of the cookie taken before signing out opens nothing either: the session is over on the server.
    const copied = await browser.newContext();
    await copied.addCookies([{ name: cookie.name, value: cookie.value, domain: cookie.domain, path: cookie.path }]);
    expect((await copied.request.get("/api/generations")).status()).toBe(401);
    const copiedPage = await copied.newPage();
    await copiedPage.goto("/");
    expect(new URL(copiedPage.url()).pathname).toBe("/sign-in");
    await copied.close();
  });

  test("sign out everywhere ends the sessions of other browsers", async ({ page, studio, browser }) => {
    const phone = await browser.newContext();
    const phonePage = await phone.newPage();
    await signIn(phonePage, "/");
    await expect(phonePage.getByRole("button", { name: "Generate" })).toBeVisible();
    expect((await phone.request.get("/api/generations")).status()).toBe(200);

    await signIn(page, "/");
    await expect(studio.generate()).toBeVisible();
    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    expect((await phone.request.get("/api/generations")).status()).toBe(401);
    await phonePage.reload();
    expect(new URL(phonePage.url()).pathname).toBe("/sign-in");
    await phone.close();
  });

  test("a personal API key made in the studio is shown once, opens the JSON API to a script, and stops when revoked", async ({ page, studio, playwright, baseURL }) => {
    await signIn(page, "/");
    await expect(studio.generate()).toBeVisible();
    await page.getByRole("link", { name: "API keys" }).click();
    await expect(page).toHaveURL(/\/keys$/);
    const name = `e2e script ${Date.now()}`;
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByRole("button", { name: "Create key" }).click();
    const secret = await page.getByLabel(`New key “${name}”`).inputValue();
    expect(secret).toMatch(/^sk_studio_[A-Za-z0-9_-]{43}$/);
    await expect(page.getByText("it is shown only this once")).toBeVisible();

    // Shown once: after a reload the list names the key, and the key itself is nowhere on the page.
    await page.reload();
    await expect(page.getByRole("listitem").filter({ hasText: name })).toBeVisible();
    expect(await page.content()).not.toContain(secret);

    // A script with no cookie, only the key.
    const script = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
    const created = await script.post("/api/generations", { data: BODY(`Made by a script ${Date.now()}`) });
    expect(created.status()).toBe(201);
    const listed = await script.get("/api/generations?limit=1");
    expect(listed.status()).toBe(200);
    expect((await listed.json()).items[0].id).toBe((await created.json()).id);

    await page.getByRole("button", { name: `Revoke key “${name}”` }).click();
    await expect(page.getByRole("listitem").filter({ hasText: name })).toHaveCount(0);
    expect((await script.get("/api/generations?limit=1")).status()).toBe(401);
    await script.dispose();
  });

  test("five wrong passwords lock a browser that signed in before out for 15 minutes", async ({ page, studio }) => {
    // Without a trusted proxy the address is unknown; the browser is known by its earlier sign-in.
    await signIn(page, "/");
    await expect(studio.generate()).toBeVisible();
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    for (let i = 0; i < 5; i++) {
      await page.getByLabel("Password").fill(`wrong ${i}`);
      await page.getByRole("button", { name: "Sign in" }).click();
      // Wait for this answer (each names what is left) before typing again: the form resets after each try.
      const left = 4 - i;
      await expect(page.locator("#sign-in-error")).toContainText(
        left > 0 ? `Wrong password. ${left} ${left === 1 ? "attempt" : "attempts"} left` : "Too many wrong passwords from this browser. Try again in 15 min.",
      );
    }
    // Even the right password waits now.
    await page.getByLabel("Password").fill(SECURITY_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("#sign-in-error")).toContainText(/Try again in 15 min/);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
  });
});
