import type { Page } from "@playwright/test";
import { expect, hydrated, test, upstreamRequestOf } from "./fixtures";

/** The form's draft as IndexedDB holds it (idb-keyval's default store, components/composer/form-draft.ts), or null. */
function storedDraft(page: Page): Promise<{ values: Record<string, unknown>; parentId?: string } | null> {
  return page.evaluate(async () => {
    // Opening a database that does not exist would create it empty, without idb-keyval's store.
    if (!(await indexedDB.databases()).some((db) => db.name === "keyval-store")) return null;
    return new Promise((resolve, reject) => {
      const open = indexedDB.open("keyval-store");
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains("keyval")) return db.close(), resolve(null);
        const read = db.transaction("keyval").objectStore("keyval").get("seedance-studio:form-draft:v1");
        read.onsuccess = () => (db.close(), resolve(read.result ?? null));
        read.onerror = () => (db.close(), reject(read.error));
      };
    });
  });
}

/** The localStorage flag a page reads at load to decide whether to look for a draft at all (draft-hint.ts). */
const draftHint = (page: Page) => page.evaluate(() => localStorage.getItem("seedance-studio:form-draft"));


/** Past the form's save delay (DRAFT_SAVE_DELAY_MS, 500 ms), on the page's installed clock. */
const SAVE_DELAY_PASSED_MS = 1000;

test("switching models disables what the model cannot do and keeps valid values", async ({ studio, page }) => {
  await studio.open();
  await studio.prompt().fill("A lighthouse in a storm");
  await studio.advanced();
  await page.getByLabel("Seed", { exact: true }).fill("1234");

  await studio.pickModel("Seedance 1.0 Lite (text)");
  await expect(page.getByLabel("First frame", { exact: true })).toBeDisabled();
  await expect(page.getByText("Seedance 1.0 Lite (text) takes text only.")).toBeVisible();
  await expect(page.getByLabel("1080p")).toBeDisabled();
  await expect(page.getByLabel("Audio", { exact: true })).toBeDisabled();
  await expect(page.getByText("Sound comes from Seedance 1.5 Pro and the 2.x models")).toBeVisible();
  await expect(page.getByLabel("adaptive")).toBeDisabled();

  await studio.pickModel("Seedance 1.5 Pro");
  await expect(page.getByLabel("Audio", { exact: true })).toBeEnabled();
  await expect(page.getByLabel("adaptive")).toBeEnabled();
  await expect(page.getByRole("radio", { name: "Exact frames" })).toBeDisabled();
  await expect(page.getByLabel("Last frame", { exact: true })).toBeEnabled();

  await studio.pickModel("Seedance 1.0 Pro Fast");
  await expect(page.getByLabel("Last frame", { exact: true })).toBeDisabled();
  await expect(page.getByLabel("Audio", { exact: true })).toBeDisabled();
  // Values still valid for the new model survive the switches.
  await expect(studio.prompt()).toHaveValue("A lighthouse in a storm");
  await expect(page.getByLabel("Seed", { exact: true })).toHaveValue("1234");
});

