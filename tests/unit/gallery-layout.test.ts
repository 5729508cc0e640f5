import { describe, expect, test } from "vitest";
import type { Generation } from "@/lib/dto/generation";
import { aspectOf, blockIndexOf, galleryBlocks, groupTakes, isPolicyRefusal } from "@/components/gallery/layout";

const base = Date.UTC(2026, 11, 1, 12);
let n = 0;
function clip(over: Partial<Generation> & { prompt?: string; at?: number } = {}): Generation {
  const { at = n, prompt = `Clip ${n}`, ...rest } = over;
  n++;
  return {
    id: `g_${String(n).padStart(4, "0")}`,
    status: "succeeded",
    createdAt: new Date(base - at * 1000).toISOString(),
    updatedAt: new Date(base - at * 1000).toISOString(),
    model: "doubao-seedance-1-0-pro-250528",
    prompt,
    request: { model: "doubao-seedance-1-0-pro-250528", prompt, resolution: "480p", ratio: "16:9", seed: n } as Generation["request"],
    parentId: null,
    upstreamTaskId: null,
    traceId: null,
    error: null,
    storing: false,
    videoUrl: null,
    posterUrl: null,
    lastFrameUrl: null,
    width: null,
    height: null,
    duration: null,
    fps: null,
    hasAudio: null,
    bytes: null,
    seed: n,
    usage: null,
    favorite: false,
    timestamps: {},
    ...rest,
  };
}

describe("a clip's shape", () => {
  test("is its real size once known, else the ratio it asked for", () => {
    expect(aspectOf(clip({ width: 480, height: 864 }))).toBeCloseTo(480 / 864);
    expect(aspectOf(clip({ request: { ratio: "1:1" } as Generation["request"] }))).toBe(1);
    expect(aspectOf(clip({ request: { ratio: "adaptive" } as Generation["request"] }))).toBeCloseTo(16 / 9);
  });
});

describe("takes of one batch", () => {
  test("four variations of one prompt, seconds apart, are one group; other prompts are not in it", () => {
    const takes = [0, 1, 2, 3].map((i) => clip({ prompt: "A fox in the snow", at: 10 + i }));
    const other = clip({ prompt: "A lighthouse", at: 20 });
    const groups = groupTakes([...takes, other]);
    expect(groups.map((g) => g.takes.length)).toEqual([4, 1]);
  });

  test("the same prompt made again an hour later, or with other settings, is another group", () => {
    const first = clip({ prompt: "Same words", at: 0 });
    const later = clip({ prompt: "Same words", at: 3600 });
    const otherRatio = clip({ prompt: "Same words", at: 3601, request: { model: "doubao-seedance-1-0-pro-250528", prompt: "Same words", ratio: "9:16" } as Generation["request"] });
    expect(groupTakes([first, later, otherRatio]).map((g) => g.takes.length)).toEqual([1, 1, 1]);
  });
});

describe("blocks", () => {
  test("a group is one block, a failure a row of its own, and single clips run together", () => {
    const singles = Array.from({ length: 5 }, (_, i) => clip({ at: i }));
    const failed = clip({ status: "failed", at: 6 });
    const group = [0, 1].map((i) => clip({ prompt: "Twice", at: 7 + i }));
    const blocks = galleryBlocks(groupTakes([...singles, failed, ...group]));
    expect(blocks.map((b) => b.kind).filter((k, i, all) => k !== all[i - 1])).toEqual(["clips", "failure", "group"]);
    expect(blockIndexOf(blocks, failed.id)).toBe(blocks.findIndex((b) => b.kind === "failure"));
    expect(blockIndexOf(blocks, group[1]!.id)).toBe(blocks.length - 1);
  });

  test("clips made in one sitting share blocks of at most 24; a new sitting starts a new block", () => {
    const sitting = Array.from({ length: 30 }, (_, i) => clip({ at: i * 10 }));
    const later = Array.from({ length: 3 }, (_, i) => clip({ at: 100_000 + i }));
    const blocks = galleryBlocks(groupTakes([...sitting, ...later]));
    expect(blocks.map((b) => (b.kind === "clips" ? b.clips.length : 0))).toEqual([6, 24, 3]);
  });

  test("a new clip at the top changes only the first block: the others keep their keys", () => {
    // Newest first, in sittings: every ninth clip is ten minutes older than the one before it.
    let ago = 100;
    const list = Array.from({ length: 200 }, (_, i) => clip({ at: (ago += i % 9 === 0 ? 600 : 20) }));
    const before = galleryBlocks(groupTakes(list)).map((b) => b.key);
    // A minute after the newest: it joins the first block.
    const after = galleryBlocks(groupTakes([clip({ at: 700 - 60 }), ...list])).map((b) => b.key);
    expect(after).toHaveLength(before.length);
    expect(before.length).toBeGreaterThan(5);
    expect(after.slice(1)).toEqual(before.slice(1));
  });

  test("every clip is in exactly one block", () => {
    const list = Array.from({ length: 300 }, (_, i) => clip({ at: i, status: i % 17 === 0 ? "failed" : "succeeded" }));
    const ids = galleryBlocks(groupTakes(list)).flatMap((b) => (b.kind === "clips" ? b.clips : b.kind === "group" ? b.takes : [b.clip]).map((g) => g.id));
    expect(ids).toEqual(list.map((g) => g.id));
  });
});

test("a content-policy refusal is told apart from other failures", () => {
  expect(isPolicyRefusal(clip({ status: "failed", error: { code: "policy_output", message: "" } }))).toBe(true);
  expect(isPolicyRefusal(clip({ status: "failed", error: { code: "upstream_failed", message: "" } }))).toBe(false);
});
