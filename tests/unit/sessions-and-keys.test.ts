/**
 * Sessions with a server-side record, sign-in lockout through the real action, and personal API
 * keys: the sign-in / sign-out actions and the gate (lib/http/gate.ts) run against an in-memory
 * PGlite, with Next's request APIs (cookies(), headers(), redirect()) replaced by a small fake
 * browser.
 */
import type { SignInState } from "@/app/(auth)/actions";
import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { openDatabase, type Connection } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { createLogger } from "@/lib/log";

const PASSWORD = "correct horse battery staple";

/** One browser: its cookie jar and the headers its requests carry. */
class FakeBrowser {
  cookies = new Map<string, string>();
  headers = new Headers();
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

const current: { browser: FakeBrowser; conn: Connection | null } = { browser: new FakeBrowser(), conn: null };

class Redirected extends Error {
  constructor(readonly url: string) {
    super(`redirect ${url}`);
  }
}

vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (current.browser.cookies.has(name) ? { name, value: current.browser.cookies.get(name)! } : undefined),
    set: (name: string, value: string) => void current.browser.cookies.set(name, value),
    delete: (name: string) => void current.browser.cookies.delete(name),
  }),
  headers: async () => current.browser.headers,
}));
vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw new Redirected(url);
  },
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("@/lib/app/context", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/app/context")>()),
  appContext: async () => ({ db: current.conn!.db }),
}));

const actions = await import("@/app/(auth)/actions");
const gate = await import("@/lib/http/gate");

/** Everything the app logs while a test runs. */
const logLines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    logLines.push(String(chunk));
    done();
  },
});

async function as<T>(browser: FakeBrowser, run: () => Promise<T>): Promise<T> {
  const before = current.browser;
  current.browser = browser;
  try {
    return await run();
  } finally {
    current.browser = before;
  }
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
}

/** Signs `browser` in with `password`; the sign-in state when it was refused. */
async function signIn(browser: FakeBrowser, password = PASSWORD): Promise<SignInState | "signed in"> {
  return as(browser, async () => {
    try {
      return await actions.signInAction({}, form({ password, next: "/" }));
    } catch (error) {
      if (error instanceof Redirected) return "signed in";
      throw error;
    }
  });
}

async function signedInBrowser(): Promise<FakeBrowser> {
  const browser = new FakeBrowser();
  expect(await signIn(browser)).toBe("signed in");
  expect(browser.cookies.get("studio_session")).toBeTruthy();
  return browser;
}

/** A route handler's view of a request from `browser` (cookie header and all its headers). */
function requestFrom(browser: FakeBrowser, extra: Record<string, string> = {}): Request {
  const headers = new Headers(browser.headers);
  if (browser.cookies.size) headers.set("cookie", browser.cookieHeader());
  for (const [k, v] of Object.entries(extra)) headers.set(k, v);
  return new Request("http://studio.test/api/generations", { headers });
}

async function refusedAsUnauthorized(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return false;
  } catch (error) {
    if (error instanceof AppError && error.kind === "unauthorized") return true;
    throw error;
  }
}

function setEnv(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvForTests();
}

beforeAll(async () => {
  current.conn = await openDatabase({});
  (globalThis as { seedanceLog?: unknown }).seedanceLog = createLogger({ level: "debug", destination: sink });
});

afterAll(async () => {
  (globalThis as { seedanceLog?: unknown }).seedanceLog = undefined;
  await current.conn?.close();
  setEnv({ STUDIO_PASSWORD: undefined, SESSION_SECRET: undefined, TRUST_PROXY: undefined });
});

beforeEach(() => {
  setEnv({ STUDIO_PASSWORD: PASSWORD, SESSION_SECRET: "x".repeat(40), TRUST_PROXY: undefined });
  // A fresh lockout per test (it lives on globalThis, like the app's).
  (globalThis as { seedanceSignInLockout?: unknown }).seedanceSignInLockout = undefined;
  logLines.length = 0;
});

