import { describe, expect, test } from "vitest";
import { estimateCost } from "@/lib/seedance/pricing";

describe("cost estimate", () => {
  test.each([
    ["720p 16:9 5 s on 1.0 Pro", { model: "doubao-seedance-1-0-pro-250528", resolution: "720p", ratio: "16:9", duration: 5 }, 1248 * 704 * 121],
    ["480p 9:16 by frame count", { model: "doubao-seedance-1-0-pro-250528", resolution: "480p", ratio: "9:16", frames: 29 }, 480 * 864 * 29],
    ["1080p 1:1 12 s", { model: "doubao-seedance-1-5-pro-251215", resolution: "1080p", ratio: "1:1", duration: 12 }, 1440 * 1440 * 289],
    ["adaptive counts as 16:9 until the clip exists", { model: "doubao-seedance-1-5-pro-251215", resolution: "480p", ratio: "adaptive", duration: 4 }, 864 * 480 * 97],
  ] as const)("%s: width × height × frames / 1024", (_name, input, pixelsTimesFrames) => {
    expect(estimateCost(input).tokens).toBe(Math.round(pixelsTimesFrames / 1024));
  });

  test("audio doubles and flex halves what is billed, on 1.5 Pro", () => {
    const base = estimateCost({ model: "doubao-seedance-1-5-pro-251215", resolution: "720p", ratio: "16:9", duration: 5 });
    const audio = estimateCost({ model: "doubao-seedance-1-5-pro-251215", resolution: "720p", ratio: "16:9", duration: 5, generate_audio: true });
    const both = estimateCost({ model: "doubao-seedance-1-5-pro-251215", resolution: "720p", ratio: "16:9", duration: 5, generate_audio: true, service_tier: "flex" });
    expect(audio.billedTokens).toBe(base.billedTokens * 2);
    expect(both.billedTokens).toBe(base.billedTokens);
  });

  test("audio is ignored by models that make silent clips", () => {
    const input = { model: "doubao-seedance-1-0-pro-250528", resolution: "720p", duration: 5 } as const;
    expect(estimateCost({ ...input, generate_audio: true }).billedTokens).toBe(estimateCost(input).billedTokens);
  });

  test("money only where a price is configured", () => {
    const input = { model: "doubao-seedance-1-0-pro-250528", resolution: "720p", ratio: "16:9", duration: 5 } as const;
    expect(estimateCost(input).usd).toBeNull();
    const priced = estimateCost(input, { "doubao-seedance-1-0-pro-250528": 2.5 });
    expect(priced.usd).toBeCloseTo((priced.billedTokens / 1e6) * 2.5, 10);
    expect([estimateCost(input).priceFrom, priced.priceFrom]).toEqual([null, "configured"]);
  });

  test("the 2.x models fall back to the vendor's list price, so 2.0 Mini reads cheaper than 2.5 for the same clip", () => {
    const clip = { resolution: "720p", ratio: "16:9", duration: 5 } as const;
    const mini = estimateCost({ model: "doubao-seedance-2-0-mini-260615", ...clip });
    const v25 = estimateCost({ model: "doubao-seedance-2-5-260628", ...clip });
    expect(mini.billedTokens).toBe(v25.billedTokens);
    expect(mini.usd).toBeCloseTo((mini.billedTokens / 1e6) * 3.5, 10);
    expect(v25.usd).toBeCloseTo((v25.billedTokens / 1e6) * 10.7, 10);
    expect(mini.priceFrom).toBe("list");
    // 2.5 at 1080p and 2.0 with a reference video have prices of their own; configuration wins over the list.
    expect(estimateCost({ model: "doubao-seedance-2-5-260628", ...clip, resolution: "1080p" }).usd).toBeCloseTo((estimateCost({ model: "doubao-seedance-2-5-260628", ...clip, resolution: "1080p" }).billedTokens / 1e6) * 11.7, 10);
    const withVideo = estimateCost({ model: "doubao-seedance-2-0-260128", ...clip, referenceVideoSeconds: 3 });
    expect(withVideo.usd).toBeCloseTo((withVideo.billedTokens / 1e6) * 4.3, 10);
    expect(estimateCost({ model: "doubao-seedance-2-0-mini-260615", ...clip }, { "doubao-seedance-2-0-mini-260615": 1 }).usd).toBeCloseTo(mini.billedTokens / 1e6, 10);
  });
});

describe("SEEDANCE_PRICES", () => {
  test("is parsed per model, and a bad value is a clear configuration error", async () => {
    const { env, resetEnvForTests } = await import("@/lib/env");
    const saved = process.env.SEEDANCE_PRICES;
    try {
      process.env.SEEDANCE_PRICES = '{"doubao-seedance-1-0-pro-250528": 2.5}';
      resetEnvForTests();
      expect(env().prices).toEqual({ "doubao-seedance-1-0-pro-250528": 2.5 });
      process.env.SEEDANCE_PRICES = '{"not-a-model": 1}';
      resetEnvForTests();
      expect(() => env()).toThrow(/SEEDANCE_PRICES/);
    } finally {
      if (saved === undefined) delete process.env.SEEDANCE_PRICES;
      else process.env.SEEDANCE_PRICES = saved;
      resetEnvForTests();
    }
  });
});