test("the studio starts on Seedance 2.0 at 720p with sound, lists the newest models first, and a switch says what it changed", async ({ studio, page }) => {
  await studio.open();
  await expect(studio.model()).toHaveAccessibleName("Model Seedance 2.0");
  await expect(page.getByLabel("720p")).toBeChecked();
  await expect(page.getByLabel("Audio", { exact: true })).toBeChecked();
  // The cards, newest first, each with what it can do and what these settings cost on it.
  await studio.model().click();
  const cards = page.getByRole("dialog", { name: "Choose a model" }).getByRole("radio");
  const menu = await cards.evaluateAll((radios) => radios.map((radio) => radio.getAttribute("aria-label")));
  expect(menu.slice(0, 5)).toEqual(["Seedance 2.5", "Seedance 2.0", "Seedance 2.0 Fast", "Seedance 2.0 Mini", "Seedance 1.5 Pro"]);
  await expect(cards.filter({ hasText: "Seedance 2.0 Mini" })).toContainText("Cheapest");
  await expect(cards.filter({ hasText: "Seedance 2.5" })).toContainText("30 s");
  await expect(page.getByRole("radio", { name: "Seedance 2.0", exact: true })).toHaveAttribute("aria-checked", "true");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog", { name: "Choose a model" })).toBeHidden();

  await page.getByText("1080p", { exact: true }).click();
  await studio.pickModel("Seedance 2.0 Fast");
  await expect(page.getByRole("status").filter({ hasText: "On Seedance 2.0 Fast: 1080p → 720p." })).toBeVisible();
  await expect(page.getByLabel("720p")).toBeChecked();
  await studio.pickModel("Seedance 1.0 Pro Fast");
  await expect(page.getByRole("status").filter({ hasText: "On Seedance 1.0 Pro Fast: sound off." })).toBeVisible();
  await studio.pickModel("Seedance 2.0");
  await expect(page.getByRole("status").filter({ hasText: "On Seedance 2.0: sound on." })).toBeVisible();
  await expect(page.getByLabel("Audio", { exact: true })).toBeChecked();

  // The estimate is the chosen model's: the same clip costs less on 2.0 Mini than on 2.5 (list prices).
  await studio.pickModel("Seedance 2.0 Mini");
  // On the Generate button itself.
  const estimate = studio.generate();
  await expect(estimate).toHaveText(/≈ [\d.]+K tokens · \$/);
  const onMini = await estimate.textContent();
  await studio.pickModel("Seedance 2.5");
  await expect(estimate).not.toHaveText(onMini!);
  const dollars = (text: string) => Number(text.replace(/.*\$/, ""));
  expect(dollars((await estimate.textContent())!)).toBeGreaterThan(dollars(onMini!));
});

test("every validation message appears beside its field", async ({ studio, page }) => {
  await studio.open();
  await studio.generate().click();
  await expect(page.getByText("Write a prompt: every request needs one, with or without images.")).toBeVisible();

  await studio.prompt().fill("x".repeat(1001));
  await studio.generate().click();
  await expect(page.getByText("Prompt is longer than 1000 characters: shorten it.")).toBeVisible();

  // Inline flags become controls; a bad value is an error on that field, not a silent default.
  await studio.prompt().fill("A kite over dunes --rs 999p --seed 77 ");
  // The space typed after the last flag stays: the next word or flag does not glue onto "dunes".
  await expect(studio.prompt()).toHaveValue("A kite over dunes ");
  await expect(page.getByRole("list", { name: "Parameters from the prompt" })).toContainText("Resolution: 999p");
  await studio.advanced();
  await expect(page.getByLabel("Seed", { exact: true })).toHaveValue("77");
  // Said at the control, and by the chip where it was typed.
  await expect(page.locator("#resolution-error")).toHaveText("Resolution must be 480p, 720p, 1080p or 4k.");
  await expect(page.getByRole("listitem").filter({ hasText: "Resolution: 999p" })).toHaveAccessibleDescription("Resolution must be 480p, 720p, 1080p or 4k.");
  await page.getByRole("button", { name: "Clear Resolution" }).click();
  await expect(page.locator("#resolution-error")).toBeHidden();

  await studio.prompt().fill("A kite over dunes --frames 30 ");
  await expect(page.locator("#frames-error")).toHaveText("Frames must be 25 + 4n between 29 and 289 (29, 33, 37, ... 289).");
  await page.getByText("Seconds", { exact: true }).click();

  await page.getByLabel("Seed", { exact: true }).fill("4294967296");
  await studio.generate().click();
  await expect(page.getByText("Seed must be at most 4294967295.")).toBeVisible();
  await page.getByLabel("Seed", { exact: true }).fill("");

  await studio.pickModel("Seedance 1.0 Lite (image)");
  await studio.generate().click();
  await expect(page.getByText("Seedance 1.0 Lite (image) needs a first frame: add an image or pick a text model.")).toBeVisible();
});

test("an upstream error is shown in plain words on the clip, which stays in the gallery", async ({ studio, page }) => {
  await studio.open();
  const prompt = `Upstream down [sim:500] ${Date.now()}`;
  await studio.prompt().fill(prompt);
  await studio.generate().click();
  const card = studio.card(prompt.slice(0, 20));
  await expect(card.getByRole("status")).toHaveAccessibleName(/Failed/, { timeout: 60_000 });
  await expect(card).toContainText("internal error");
  await expect(card.getByRole("button", { name: "Retry", exact: true })).toBeVisible();
  await page.reload();
  await expect(studio.card(prompt.slice(0, 20))).toBeVisible();
});