describe("sessions end when signed out", () => {
  it("sign-out: the same cookie is refused afterwards by route handlers and server actions", async () => {
    const browser = await signedInBrowser();
    const cookie = browser.cookies.get("studio_session")!;
    expect((await gate.requestClient(requestFrom(browser))).sessionId).toBeTruthy();
    expect((await as(browser, () => gate.currentClient())).session).not.toBeNull();

    await as(browser, () => actions.signOutAction()).catch((error: unknown) => {
      if (!(error instanceof Redirected)) throw error;
    });

    // Someone who copied the cookie before sign-out still holds it: it must not work.
    const copied = new FakeBrowser();
    copied.cookies.set("studio_session", cookie);
    expect(await refusedAsUnauthorized(() => gate.requestClient(requestFrom(copied)))).toBe(true);
    expect((await as(copied, () => gate.currentClient())).session).toBeNull();
    expect(await refusedAsUnauthorized(() => as(copied, () => gate.requireActionSession()))).toBe(true);
  });

  it("sign out everywhere ends every browser's session at once, including ones just checked", async () => {
    const laptop = await signedInBrowser();
    const phone = await signedInBrowser();
    // The phone was just let in (a lookup that may be cached).
    expect((await gate.requestClient(requestFrom(phone))).sessionId).toBeTruthy();

    await as(laptop, () => actions.signOutEverywhereAction()).catch((error: unknown) => {
      if (!(error instanceof Redirected)) throw error;
    });

    expect(await refusedAsUnauthorized(() => gate.requestClient(requestFrom(phone)))).toBe(true);
    expect((await as(phone, () => gate.currentClient())).session).toBeNull();
    const laptopCopy = new FakeBrowser();
    laptopCopy.cookies.set("studio_session", laptop.cookies.get("studio_session") ?? "gone");
    expect(await refusedAsUnauthorized(() => gate.requestClient(requestFrom(laptopCopy)))).toBe(true);
    // Signing in again works.
    await signedInBrowser();
  });

  it("a cookie with a malformed encoding is no session (401), not a server error", async () => {
    for (const value of ["%E0%A4%A", "%", "abc%zz.def"]) {
      const request = new Request("http://studio.test/api/generations", { headers: { cookie: `studio_session=${value}` } });
      expect(await refusedAsUnauthorized(() => gate.requestClient(request)), value).toBe(true);
    }
    // And without the gate, the same request is simply anonymous.
    setEnv({ STUDIO_PASSWORD: undefined });
    const request = new Request("http://studio.test/api/generations", { headers: { cookie: "studio_session=%E0%A4%A" } });
    expect((await gate.requestClient(request)).sessionId).toBeUndefined();
  });
});

describe("sign-in guard", () => {
  it("the right password gets in during a global flood of wrong ones", async () => {
    // A returning browser (signed in here before), signed out meanwhile.
    const owner = await signedInBrowser();
    owner.cookies.delete("studio_session");
    // 150 wrong passwords from everywhere (no address is known without TRUST_PROXY).
    for (let i = 0; i < 150; i++) {
      const attacker = new FakeBrowser();
      attacker.headers.set("x-forwarded-for", `10.0.${i >> 8}.${i & 255}`);
      await signIn(attacker, `guess ${i}`);
    }
    expect(await signIn(owner)).toBe("signed in");
    // A new browser is slowed, not locked out for 15 minutes: its wait is seconds.
    const stranger = new FakeBrowser();
    const answer = await signIn(stranger, "still guessing");
    expect(answer).not.toBe("signed in");
    const retry = (answer as { retryAfterSec?: number }).retryAfterSec;
    if (retry !== undefined) expect(retry).toBeLessThanOrEqual(60);
  });

  it("without TRUST_PROXY a forwarded address is not believed; with it, the trusted hop's entry is", async () => {
    expect((await gate.requestClient(requestFrom(await signedInBrowser(), { "x-forwarded-for": "203.0.113.7" }))).ip).toBeUndefined();

    setEnv({ TRUST_PROXY: "1" });
    const browser = await signedInBrowser();
    expect((await gate.requestClient(requestFrom(browser, { "x-forwarded-for": "6.6.6.6, 203.0.113.7" }))).ip).toBe("203.0.113.7");
    // Five wrong passwords from one address lock it, whatever the client writes before the proxy's entry.
    for (let i = 0; i < 5; i++) {
      const attempt = new FakeBrowser();
      attempt.headers.set("x-forwarded-for", `198.51.100.${i}, 203.0.113.9`);
      await signIn(attempt, `wrong ${i}`);
    }
    const next = new FakeBrowser();
    next.headers.set("x-forwarded-for", "192.0.2.55, 203.0.113.9");
    const answer = await signIn(next);
    expect(answer).not.toBe("signed in");
    expect((answer as SignInState).error).toMatchObject({ code: "locked_address" });
  });
});

