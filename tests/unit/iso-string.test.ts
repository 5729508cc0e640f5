import { describe, expect, test } from "vitest";
import { isoString } from "@/lib/time";

describe("isoString", () => {
  test("writes what toISOString writes, across the years and the clock", () => {
    const edges = [0, 1, 999, Date.UTC(1000, 0, 1), Date.UTC(1999, 11, 31, 23, 59, 59, 999), Date.UTC(2026, 1, 28, 9, 5, 7, 40), Date.UTC(9999, 11, 31, 23, 59, 59, 999)];
    // A fixed walk over four millennia, so a failure names the same dates every run.
    const walk = Array.from({ length: 5000 }, (_, i) => Date.UTC(1000, 0, 1) + i * 25_249_361_977);
    for (const time of [...edges, ...walk]) expect(isoString(new Date(time)), String(time)).toBe(new Date(time).toISOString());
  });

  test("years ISO writes with a sign or padding, as the built-in does", () => {
    for (const time of [Date.UTC(999, 5, 1), Date.UTC(-1, 0, 1), Date.UTC(10000, 0, 1)]) expect(isoString(new Date(time))).toBe(new Date(time).toISOString());
  });

  test("an invalid date throws as toISOString does", () => {
    expect(() => isoString(new Date(Number.NaN))).toThrow(RangeError);
  });
});