test("a clip the upstream is rate-limiting waits, says why, and is never failed for it", async ({ studio, page }) => {
  await studio.open();
  const prompt = `Rate limited forever [sim:429] ${Date.now()}`;
  await studio.prompt().fill(prompt);
  await studio.generate().click();
  const card = studio.card(prompt.slice(0, 30));
  await expect(card).toContainText("sent again on its own", { timeout: 30_000 });
  await expect(card.getByRole("status")).toHaveAccessibleName(/Queued/);
  await page.reload();
  const reloaded = studio.card(prompt.slice(0, 30));
  await expect(reloaded).toContainText("sent again on its own");
  await expect(reloaded.getByRole("status")).toHaveAccessibleName(/Queued/);
  // Deleted, so it does not knock at the upstream for the rest of the run: each refusal holds the
  // worker's submit phase for seconds, which slowed every later test's status checks.
  const id = await reloaded.getAttribute("data-clip");
  expect((await page.request.delete(`/api/generations/${id}`, { headers: { origin: new URL(page.url()).origin } })).ok()).toBe(true);
});

test("a task that fails upstream shows its reason", async ({ studio }) => {
  await studio.open();
  const prompt = `Blocked by policy [sim:policy] ${Date.now()}`;
  await studio.prompt().fill(prompt);
  await studio.generate().click();
  const card = studio.card(prompt.slice(0, 25));
  await expect(card.getByRole("status")).toHaveAccessibleName(/Failed/, { timeout: 60_000 });
  await expect(card).toContainText(/content polic/i);
});

test("the studio form is in the server's first HTML, shown before any script runs", async ({ browser }) => {
  // No loading skeleton to swap out: with scripts off, the page still shows the form itself.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.getByLabel("Prompt", { exact: true })).toBeVisible();
  await expect(page.locator("#model")).toBeVisible();
  await expect(page.getByRole("button", { name: "Generate" })).toBeVisible();
  await context.close();
});

test("the first render shows the server's figures without building a number formatter; a changed figure is formatted in the browser", async ({ studio, page }) => {
  // Chromium takes 15-40 ms to build a page's first Intl.NumberFormat (lib/i18n/numbers.ts).
  await page.addInitScript(() => {
    const counter = window as unknown as { numberFormats: number };
    counter.numberFormats = 0;
    const count = { construct: (target: typeof Intl.NumberFormat, args: unknown[]) => (counter.numberFormats++, Reflect.construct(target, args)) };
    Intl.NumberFormat = new Proxy(Intl.NumberFormat, { ...count, apply: (target, self, args) => (counter.numberFormats++, Reflect.apply(target, self, args)) });
  });
  // The gallery hydrates last (its own chunk), and opens its event stream in an effect.
  const stream = page.waitForRequest((request) => new URL(request.url()).pathname === "/api/generations/events");
  await studio.open();
  // The default clip, 720p 16:9 for 5 s: 1248 × 704 × 121 / 1024 ≈ 103.8K tokens, as the server wrote it.
  await expect(page.getByText("≈ 103.8K tokens")).toBeVisible();
  await expect(page.getByRole("note", { name: "Tokens used" })).toContainText(/Today \S+ tokens/);
  // Hydrated (React has claimed the form's fields and the gallery), its effects have run (the
  // stream is open), and the page has gone idle after them.
  await hydrated(page);
  await stream;
  await page.evaluate(() => new Promise<void>((resolve) => requestIdleCallback(() => resolve(), { timeout: 5000 })));
  expect(await page.evaluate(() => (window as unknown as { numberFormats: number }).numberFormats)).toBe(0);

  // A figure that changes is formatted in the browser: 1080p 21:9 is 2176 × 928 × 121 / 1024 ≈
  // 238.6K (a size no other test makes, so no card on the page carries it preformatted).
  await page.getByText("1080p", { exact: true }).click();
  await page.getByText("21:9", { exact: true }).click();
  await expect(page.getByText("≈ 238.6K tokens")).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { numberFormats: number }).numberFormats)).toBeGreaterThan(0);
});

