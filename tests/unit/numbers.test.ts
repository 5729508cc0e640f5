import { describe, expect, test } from "vitest";
import { formatNumber, numberKey, preformatNumbers } from "@/lib/i18n/numbers";

describe("numbers formatted ahead of time", () => {
  test("each style formats as the interface shows it, in both languages", () => {
    expect(formatNumber("en", 108_000, "compact")).toBe("108K");
    expect(formatNumber("en", 1_234_567, "compact")).toBe("1.2M");
    expect(formatNumber("ko", 108_000, "compact")).toBe("10.8만");
    expect(formatNumber("en", 0.4212, "usd")).toBe("$0.42");
    expect(formatNumber("en", 5, "tenths")).toBe("5.0");
    expect(formatNumber("en", 5.0416, "seconds")).toBe("5.04");
  });

  test("the server's text is keyed by value and style; missing or non-finite values are skipped", () => {
    const numbers = preformatNumbers("en", [
      [108_000, "compact"],
      [5.04, "tenths"],
      [null, "usd"],
      [undefined, "compact"],
      [Number.NaN, "compact"],
    ]);
    expect(numbers).toEqual({ [numberKey(108_000, "compact")]: "108K", [numberKey(5.04, "tenths")]: "5.0" });
  });
});