describe("personal API keys", () => {
  it("a created key works as Bearer, is stored only hashed, and stops working once revoked", async () => {
    const keys = await import("@/app/(auth)/api-key-actions");
    const browser = await signedInBrowser();
    const created = await as(browser, () => keys.createApiKeyAction({}, form({ name: "render script" })));
    expect(created.ok).toBe(true);
    const secret = created.ok ? created.data.secret : "";
    expect(secret).toMatch(/^sk_studio_[A-Za-z0-9_-]{40,}$/);

    // Sent with no cookie at all.
    const script = new FakeBrowser();
    const client = await gate.requestClient(requestFrom(script, { authorization: `Bearer ${secret}` }));
    expect(client.keyId).toBeTruthy();
    // Limited like a session of its own, apart from the browser that made it.
    expect(client.sessionId).toBeTruthy();
    expect(client.sessionId).not.toBe((await gate.requestClient(requestFrom(browser))).sessionId);

    // The database holds a hash of it, never the key.
    const rows = (await current.conn!.db.execute(sql`select * from api_keys`)) as unknown as { rows: Record<string, unknown>[] };
    expect(rows.rows).toHaveLength(1);
    expect(JSON.stringify(rows.rows)).not.toContain(secret);
    expect(JSON.stringify(rows.rows)).not.toContain(secret.slice("sk_studio_".length));
    expect(JSON.stringify(rows.rows)).toContain(createHash("sha256").update(secret).digest("hex"));
    // The list shows its name, never the key.
    const listed = await as(browser, () => keys.listApiKeysAction());
    expect(listed.ok && listed.data.map((k) => k.name)).toEqual(["render script"]);
    expect(JSON.stringify(listed)).not.toContain(secret);

    const revoked = await as(browser, () => keys.revokeApiKeyAction(form({ id: client.keyId! })));
    expect(revoked.ok).toBe(true);
    expect(await refusedAsUnauthorized(() => gate.requestClient(requestFrom(script, { authorization: `Bearer ${secret}` })))).toBe(true);
    // A made-up key, or a key-looking string, is refused too.
    expect(await refusedAsUnauthorized(() => gate.requestClient(requestFrom(script, { authorization: `Bearer sk_studio_${"A".repeat(43)}` })))).toBe(true);

    // Nothing logged along the way holds the key.
    await new Promise((r) => setImmediate(r));
    expect(logLines.join("")).not.toContain(secret);
  });

  it("keys are managed with a session only: a key cannot make, list or revoke keys", async () => {
    const keys = await import("@/app/(auth)/api-key-actions");
    const browser = await signedInBrowser();
    const created = await as(browser, () => keys.createApiKeyAction({}, form({ name: "ci" })));
    const secret = created.ok ? created.data.secret : "";
    const script = new FakeBrowser();
    script.headers.set("authorization", `Bearer ${secret}`);
    const made = await as(script, () => keys.createApiKeyAction({}, form({ name: "escalate" })));
    expect(made.ok).toBe(false);
    expect(made.ok === false && made.kind).toBe("unauthorized");
    expect((await as(script, () => keys.listApiKeysAction())).ok).toBe(false);
    // A name is required and bounded, with the field named.
    const unnamed = await as(browser, () => keys.createApiKeyAction({}, form({ name: "   " })));
    expect(unnamed.ok === false && unnamed.fieldErrors).toHaveProperty("name");
  });

  it("a key never appears in log output, whatever carries it", async () => {
    const secret = `sk_studio_${"Zq9-_x".repeat(8)}`;
    const { log } = await import("@/lib/log");
    log().info({ headers: { authorization: `Bearer ${secret}` } }, "request");
    log().info({ apiKey: secret }, "a field named oddly");
    log().warn(`a message quoting ${secret} in its text`);
    log().error({ err: new Error(`bad key ${secret}`) }, "error");
    await new Promise((r) => setImmediate(r));
    expect(logLines).toHaveLength(4);
    expect(logLines.join("")).not.toContain(secret);
    expect(logLines.join("")).not.toContain(secret.slice(10, 30));
  });
});