test("an unsent clip survives a reload (prompt, settings, frame); Start over and sending it clear it", async ({ studio, page }) => {
  // The page's timers on a clock the test can move: time flows as usual, and runFor fires the
  // form's pending draft save at once instead of waiting for it.
  await page.clock.install();
  const prompt = `A draft that must not be lost ${Date.now()}`;
  await studio.open();
  await studio.prompt().fill(prompt);
  await page.getByText("1080p", { exact: true }).click();
  await page.getByLabel("First frame", { exact: true }).setInputFiles("tests/fixtures/first-frame.png");
  await expect(page.getByRole("img", { name: "First frame preview" })).toBeVisible();
  // Saved once typing pauses; a reload before the save lands would race it, as it would for a person.
  await expect
    .poll(() => storedDraft(page))
    .toMatchObject({ values: { prompt, resolution: "1080p", firstFrame: expect.stringMatching(/^data:image\/png;base64,/) } });
  await page.reload();
  await expect(page.getByText("Your unsent clip is back as you left it.")).toBeVisible();
  await expect(studio.prompt()).toHaveValue(prompt);
  await expect(page.getByLabel("1080p")).toBeChecked();
  await expect(page.getByRole("img", { name: "First frame preview" })).toHaveAttribute("src", /^data:image\/png;base64,/);

  await page.getByRole("button", { name: "Start over" }).click();
  await expect(studio.prompt()).toHaveValue("");
  await expect(page.getByLabel("720p")).toBeChecked();
  await expect(page.getByRole("img", { name: "First frame preview" })).toBeHidden();
  // The save the blank form schedules has run, and the draft and its flag are gone.
  await page.clock.runFor(SAVE_DELAY_PASSED_MS);
  await expect.poll(() => storedDraft(page)).toBeNull();
  await expect.poll(() => draftHint(page)).toBeNull();
  await page.reload();
  // A page looks for a draft right after hydration, and only when the flag is set: hydrated
  // without the flag, it has nothing to bring back.
  await hydrated(page);
  expect(await draftHint(page)).toBeNull();
  await expect(studio.prompt()).toHaveValue("");
  await expect(page.getByText("Your unsent clip is back as you left it.")).toBeHidden();

  // Sent, it is no longer a draft: a reload shows a fresh form.
  const sentPrompt = `Sent, not a draft ${Date.now()}`;
  await studio.prompt().fill(sentPrompt);
  await page.getByText("480p", { exact: true }).click();
  await studio.generate().click();
  await expect(studio.card(sentPrompt)).toBeVisible();
  // The save that typing scheduled fires after the send, and must find nothing to keep.
  await page.clock.runFor(SAVE_DELAY_PASSED_MS);
  await expect.poll(() => storedDraft(page)).toBeNull();
  await expect.poll(() => draftHint(page)).toBeNull();
  await page.reload();
  await expect(studio.card(sentPrompt)).toBeVisible();
  await hydrated(page);
  expect(await draftHint(page)).toBeNull();
  await expect(studio.prompt()).toHaveValue("");
});

