import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { clientIpFrom } from "@/lib/auth/client-ip";
import { SignInLockout } from "@/lib/auth/lockout";
import { passwordMatches, safeNextPath, signSession, verifySession } from "@/lib/auth/session";
import { TokenBuckets } from "@/lib/limits/token-bucket";
import { createLogger, scrubFromLogs, scrubSecrets } from "@/lib/log";
import { contentSecurityPolicy } from "@/lib/security/headers";

const secret = "s".repeat(40);
const password = "correct horse battery staple";

describe("session cookies", () => {
  it("verifies what it signed, until it expires", () => {
    const now = Date.UTC(2026, 0, 1);
    const { token, session } = signSession({ secret, password, ttlSec: 3600, now });
    expect(verifySession(token, { secret, password, now })).toEqual(session);
    expect(verifySession(token, { secret, password, now: now + 3599_000 })).toEqual(session);
    expect(verifySession(token, { secret, password, now: now + 3600_000 })).toBeNull();
  });

  it("refuses forged, tampered, truncated and foreign cookies", () => {
    const { token } = signSession({ secret, password, ttlSec: 3600 });
    const [payload, mac] = token.split(".") as [string, string];
    const forgedPayload = Buffer.from(JSON.stringify({ sid: "x", iat: 0, exp: 9_999_999_999 })).toString("base64url");
    for (const bad of [
      "",
      "garbage",
      `${payload}.`,
      `.${mac}`,
      `${payload}.${mac}x`,
      `${payload}.${mac.slice(0, -2)}`,
      `${forgedPayload}.${mac}`,
      `${payload}.${mac}.${mac}`,
      `${payload}x.${mac}`,
      "a".repeat(600),
    ]) {
      expect(verifySession(bad, { secret, password })).toBeNull();
    }
    expect(verifySession(token, { secret: "t".repeat(40), password })).toBeNull();
    // Changing the studio password signs every session out.
    expect(verifySession(token, { secret, password: "new password" })).toBeNull();
  });

  it("compares passwords in constant time and exactly", () => {
    expect(passwordMatches(password, password)).toBe(true);
    expect(passwordMatches(`${password} `, password)).toBe(false);
    expect(passwordMatches("", password)).toBe(false);
    expect(passwordMatches(password.toUpperCase(), password)).toBe(false);
  });

  it("only returns to same-origin paths after sign-in", () => {
    expect(safeNextPath("/")).toBe("/");
    expect(safeNextPath("/?q=fox")).toBe("/?q=fox");
    for (const bad of ["//evil.example", "/\\evil.example", "https://evil.example/", "javascript:alert(1)", "/sign-in?next=/", "/\nx", undefined, 42]) {
      expect(safeNextPath(bad)).toBe("/");
    }
  });
});

describe("sign-in lockout", () => {
  it("locks an address for 15 minutes after 5 wrong passwords, others unaffected", () => {
    let now = 1_000_000;
    const lockout = new SignInLockout({ now: () => now });
    const from = { ip: "1.1.1.1" };
    for (let i = 0; i < 4; i++) expect(lockout.fail(from).locked).toBe(false);
    expect(lockout.remainingAttempts(from)).toBe(1);
    const locked = lockout.fail(from);
    expect(locked).toEqual({ locked: true, retryAfterSec: 900, scope: "ip" });
    expect(lockout.admit({ ip: "2.2.2.2" }).locked).toBe(false);
    now += 899_000;
    expect(lockout.admit(from).locked).toBe(true);
    now += 1_000;
    expect(lockout.admit(from).locked).toBe(false);
  });

  it("forgets failures older than the window and after a success", () => {
    let now = 0;
    const lockout = new SignInLockout({ now: () => now });
    for (let i = 0; i < 4; i++) lockout.fail({ ip: "ip" });
    now += 15 * 60_000 + 1;
    expect(lockout.fail({ ip: "ip" }).locked).toBe(false);
    for (let i = 0; i < 3; i++) lockout.fail({ ip: "ip" });
    lockout.succeed({ ip: "ip" });
    expect(lockout.remainingAttempts({ ip: "ip" })).toBe(5);
  });

  it("once the global budget is spent, slows every unknown sign-in to one try per interval instead of refusing all", () => {
    let now = 0;
    const lockout = new SignInLockout({ now: () => now, globalMaxFailures: 20, slowIntervalMs: 10_000 });
    for (let i = 0; i < 20; i++) lockout.fail({ ip: `10.0.0.${i}` });
    // One attempt is evaluated now (it may be the right password); the next waits seconds, not 15 minutes.
    expect(lockout.admit({}).locked).toBe(false);
    const slowed = lockout.admit({ ip: "203.0.113.9" });
    expect(slowed).toEqual({ locked: true, retryAfterSec: 10, scope: "global" });
    now += 10_000;
    expect(lockout.admit({}).locked).toBe(false);
    // A browser that signed in here before is judged on its own record, not the flood's.
    expect(lockout.admit({ device: "d1" }).locked).toBe(false);
    expect(lockout.admit({ device: "d1" }).locked).toBe(false);
    for (let i = 0; i < 5; i++) lockout.fail({ device: "d1" });
    expect(lockout.admit({ device: "d1" })).toMatchObject({ locked: true, scope: "device" });
  });

  it("has no per-client count for a client it cannot tell apart", () => {
    const lockout = new SignInLockout();
    lockout.fail({});
    expect(lockout.remainingAttempts({})).toBeUndefined();
  });
});

