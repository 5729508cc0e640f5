/**
 * `?next=` after sign-in becomes a Location header. Non-ASCII in it (a path with é, or what a
 * browser makes of invalid UTF-8, U+FFFD) made Node refuse the header: the sign-in page answered
 * 500, or sent é as a raw Latin-1 byte. The path is kept, percent-encoded.
 */
import http from "node:http";
import { describe, expect, it } from "vitest";
import { safeNextPath } from "@/lib/auth/session";

describe("safeNextPath and non-ASCII", () => {
  it.each([
    ["a path with é", "/clips/é", "/clips/%C3%A9"],
    ["invalid UTF-8 once decoded (U+FFFD)", "/\ufffd", "/%EF%BF%BD"],
    ["a lone surrogate", "/a\ud800", "/a%EF%BF%BD"],
    ["Hangul in the query", "/?q=여우", "/?q=%EC%97%AC%EC%9A%B0"],
    ["an emoji in the fragment", "/#🦊", "/#%F0%9F%A6%8A"],
    ["an ASCII path, unchanged", "/?q=fox&status=running", "/?q=fox&status=running"],
    ["an already encoded path, unchanged", "/clips/%C3%A9", "/clips/%C3%A9"],
  ])("%s becomes a header-safe path", (_name, raw, expected) => {
    const next = safeNextPath(raw);
    expect(next).toBe(expected);
    expect(() => http.validateHeaderValue("location", next)).not.toThrow();
    expect(next).toMatch(/^[\x21-\x7e]+$/);
  });

  it("still refuses other origins once encoded", () => {
    for (const raw of ["//evil.example/é", "/\\evil.example", "/\u3000/evil.example", "/sign-in?next=/é"]) {
      const next = safeNextPath(raw);
      expect(next === "/" || next.startsWith("/%"), raw).toBe(true);
      expect(new URL(next, "http://studio.test").origin).toBe("http://studio.test");
    }
  });
});