test("words typed before the page's scripts run are kept: the prompt, and the gallery's search", async ({ studio, page, request }) => {
  const stamp = Date.now();
  const older = `Older clip ${stamp}`;
  // One clip still being made: its card shows a running clock, which must hydrate unchanged.
  for (const text of [`${older} [sim:fail]`, `Newer clip [sim:stall] ${stamp + 1}`]) {
    await request.post("/api/generations", { data: { model: "doubao-seedance-1-0-pro-fast-251015", content: [{ type: "text", text }], resolution: "480p", duration: 2 } });
  }
  /** Holds the script chunks `which` picks until `release`. */
  const hold = async (which: (path: string) => boolean) => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/_next/static/chunks/**", async (route) => {
      if (which(new URL(route.request().url()).pathname)) await held;
      await route.continue();
    });
    return async () => {
      release();
      await page.unrouteAll({ behavior: "wait" });
    };
  };

  // The form is in the server's HTML: type into it while no script has run.
  let release = await hold(() => true);
  await page.goto("/", { waitUntil: "commit" });
  const prompt = `Typed before hydration ${stamp}`;
  await studio.prompt().fill(prompt);
  await release();
  // The counter is drawn by the browser's code: hydrated, with the words in the form's state.
  await expect(page.getByText(`${prompt.length} / 1000`)).toBeVisible();
  await expect(studio.prompt()).toHaveValue(prompt);

  // The gallery's code comes after the page's: type into its search box before it arrives.
  const html = await (await request.get("/")).text();
  const first = new Set([...html.matchAll(/\/_next\/static\/chunks\/[^"']+\.(?:js|css)/g)].map((m) => m[0]));
  release = await hold((path) => !first.has(path));
  await page.reload({ waitUntil: "commit" });
  await expect(studio.card(`Newer clip [sim:stall] ${stamp + 1}`)).toContainText(/\d+ s \/ ~/);
  await page.getByLabel("Search prompts").fill(older);
  await release();
  const cards = page.getByRole("list", { name: "Clips" }).getByRole("article");
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toHaveAccessibleName(new RegExp(older));
  await expect(page.getByLabel("Search prompts")).toHaveValue(older);
});

test("inline flags typed key by key: each lands in its control, the words keep their spaces, a stale chip goes with its text, an invalid one blocks Generate", async ({ studio, page, request }) => {
  await studio.open();
  const words = `A fox in snow ${Date.now()}`;
  // As a person types: every flag is lifted when the space after its value is typed, the last
  // one when the box is left.
  await studio.prompt().pressSequentially(`${words} --rs 480p --dur 4 --seed 42`);
  await studio.prompt().blur();
  await expect(studio.prompt()).toHaveValue(words);
  const chips = page.getByRole("list", { name: "Parameters from the prompt" });
  await expect(chips.getByRole("listitem")).toHaveText(["Resolution: 480p", "Length: 4", "Seed: 42"]);
  await expect(page.getByLabel("480p")).toBeChecked();
  await expect(page.getByLabel("Duration (seconds)")).toHaveValue("4");
  await studio.advanced();
  await expect(page.getByLabel("Seed", { exact: true })).toHaveValue("42");

  await studio.generate().click();
  await expect(studio.card(words)).toBeVisible();
  const made = async () => (await (await request.get(`/api/generations?q=${encodeURIComponent(words)}`)).json()).items as { id: string; upstreamTaskId: string | null }[];
  await expect.poll(async () => (await made())[0]?.upstreamTaskId ?? null, { timeout: 30_000 }).not.toBeNull();
  const upstream = await upstreamRequestOf(request, (await made())[0]!.id);
  expect(upstream.content).toEqual([{ type: "text", text: words }]);
  expect([upstream.resolution, upstream.duration, upstream.seed]).toEqual(["480p", 4, 42]);

  // A chip belongs to its prompt: emptied, the chips go and each control has its own value back.
  await studio.prompt().fill(`Another take ${Date.now()} --dur 9 `);
  await expect(chips.getByRole("listitem")).toHaveText(["Length: 9"]);
  await expect(page.getByLabel("Duration (seconds)")).toHaveValue("9");
  await studio.prompt().fill("");
  await expect(chips).toHaveCount(0);
  await expect(page.getByLabel("Duration (seconds)")).not.toHaveValue("9");

  // A value the model refuses: the chip is an error with its reason, there is no estimate made
  // from it, and Generate stops with the error in view.
  await studio.prompt().pressSequentially("A heron at dawn --dur 99 ");
  const chip = chips.getByRole("listitem").filter({ hasText: "Length: 99" });
  await expect(chip).toHaveAccessibleDescription(/Duration must be 2–30 seconds/);
  await expect(page.getByText("No estimate until the setting marked in red is fixed")).toBeVisible();
  await expect(page.getByText(/≈ .* tokens/)).toHaveCount(0);
  const sent: string[] = [];
  page.on("request", (r) => r.method() === "POST" && sent.push(r.url()));
  await studio.generate().click();
  const error = page.locator("#duration-error");
  await expect(error).toBeInViewport();
  await chip.getByRole("button", { name: "Clear Length" }).click();
  await expect(chips).toHaveCount(0);
  await expect(page.getByText(/≈ .* tokens/)).toBeVisible();
  expect(sent).toEqual([]);
});
