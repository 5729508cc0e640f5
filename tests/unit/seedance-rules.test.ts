import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { DEFAULT_DURATION, MODEL_IDS, MODELS, RATIOS, RESOLUTIONS, type ModelId } from "@/lib/seedance/models";
import { adaptToModel, capabilityIssues, modelSwitchChanges } from "@/lib/seedance/rules";
import type { GenerationSpec } from "@/lib/seedance/schema";

/*
 * What switching the model does to the creator's choices (the studio form's model picker):
 * values the new model cannot take fall back to what it can; everything else is kept as typed.
 */

const PRO: ModelId = "doubao-seedance-1-0-pro-250528";
const FAST: ModelId = "doubao-seedance-1-0-pro-fast-251015";
const P15: ModelId = "doubao-seedance-1-5-pro-251215";
const T2V: ModelId = "doubao-seedance-1-0-lite-t2v-250428";

const IMG = "https://cdn.example.com/first.png";

const values = (over: Partial<GenerationSpec> = {}) => ({
  model: FAST,
  prompt: "a lighthouse at dusk --not-a-flag",
  resolution: "720p" as const,
  ratio: "16:9" as const,
  duration: 5,
  seed: 42,
  camerafixed: true,
  watermark: true,
  generate_audio: false,
  service_tier: "flex" as const,
  return_last_frame: false,
  execution_expires_after: 3600,
  ...over,
});

describe("adaptToModel: switching the model", () => {
  test("keeps everything the new model can take, and sets the model", () => {
    const before = values({ firstFrame: IMG });
    const after = adaptToModel(before, PRO);
    expect(after).toEqual({ ...before, model: PRO });
  });

  test("keeps a frame the new model cannot take: the creator's image is not lost, the rules flag it", () => {
    const after = adaptToModel(values({ firstFrame: IMG }), T2V);
    expect(after.firstFrame).toBe(IMG);
    expect(capabilityIssues({ ...after }).map((issue) => issue.field)).toEqual(["firstFrame"]);
  });

  test("a resolution above the new model's best falls back to its default; one it has stays", () => {
    expect(adaptToModel(values({ resolution: "1080p" }), T2V).resolution).toBe(MODELS[T2V].defaultResolution);
    expect(adaptToModel(values({ resolution: "480p" }), T2V).resolution).toBe("480p");
  });

  test("sound and the returned last frame turn off on a model without them, and stay on one with them", () => {
    const on = values({ model: P15, generate_audio: true, return_last_frame: true });
    expect(adaptToModel(on, T2V)).toMatchObject({ generate_audio: false, return_last_frame: false });
    expect(adaptToModel(on, PRO)).toMatchObject({ generate_audio: false, return_last_frame: true });
    expect(adaptToModel({ ...on, model: P15 }, P15)).toMatchObject({ generate_audio: true, return_last_frame: true });
  });

  test("a frame count becomes the default duration on a model that counts seconds only", () => {
    const after = adaptToModel(values({ duration: undefined, frames: 121 }), P15);
    expect(after.frames).toBeUndefined();
    expect(after.duration).toBe(Math.max(MODELS[P15].durationMin, DEFAULT_DURATION));
  });

  test("a duration outside the new model's range moves to the nearest end", () => {
    expect(adaptToModel(values({ duration: 2 }), P15).duration).toBe(4);
    expect(adaptToModel(values({ duration: 12 }), P15).duration).toBe(12);
  });

  test("automatic duration (-1) stays on 1.5 Pro and becomes the default elsewhere", () => {
    expect(adaptToModel(values({ model: P15, duration: -1 }), P15).duration).toBe(-1);
    expect(adaptToModel(values({ model: P15, duration: -1 }), PRO).duration).toBe(DEFAULT_DURATION);
  });

  test("adaptive ratio without an image becomes 16:9 where it needs one; with an image, or on 1.5 Pro, it stays", () => {
    const adaptive = values({ model: P15, ratio: "adaptive" });
    expect(adaptToModel(adaptive, PRO).ratio).toBe("16:9");
    expect(adaptToModel({ ...adaptive, firstFrame: IMG }, PRO).ratio).toBe("adaptive");
    expect(adaptToModel(adaptive, P15).ratio).toBe("adaptive");
  });

  test("leaves the values it was given alone", () => {
    const before = values({ model: P15, resolution: "1080p", generate_audio: true, duration: -1 });
    const copy = structuredClone(before);
    adaptToModel(before, T2V);
    expect(before).toEqual(copy);
  });

  test("whatever a model allowed, the switch leaves nothing the new model rejects, images aside", () => {
    const model = fc.constantFrom(...MODEL_IDS);
    const length = fc.oneof(
      fc.record({ duration: fc.integer({ min: 2, max: 12 }), frames: fc.constant(undefined) }),
      fc.record({ duration: fc.constant(-1), frames: fc.constant(undefined) }),
      fc.record({ duration: fc.constant(undefined), frames: fc.integer({ min: 29, max: 289 }) }),
    );
    const spec = fc.record({
      resolution: fc.constantFrom(...RESOLUTIONS),
      ratio: fc.constantFrom(...RATIOS),
      generate_audio: fc.boolean(),
      return_last_frame: fc.boolean(),
      firstFrame: fc.constantFrom(undefined, IMG),
    });
    fc.assert(
      fc.property(model, model, length, spec, (from, to, len, rest) => {
        const before = { ...values({ model: from }), ...rest, ...len };
        const after = adaptToModel(before, to);
        const left = capabilityIssues(after).filter((issue) => issue.field !== "firstFrame" && issue.field !== "lastFrame");
        expect(left).toEqual([]);
        expect(after.model).toBe(to);
      }),
    );
  });
});

