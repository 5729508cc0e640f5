import { describe, expect, it } from "vitest";
import type { StoryboardDto } from "@/lib/dto/storyboard";
import { filmMatches } from "@/lib/query/generations";

const PRO_FAST = "doubao-seedance-1-0-pro-fast-251015";
const V25 = "doubao-seedance-2-5-260628";

const film = (status: StoryboardDto["export"]["status"], prompts: [string, string][]): StoryboardDto =>
  ({
    id: "sb_1",
    title: "Harbour at dusk",
    items: prompts.map(([prompt, model], i) => ({ generationId: `g_${i}`, prompt, model })),
    export: { status, stuck: false, error: null, film: null },
  }) as unknown as StoryboardDto;

describe("films under the gallery's filters", () => {
  const board = film("succeeded", [
    ["a lighthouse beam sweeps the fog", PRO_FAST],
    ["gulls over the breakwater", V25],
  ]);

  it("matches every search word in the title or any clip's prompt, whatever its case", () => {
    expect(filmMatches({ q: "harbour gulls" }, board)).toBe(true);
    expect(filmMatches({ q: "LIGHTHOUSE fog" }, board)).toBe(true);
    expect(filmMatches({ q: "gulls snow" }, board)).toBe(false);
  });

  it("follows the status filter through the export's status", () => {
    expect(filmMatches({ status: "succeeded" }, board)).toBe(true);
    expect(filmMatches({ status: "failed,expired,cancelled" }, board)).toBe(false);
    expect(filmMatches({ status: "queued,submitted,running" }, film("running", [["x", PRO_FAST]]))).toBe(true);
    expect(filmMatches({ status: "queued,submitted,running" }, film("queued", [["x", PRO_FAST]]))).toBe(true);
  });

  it("keeps a film for a model one of its clips was made with, and never under Favourites", () => {
    expect(filmMatches({ model: V25 }, board)).toBe(true);
    expect(filmMatches({ model: "doubao-seedance-2-0-260128" }, board)).toBe(false);
    expect(filmMatches({ favorite: true }, board)).toBe(false);
    expect(filmMatches({}, board)).toBe(true);
  });
});
