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
