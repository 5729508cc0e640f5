import { describe, expect, test } from "vitest";
import { englishFieldErrorsOf } from "@/lib/errors/english";
import { parseInlineFlags, type InlineField } from "@/lib/seedance/flags";
import { generationSpecSchema } from "@/lib/seedance/schema";

type Fields = Partial<Record<InlineField, string | number | boolean>>;

describe("parseInlineFlags", () => {
  test.each<[string, string, string, Fields]>([
    ["no flags", "A fox in the snow", "A fox in the snow", {}],
    ["resolution", "A fox --rs 720p", "A fox", { resolution: "720p" }],
    ["ratio", "A fox --rt 9:16", "A fox", { ratio: "9:16" }],
    ["adaptive ratio", "A fox --rt adaptive", "A fox", { ratio: "adaptive" }],
    ["duration as a number", "A fox --dur 5", "A fox", { duration: 5 }],
    ["automatic duration", "A fox --dur -1", "A fox", { duration: -1 }],
    ["frames", "A fox --frames 121", "A fox", { frames: 121 }],
    ["fps", "A fox --fps 24", "A fox", { fps: 24 }],
    ["random seed", "A fox --seed -1", "A fox", { seed: -1 }],
    ["largest seed", "A fox --seed 4294967295", "A fox", { seed: 4_294_967_295 }],
    ["camera fixed", "A fox --cf true", "A fox", { camerafixed: true }],
    ["watermark off", "A fox --wm false", "A fox", { watermark: false }],
    [
      "every flag at once",
      "A fox --rs 1080p --rt 16:9 --dur 8 --seed 12 --cf false --wm true",
      "A fox",
      { resolution: "1080p", ratio: "16:9", duration: 8, seed: 12, camerafixed: false, watermark: true },
    ],
    ["flags in the middle of the prompt", "A fox --rs 480p running fast", "A fox running fast", { resolution: "480p" }],
    ["a bad value is kept as typed", "A fox --rs 999p --dur abc --cf maybe", "A fox", { resolution: "999p", duration: "abc", camerafixed: "maybe" }],
    ["a fractional number is kept as text", "A fox --dur 5.5", "A fox", { duration: "5.5" }],
    ["a flag without a value is kept empty", "A fox --rs", "A fox", { resolution: "" }],
    ["a flag followed by another flag has no value", "A fox --rs --dur 5", "A fox", { resolution: "", duration: 5 }],
    ["unknown flags and look-alikes stay in the prompt", "A fox --style anime --rsx 1 a--rs 720p", "A fox --style anime --rsx 1 a--rs 720p", {}],
  ])("%s", (_name, input, prompt, fields) => {
    const parsed = parseInlineFlags(input);
    expect(parsed.prompt).toBe(prompt);
    expect(parsed.fields).toEqual(fields);
    expect(parsed.found.map((f) => f.field)).toEqual(Object.keys(fields));
  });

  test("found lists each flag with its raw text, in order", () => {
    expect(parseInlineFlags("A fox --dur 5 --rs 720p").found).toEqual([
      { flag: "--dur", field: "duration", raw: "5" },
      { flag: "--rs", field: "resolution", raw: "720p" },
    ]);
  });
});

describe("every kind of value comes back as the field it names", () => {
  test.each<[string, string, Fields]>([
    ["resolution and ratio", "--rs 480p --rt adaptive", { resolution: "480p", ratio: "adaptive" }],
    ["numbers including -1", "--dur -1 --seed -1", { duration: -1, seed: -1 }],
    ["frames and fps", "--frames 289 --fps 24", { frames: 289, fps: 24 }],
    ["booleans", "--cf false --wm true", { camerafixed: false, watermark: true }],
    [
      "everything",
      "--rs 720p --rt 21:9 --dur 12 --seed 4294967295 --cf true --wm false",
      { resolution: "720p", ratio: "21:9", duration: 12, seed: 4_294_967_295, camerafixed: true, watermark: false },
    ],
  ])("%s", (_name, flags, fields) => {
    const parsed = parseInlineFlags(`A lighthouse at dusk ${flags}`);
    expect(parsed.prompt).toBe("A lighthouse at dusk");
    expect(parsed.fields).toEqual(fields);
  });
});

describe("inline flags through generationSpecSchema", () => {
  const PRO = "doubao-seedance-1-0-pro-250528";
  const P15 = "doubao-seedance-1-5-pro-251215";

  test("good flags become fields and leave the prompt", () => {
    const spec = generationSpecSchema.parse({ model: PRO, prompt: "A fox --rs 720p --rt 4:3 --frames 29 --seed 3 --cf true --wm false --fps 24" });
    expect(spec).toEqual({
      model: PRO,
      prompt: "A fox",
      resolution: "720p",
      ratio: "4:3",
      frames: 29,
      seed: 3,
      camerafixed: true,
      watermark: false,
      fps: 24,
    });
  });

  test("an explicit field wins over a flag", () => {
    const spec = generationSpecSchema.parse({ model: PRO, prompt: "A fox --rs 480p", resolution: "1080p" });
    expect(spec.resolution).toBe("1080p");
    expect(spec.prompt).toBe("A fox");
  });

  test.each<[string, string, string, string, RegExp]>([
    ["--rs 999p", PRO, "A fox --rs 999p", "resolution", /480p, 720p, 1080p or 4k/],
    ["--rs with no value", PRO, "A fox --rs", "resolution", /480p, 720p, 1080p or 4k/],
    ["--rt 2:1", PRO, "A fox --rt 2:1", "ratio", /Ratio must be one of/],
    ["--dur abc", PRO, "A fox --dur abc", "duration", /whole number/],
    ["--dur 5.5", PRO, "A fox --dur 5.5", "duration", /whole number/],
    ["--dur 20", PRO, "A fox --dur 20", "duration", /2–12/],
    ["--dur 3 on 1.5 Pro", P15, "A fox --dur 3", "duration", /Seedance 1\.5 Pro makes 4–12/],
    ["--frames 30", PRO, "A fox --frames 30", "frames", /25 \+ 4n/],
    ["--frames 121 on 1.5 Pro", P15, "A fox --frames 121", "frames", /takes no frame count/],
    ["--fps 30", PRO, "A fox --fps 30", "fps", /Only 24 fps/],
    ["--seed 5000000000", PRO, "A fox --seed 5000000000", "seed", /at most 4294967295/],
    ["--seed -7", PRO, "A fox --seed -7", "seed", /-1 \(random\)/],
    ["--cf maybe", PRO, "A fox --cf maybe", "camerafixed", /true or false/],
    ["--wm 1", PRO, "A fox --wm 1", "watermark", /true or false/],
  ])("%s is an error on its field, not a silent default", (_name, model, prompt, field, pattern) => {
    const result = generationSpecSchema.safeParse({ model, prompt });
    expect(result.success).toBe(false);
    const errors = englishFieldErrorsOf(result.error!);
    expect(Object.keys(errors)).toEqual([field]);
    expect(errors[field]!.join(" ")).toMatch(pattern);
  });

  test("a prompt made only of flags still needs words", () => {
    const result = generationSpecSchema.safeParse({ model: PRO, prompt: "--rs 720p --dur 5" });
    expect(result.success).toBe(false);
    expect(Object.keys(englishFieldErrorsOf(result.error!))).toEqual(["prompt"]);
  });
});