describe("modelSwitchChanges: what the note after a model switch says", () => {
  const V20: ModelId = "doubao-seedance-2-0-260128";
  const V20_FAST: ModelId = "doubao-seedance-2-0-fast-260128";

  test("1080p on 2.0 becomes 720p on 2.0 Fast, and the note says exactly that", () => {
    const before = values({ model: V20, resolution: "1080p", generate_audio: true, service_tier: undefined });
    const after = adaptToModel(before, V20_FAST);
    expect(modelSwitchChanges(before, after)).toEqual([{ field: "resolution", from: "1080p", to: "720p" }]);
  });

  test("sound, a frame count, flex and the returned last frame are each named when a switch drops them", () => {
    const sound = values({ model: P15, generate_audio: true, return_last_frame: true });
    expect(modelSwitchChanges(sound, adaptToModel(sound, T2V))).toEqual([
      { field: "generate_audio", to: "off" },
      { field: "return_last_frame", to: "off" },
    ]);
    const counted = values({ model: PRO, duration: undefined, frames: 57, service_tier: "flex" });
    expect(modelSwitchChanges(counted, adaptToModel(counted, V20_FAST))).toEqual([
      { field: "frames", from: 57, to: 5 },
      { field: "service_tier", to: "off" },
    ]);
  });

  test("a switch that keeps everything says nothing", () => {
    const before = values({ model: PRO });
    expect(modelSwitchChanges(before, adaptToModel(before, FAST))).toEqual([]);
  });

  test("whatever the choices and the models, every change it names is a real difference", () => {
    fc.assert(
      fc.property(fc.constantFrom(...MODEL_IDS), fc.constantFrom(...MODEL_IDS), fc.constantFrom(...RESOLUTIONS), fc.constantFrom(...RATIOS), fc.integer({ min: 2, max: 30 }), fc.boolean(), (from, to, resolution, ratio, duration, audio) => {
        const before = values({ model: from, resolution, ratio, duration, generate_audio: audio });
        const after = adaptToModel(before, to);
        for (const change of modelSwitchChanges(before, after)) {
          if (change.field === "resolution" || change.field === "ratio") expect(before[change.field]).not.toBe(after[change.field]);
          if (change.field === "duration") expect(before.duration).not.toBe(after.duration);
          if (change.field === "generate_audio") expect(before.generate_audio).not.toBe(after.generate_audio);
        }
        if (before.resolution !== after.resolution) expect(modelSwitchChanges(before, after).some((c) => c.field === "resolution")).toBe(true);
      }),
    );
  });
});
