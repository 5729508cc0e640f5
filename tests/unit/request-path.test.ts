/**
 * Paths the proxy answers with 400 before Next routes them. On `next start`, `/v/%FF`,
 * `/g/%FF`, `/api/media/clips/%FF/video.mp4` and `/api/shares/%FF/0/video.mp4` answered a bare
 * 500, and `/api/generations/%00` a 500 from PostgreSQL. Ordinary paths, encoded non-ASCII
 * included, must pass.
 */
import { describe, expect, it } from "vitest";
import { isMalformedPath } from "@/lib/security/request-path";

describe("isMalformedPath", () => {
  it.each([
    ["/v/%FF", true],
    ["/g/%FF", true],
    ["/api/media/clips/%FF/video.mp4", true],
    ["/api/media/inputs/%C0%AF.png", true],
    ["/api/shares/%FF/0/video.mp4", true],
    ["/v/%ED%A0%80", true],
    ["/v/%E0%A4%A", true],
    ["/api/generations/%00", true],
    ["/api/storyboards/a%00b", true],
    ["/v/%0A", true],
    ["/v/%7F", true],
    ["/", false],
    ["/v/AbCdEfGhIjKlMnOpQrStUv", false],
    ["/api/media/clips/g_x-1/video.mp4", false],
    ["/clips/%C3%A9", false],
    ["/%F0%9F%A6%8A", false],
    ["/sign-in", false],
    ["/api/generations/g_abc/", false],
  ])("%s -> %s", (pathname, expected) => {
    expect(isMalformedPath(pathname)).toBe(expected);
  });
});
