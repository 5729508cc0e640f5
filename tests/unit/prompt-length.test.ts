/**
 * One counting rule for the prompt: the form's counter (countCharacters) and the server's schema
 * agree on every prompt, emoji and Hangul included. Before, the form counted UTF-16 units and
 * showed a 600-emoji prompt the server accepts as "1200 / 1000" in red.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LIMITS } from "@/lib/seedance/models";
import { generationSpecSchema } from "@/lib/seedance/schema";
import { countCharacters, isStorableText } from "@/lib/text";

const accepted = (prompt: string) => generationSpecSchema.safeParse({ model: "doubao-seedance-1-0-pro-fast-251015", prompt }).success;

describe("prompt length", () => {
  it.each([
    ["600 emoji", "😀".repeat(600), 600],
    ["a family emoji (a ZWJ sequence of 7 code points)", "👨‍👩‍👧‍👦", 7],
    ["Hangul", "눈 속의 여우", 7],
    ["plain ASCII", "a fox", 5],
    ["a lone surrogate still counts as one", "a\ud800", 2],
  ])("counts %s as the server does", (_name, prompt, expected) => {
    expect(countCharacters(prompt)).toBe(expected);
  });

  it("the limit falls at the same place for the counter and the schema", () => {
    const max = LIMITS.promptMaxChars;
    for (const unit of ["x", "😀", "여"]) {
      expect(accepted(unit.repeat(max)), `${max} × ${unit}`).toBe(true);
      expect(accepted(unit.repeat(max + 1)), `${max + 1} × ${unit}`).toBe(false);
      expect(countCharacters(unit.repeat(max))).toBe(max);
    }
  });

  it("on any storable prompt, the schema accepts exactly when the counter is within the limit", () => {
    const pieces = fc.constantFrom("a", " ", "😀", "여", "é", "\u0301", "👨‍👩‍👧");
    fc.assert(
      fc.property(fc.array(pieces, { minLength: 1, maxLength: 1100 }), (parts) => {
        const prompt = `x${parts.join("")}x`;
        fc.pre(isStorableText(prompt));
        expect(accepted(prompt)).toBe(countCharacters(prompt.trim()) <= LIMITS.promptMaxChars);
      }),
      { numRuns: 300 },
    );
  });
});