describe("token bucket", () => {
  it("allows a burst, then refills at the rate, with an honest Retry-After", () => {
    let now = 0;
    const buckets = new TokenBuckets(3, 3 / 60, () => now);
    expect([buckets.take("a"), buckets.take("a"), buckets.take("a")].every((r) => r.ok)).toBe(true);
    const refused = buckets.take("a");
    expect(refused).toEqual({ ok: false, retryAfterSec: 20 });
    expect(buckets.take("b").ok).toBe(true);
    now += 20_000;
    expect(buckets.take("a").ok).toBe(true);
    expect(buckets.take("a").ok).toBe(false);
    buckets.refund("a");
    expect(buckets.take("a").ok).toBe(true);
  });
});

describe("client address", () => {
  it("is not known without trusted proxies, whatever the forwarded headers say", () => {
    expect(clientIpFrom(new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.7" }), 0)).toBeUndefined();
    expect(clientIpFrom(new Headers({ "x-real-ip": "198.51.100.2" }), 0)).toBeUndefined();
  });

  it("takes the entry the outermost trusted proxy appended", () => {
    const headers = new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.7, 10.0.0.2" });
    expect(clientIpFrom(headers, 1)).toBe("10.0.0.2");
    expect(clientIpFrom(headers, 2)).toBe("203.0.113.7");
    expect(clientIpFrom(new Headers({ "x-forwarded-for": "203.0.113.7:51234" }), 1)).toBe("203.0.113.7");
    expect(clientIpFrom(new Headers({ "x-forwarded-for": "[2001:db8::1]:443" }), 1)).toBe("2001:db8::1");
    expect(clientIpFrom(new Headers({ "x-real-ip": "198.51.100.2" }), 1)).toBe("198.51.100.2");
    expect(clientIpFrom(new Headers(), 1)).toBeUndefined();
    // A value that is not an address is not a key for limits.
    expect(clientIpFrom(new Headers({ "x-forwarded-for": "<script>, not-an-ip" }), 1)).toBeUndefined();
  });
});

describe("logs", () => {
  it("redact authorization headers, cookies, tokens and configured secret values", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const token = "sk-live-THE-REAL-TOKEN-123456";
    const logger = createLogger({ level: "info", secrets: [token], destination: sink });
    logger.info({ headers: { authorization: `Bearer ${token}`, cookie: "studio_session=abc.def" } }, "request");
    logger.info({ request: { headers: { authorization: "Bearer other-credential" } } }, "nested");
    logger.info({ token, secret: "shh", password: "pw", callbackSecret: "cb" }, "fields");
    logger.error({ err: new Error(`upstream said: invalid token ${token}`) }, "error with the token in its message");
    logger.info(`a url https://api.example/x?key=${token}`);
    await new Promise((r) => setImmediate(r));
    const all = lines.join("");
    expect(lines).toHaveLength(5);
    expect(all).not.toContain(token);
    expect(all).not.toContain("other-credential");
    expect(all).not.toContain("abc.def");
    expect(all).not.toMatch(/"secret":"shh"|"password":"pw"|"callbackSecret":"cb"/);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it("scrubs bearer credentials and secret values from any text", () => {
    expect(scrubSecrets('{"msg":"Authorization: Bearer abc.def-123"}', [])).toBe('{"msg":"Authorization: Bearer [Redacted]"}');
    expect(scrubSecrets("x topsecretvalue y", ["topsecretvalue"])).toBe("x [Redacted] y");
  });

  it("scrub secrets the app loads after start (kept in the database), in loggers made before", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: "info", destination: sink });
    const fromDatabase = "db-made-callback-key-9f8e7d6c5b";
    scrubFromLogs(fromDatabase);
    logger.warn(`callback https://studio.example/api/callbacks/x?key=${fromDatabase}`);
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(fromDatabase);
    expect(lines[0]).toContain("[Redacted]");
  });
});

describe("content security policy", () => {
  it("allows scripts by nonce only, media from self, no framing", () => {
    const csp = contentSecurityPolicy("abc123");
    expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("media-src 'self' blob:");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'self'");
    expect(csp).toContain("form-action 'self'");
    expect(contentSecurityPolicy("n", { dev: true })).toContain("'unsafe-eval'");
  });
});
