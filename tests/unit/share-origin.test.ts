/**
 * The absolute URLs of a share page's preview (OpenGraph, Twitter card). Without PUBLIC_BASE_URL
 * they come from the request's Host / X-Forwarded-Host / X-Forwarded-Proto, which any client
 * sets: `og:url` once became `javascript:alert(1)//://...`. Whatever the headers say, every URL
 * in the preview is an http(s) URL of a plain host, and PUBLIC_BASE_URL, when set, wins.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import type { PublicClip } from "@/lib/dto/share";

const request: { headers: Headers } = { headers: new Headers() };
vi.mock("next/headers", () => ({ headers: async () => request.headers }));
// The preview's words are not under test here: the catalogue key stands for each.
vi.mock("next-intl/server", () => ({ getTranslations: async () => (key: string) => key }));

const { cutAtWord, shareMetadata } = await import("@/app/(share)/page-data");

const clip: PublicClip = {
  index: 0,
  prompt: "a fox",
  videoUrl: "/api/shares/AAAAAAAAAAAAAAAAAAAAAA/0/video.mp4",
  posterUrl: "/api/shares/AAAAAAAAAAAAAAAAAAAAAA/0/poster.jpg",
  width: 1280,
  height: 720,
  duration: 5,
  hasAudio: false,
  createdAt: "2026-01-01T00:00:00.000Z",
};

async function previewUrls(headers: Record<string, string>, env: Record<string, string> = {}) {
  request.headers = new Headers(headers);
  for (const [k, v] of Object.entries(env)) process.env[k] = v;
  resetEnvForTests();
  const meta = await shareMetadata({ kind: "clip", title: null, clips: [clip], filmClips: [], path: "/v/AAAAAAAAAAAAAAAAAAAAAA" });
  const og = meta.openGraph as { url: string; videos: { url: string; secureUrl?: string }[]; images: { url: string }[] };
  const twitter = meta.twitter as { images: { url: string }[] };
  const canonical = meta.alternates?.canonical as string;
  return [og.url, canonical, ...og.videos.flatMap((v) => [v.url, v.secureUrl].filter((u): u is string => Boolean(u))), ...og.images.map((i) => i.url), ...twitter.images.map((i) => i.url)];
}

afterEach(() => {
  delete process.env.PUBLIC_BASE_URL;
  delete process.env.PORT;
  resetEnvForTests();
});

describe("share preview URLs", () => {
  it.each<[string, Record<string, string>]>([
    ["a javascript: scheme in X-Forwarded-Proto", { host: "studio.test", "x-forwarded-proto": "javascript:alert(1)//" }],
    ["a made-up scheme in X-Forwarded-Proto", { host: "studio.test", "x-forwarded-proto": "ftp" }],
    ["a path and a quote in X-Forwarded-Host", { host: "studio.test", "x-forwarded-host": 'evil.example/"><script>' }],
    ["a user part in X-Forwarded-Host", { host: "studio.test", "x-forwarded-host": "user@evil.example" }],
    ["a space in Host", { host: "studio.test x" }],
    ["no Host at all", {}],
  ])("stay http(s) URLs of a plain host with %s", async (_name, headers) => {
    for (const url of await previewUrls(headers)) {
      const parsed = new URL(url);
      expect(["http:", "https:"], url).toContain(parsed.protocol);
      expect(parsed.username + parsed.password, url).toBe("");
      expect(parsed.host, url).toMatch(/^[a-z0-9.-]+(:\d+)?$/);
      expect(url, url).not.toMatch(/["<> ]|javascript/i);
    }
  });

  it("follow a well-formed proxy's forwarded host and scheme", async () => {
    const urls = await previewUrls({ host: "127.0.0.1:3000", "x-forwarded-host": "studio.example.com", "x-forwarded-proto": "https" });
    expect(urls[0]).toBe("https://studio.example.com/v/AAAAAAAAAAAAAAAAAAAAAA");
    for (const url of urls) expect(url.startsWith("https://studio.example.com/")).toBe(true);
  });

  it("use the first of several forwarded values", async () => {
    const urls = await previewUrls({ host: "127.0.0.1:3000", "x-forwarded-host": "studio.example.com, inner.proxy", "x-forwarded-proto": "https, http" });
    expect(urls[0]).toBe("https://studio.example.com/v/AAAAAAAAAAAAAAAAAAAAAA");
  });

  it("use PUBLIC_BASE_URL whatever the headers say", async () => {
    const urls = await previewUrls({ host: "evil.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "http" }, { PUBLIC_BASE_URL: "https://clips.example.org/" });
    for (const url of urls) expect(url.startsWith("https://clips.example.org/")).toBe(true);
  });

  it("fall back on the Host the request came to when the forwarded host is malformed", async () => {
    const urls = await previewUrls({ host: "studio.test:3000", "x-forwarded-host": "evil.example/x" });
    expect(urls[0]).toBe("http://studio.test:3000/v/AAAAAAAAAAAAAAAAAAAAAA");
  });
});

describe("a preview title", () => {
  it("is cut between words, with an ellipsis, when the prompt is longer than the limit", () => {
    const prompt = "A red fox trots through fresh snow at dawn while its breath steams in the cold air";
    const title = cutAtWord(prompt, 40);
    expect(title).toBe("A red fox trots through fresh snow at…");
    expect([...title].length).toBeLessThanOrEqual(40);
  });
  it("stays whole when it fits, and a single long word is cut inside it", () => {
    expect(cutAtWord("A fox  in   snow", 40)).toBe("A fox in snow");
    expect(cutAtWord("x".repeat(50), 10)).toBe(`${"x".repeat(9)}…`);
  });
  it("counts Hangul and emoji as one character each", () => {
    expect(cutAtWord("눈 덮인 숲 위로 천천히 움직이는 드론 샷", 12)).toBe("눈 덮인 숲 위로…");
  });
});
