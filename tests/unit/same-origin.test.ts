/**
 * The cross-site rule for state-changing requests (server actions, JSON writes). Next refuses a
 * server action whose Origin does not match the host with a 500; the proxy asks this first and
 * answers 403. Every case Next refuses must be refused here too, and the studio's own requests
 * must pass.
 */
import { describe, expect, it } from "vitest";
import { isCrossSiteRequest } from "@/lib/security/same-origin";

const URL_ = "http://studio.test:3000/";

describe("isCrossSiteRequest", () => {
  it.each<[string, Record<string, string>, boolean, string[]?]>([
    ["the studio's own fetch (Origin = Host)", { origin: "http://studio.test:3000", host: "studio.test:3000" }, false],
    ["its own fetch behind a proxy (Origin = X-Forwarded-Host)", { origin: "https://studio.example.com", host: "127.0.0.1:3000", "x-forwarded-host": "studio.example.com" }, false],
    ["the first of several X-Forwarded-Host values", { origin: "https://studio.example.com", host: "127.0.0.1:3000", "x-forwarded-host": "studio.example.com, proxy.internal" }, false],
    ["default ports are the same host", { origin: "https://studio.example.com", host: "studio.example.com:443", "x-forwarded-host": "studio.example.com" }, false],
    ["a script without Origin or Sec-Fetch-Site", { host: "studio.test:3000" }, false],
    ["a browser's same-origin request without Origin", { host: "studio.test:3000", "sec-fetch-site": "same-origin" }, false],
    ["a typed-in navigation (Sec-Fetch-Site: none)", { host: "studio.test:3000", "sec-fetch-site": "none" }, false],
    ["no Host header: the URL's host counts", { origin: "http://studio.test:3000" }, false],
    ["an origin the operator trusts", { origin: "https://admin.example.com", host: "studio.test:3000" }, false, ["https://admin.example.com"]],

    ["another site's page", { origin: "https://evil.example", host: "studio.test:3000" }, true],
    ["the same host on another port", { origin: "http://studio.test:4000", host: "studio.test:3000" }, true],
    ["a sibling subdomain (same-site)", { origin: "https://blog.example.com", host: "studio.example.com" }, true],
    ["Origin matches Host but not X-Forwarded-Host (Next compares the forwarded one)", { origin: "http://studio.test:3000", host: "studio.test:3000", "x-forwarded-host": "studio.example.com" }, true],
    ["Origin: null (a sandboxed frame)", { origin: "null", host: "studio.test:3000" }, true],
    ["an Origin that is not a URL", { origin: "garbage", host: "studio.test:3000" }, true],
    ["an Origin with another scheme", { origin: "chrome-extension://abcdef", host: "studio.test:3000" }, true],
    ["a Host that is not a host", { origin: "http://studio.test:3000", host: "studio.test:3000/../x y" }, true],
    ["Sec-Fetch-Site: cross-site without Origin", { host: "studio.test:3000", "sec-fetch-site": "cross-site" }, true],
    ["Sec-Fetch-Site: same-site without Origin", { host: "studio.test:3000", "sec-fetch-site": "same-site" }, true],
    ["a trusted list does not trust other origins", { origin: "https://evil.example", host: "studio.test:3000" }, true, ["https://admin.example.com"]],
    ["a trusted origin must match its scheme", { origin: "http://admin.example.com", host: "studio.test:3000" }, true, ["https://admin.example.com"]],
  ])("%s -> cross-site %s", (_name, headers, expected, trustedOrigins) => {
    expect(isCrossSiteRequest(new Headers(headers), { url: URL_, trustedOrigins })).toBe(expected);
  });
});
