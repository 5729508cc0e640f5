import { describe, expect, test } from "vitest";
import { englishFieldErrorsOf } from "@/lib/errors/english";
import type { z } from "zod";
import { MODEL_IDS, MODELS, type ModelId } from "@/lib/seedance/models";
import {
  createGenerationBodySchema,
  generationSpecSchema,
  seedanceVideoRequestSchema,
  toSeedanceRequest,
  type GenerationSpec,
} from "@/lib/seedance/schema";

const PRO: ModelId = "doubao-seedance-1-0-pro-250528";
const FAST: ModelId = "doubao-seedance-1-0-pro-fast-251015";
const P15: ModelId = "doubao-seedance-1-5-pro-251215";
const T2V: ModelId = "doubao-seedance-1-0-lite-t2v-250428";
const I2V: ModelId = "doubao-seedance-1-0-lite-i2v-250428";

const IMG = "https://cdn.example.com/first.png";
const IMG2 = "https://cdn.example.com/last.jpg";
const DATA_PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

const label = (model: ModelId) => MODELS[model].label;

/** Field errors as `{ "path": [messages] }`, or null when the input is valid. */
function errorsOf(schema: z.ZodType, input: unknown): Record<string, string[]> | null {
  const result = schema.safeParse(input);
  return result.success ? null : englishFieldErrorsOf(result.error);
}

const spec = (model: ModelId, extra: Record<string, unknown> = {}) => ({
  model,
  prompt: "A kitten yawning at the camera.",
  ...(MODELS[model].requiresFirstFrame ? { firstFrame: IMG } : {}),
  ...extra,
});

/** Expected: null = valid; [path, pattern] = an error on that path whose message matches. */
type Expect = null | [string, RegExp];

// -------------------------------------------------------------------------------------------
// The flat spec (form, server action, JSON API after transform)

const flatCases: [string, Record<string, unknown>, Expect][] = [
  // models
  ...MODEL_IDS.map((model): [string, Record<string, unknown>, Expect] => [`model ${model} is accepted`, spec(model), null]),
  ["an unknown model is rejected", { ...spec(PRO), model: "doubao-seedance-3-0-990101" }, ["model", /Model must be one of/]],
  // prompt
  ["a 1000-character prompt is accepted", spec(PRO, { prompt: "a".repeat(1000) }), null],
  ["a 1001-character prompt is rejected", spec(PRO, { prompt: "a".repeat(1001) }), ["prompt", /longer than 1000/]],
  ["an empty prompt is rejected", spec(PRO, { prompt: "" }), ["prompt", /Write a prompt/]],
  ["a whitespace-only prompt is rejected", spec(PRO, { prompt: "   " }), ["prompt", /Write a prompt/]],
  ["a prompt is required even with images", spec(PRO, { prompt: "", firstFrame: IMG }), ["prompt", /with or without images/]],
  // image URLs
  ["an https first frame is accepted", spec(PRO, { firstFrame: IMG }), null],
  ["a base64 PNG data URL is accepted", spec(PRO, { firstFrame: DATA_PNG }), null],
  ["a base64 JPEG data URL is accepted", spec(PRO, { firstFrame: "data:image/jpeg;base64,/9j/4AAQ" }), null],
  ["an http: URL is rejected", spec(PRO, { firstFrame: "http://cdn.example.com/a.png" }), ["firstFrame", /https:\/\//]],
  ["a javascript: URL is rejected", spec(PRO, { firstFrame: "javascript:alert(1)" }), ["firstFrame", /https:\/\//]],
  ["a data:text URL is rejected", spec(PRO, { firstFrame: "data:text/plain;base64,aGVsbG8=" }), ["firstFrame", /data: URL/]],
  ["a non-base64 data URL is rejected", spec(PRO, { firstFrame: "data:image/png,rawbytes" }), ["firstFrame", /base64/]],
  ["an SVG data URL is rejected", spec(PRO, { firstFrame: "data:image/svg+xml;base64,PHN2Zz4=" }), ["firstFrame", /not accepted/]],
  ["a URL with credentials is rejected", spec(PRO, { firstFrame: "https://user:pw@cdn.example.com/a.png" }), ["firstFrame", /credentials/]],
  ["a non-URL is rejected", spec(PRO, { firstFrame: "not a url" }), ["firstFrame", /not a valid URL/]],
  ["an image that is not a string is rejected", spec(PRO, { firstFrame: { url: IMG } }), ["firstFrame", /must be a string/]],
  // roles: first + last
  ["1.0 Pro takes first + last frame", spec(PRO, { firstFrame: IMG, lastFrame: IMG2 }), null],
  ["1.5 Pro takes first + last frame", spec(P15, { firstFrame: IMG, lastFrame: IMG2 }), null],
  ["a last frame needs a first frame", spec(PRO, { lastFrame: IMG2 }), ["lastFrame", /needs a first frame/]],
  ["Pro Fast takes a first frame", spec(FAST, { firstFrame: IMG }), null],
  ["Pro Fast rejects a last frame", spec(FAST, { firstFrame: IMG, lastFrame: IMG2 }), ["lastFrame", /Seedance 1\.0 Pro Fast takes no last frame/]],
  ["Lite i2v requires a first frame", { model: I2V, prompt: "A cat" }, ["firstFrame", /Lite \(image\) needs a first frame/]],
  ["Lite i2v takes one first frame", spec(I2V, { firstFrame: IMG }), null],
  ["Lite i2v rejects a last frame", spec(I2V, { firstFrame: IMG, lastFrame: IMG2 }), ["lastFrame", /Lite \(image\) takes no last frame/]],
  ["Lite t2v rejects a first frame", spec(T2V, { firstFrame: IMG }), ["firstFrame", /Lite \(text\) takes text only/]],
  ["Lite t2v rejects a last frame", spec(T2V, { firstFrame: IMG, lastFrame: IMG2 }), ["lastFrame", /Lite \(text\) takes no last frame/]],
  // resolution per model
  ["1.0 Pro makes 1080p", spec(PRO, { resolution: "1080p" }), null],
  ["1.5 Pro makes 1080p", spec(P15, { resolution: "1080p" }), null],
  ["Lite t2v makes 720p", spec(T2V, { resolution: "720p" }), null],
  ["Lite t2v refuses 1080p", spec(T2V, { resolution: "1080p" }), ["resolution", /Lite \(text\) goes up to 720p/]],
  ["Lite i2v refuses 1080p", spec(I2V, { resolution: "1080p" }), ["resolution", /Lite \(image\) goes up to 720p/]],
  ["an unknown resolution is rejected", spec(PRO, { resolution: "8k" }), ["resolution", /480p, 720p, 1080p or 4k/]],
  ["4k is refused on 1.0 Pro", spec(PRO, { resolution: "4k" }), ["resolution", /Seedance 1\.0 Pro goes up to 1080p/]],
  // ratio
  ["a fixed ratio is accepted", spec(PRO, { ratio: "21:9" }), null],
  ["an unknown ratio is rejected", spec(PRO, { ratio: "2:1" }), ["ratio", /Ratio must be one of/]],
  ["adaptive without an image is refused on 1.0 Pro", spec(PRO, { ratio: "adaptive" }), ["ratio", /Adaptive ratio follows the first frame on Seedance 1\.0 Pro/]],
  ["adaptive without an image is refused on Lite t2v", spec(T2V, { ratio: "adaptive" }), ["ratio", /Lite \(text\)/]],
  ["adaptive with a first frame is accepted on 1.0 Pro", spec(PRO, { ratio: "adaptive", firstFrame: IMG }), null],
  ["adaptive without an image is accepted on 1.5 Pro", spec(P15, { ratio: "adaptive" }), null],
  // duration
  ["1.0 Pro takes 2 s", spec(PRO, { duration: 2 }), null],
  ["1.0 Pro takes 12 s", spec(PRO, { duration: 12 }), null],
  ["1.0 Pro refuses 1 s", spec(PRO, { duration: 1 }), ["duration", /2–12/]],
  ["1.0 Pro refuses 13 s", spec(PRO, { duration: 13 }), ["duration", /2–12/]],
  ["1.0 Pro refuses automatic (-1)", spec(PRO, { duration: -1 }), ["duration", /Seedance 1\.0 Pro needs a duration of 2–12 s/]],
  ["a fractional duration is rejected", spec(PRO, { duration: 5.5 }), ["duration", /whole number/]],
  ["1.5 Pro takes 4 s", spec(P15, { duration: 4 }), null],
  ["1.5 Pro takes 12 s", spec(P15, { duration: 12 }), null],
  ["1.5 Pro takes automatic (-1)", spec(P15, { duration: -1 }), null],
  ["1.5 Pro refuses 3 s", spec(P15, { duration: 3 }), ["duration", /Seedance 1\.5 Pro makes 4–12 s clips \(or -1/]],
  ["1.5 Pro refuses 2 s", spec(P15, { duration: 2 }), ["duration", /Seedance 1\.5 Pro makes 4–12/]],
  // frames
  ["29 frames on 1.0 Pro", spec(PRO, { frames: 29 }), null],
  ["289 frames on 1.0 Pro", spec(PRO, { frames: 289 }), null],
  ["121 frames on Lite t2v", spec(T2V, { frames: 121 }), null],
  ["25 frames is below the range", spec(PRO, { frames: 25 }), ["frames", /25 \+ 4n between 29 and 289/]],
  ["30 frames is not 25+4n", spec(PRO, { frames: 30 }), ["frames", /25 \+ 4n/]],
  ["293 frames is above the range", spec(PRO, { frames: 293 }), ["frames", /25 \+ 4n/]],
  ["frames are refused on 1.5 Pro", spec(P15, { frames: 121 }), ["frames", /Seedance 1\.5 Pro takes no frame count/]],
  ["frames and duration together are refused", spec(PRO, { frames: 121, duration: 5 }), ["frames", /either a duration or a frame count/]],
  // seed
  ["seed -1 (random)", spec(PRO, { seed: -1 }), null],
  ["seed 0", spec(PRO, { seed: 0 }), null],
  ["seed 4294967295", spec(PRO, { seed: 4_294_967_295 }), null],
  ["seed 4294967296 is too big", spec(PRO, { seed: 4_294_967_296 }), ["seed", /at most 4294967295/]],
  ["seed -2 is too small", spec(PRO, { seed: -2 }), ["seed", /-1 \(random\)/]],
  ["a fractional seed is rejected", spec(PRO, { seed: 1.5 }), ["seed", /whole number/]],
  // booleans
  ["camerafixed true", spec(PRO, { camerafixed: true, watermark: false }), null],
  ["camerafixed must be a boolean", spec(PRO, { camerafixed: "yes" }), ["camerafixed", /true or false/]],
  ["watermark must be a boolean", spec(PRO, { watermark: 1 }), ["watermark", /true or false/]],
  // generate_audio
  ["audio on 1.5 Pro", spec(P15, { generate_audio: true }), null],
  ["audio off on 1.0 Pro", spec(PRO, { generate_audio: false }), null],
  ["audio on 1.0 Pro is refused", spec(PRO, { generate_audio: true }), ["generate_audio", /Seedance 1\.0 Pro makes silent clips/]],
  ["audio on Lite t2v is refused", spec(T2V, { generate_audio: true }), ["generate_audio", /Lite \(text\) makes silent/]],
  // service tier
  ["service tier default", spec(PRO, { service_tier: "default" }), null],
  ["service tier flex", spec(PRO, { service_tier: "flex" }), null],
  ["an unknown service tier is rejected", spec(PRO, { service_tier: "fast" }), ["service_tier", /default or flex/]],
  // return_last_frame
  ["return last frame on 1.0 Pro", spec(PRO, { return_last_frame: true }), null],
  ["return last frame on Pro Fast", spec(FAST, { return_last_frame: true }), null],
  ["return last frame on 1.5 Pro", spec(P15, { return_last_frame: true }), null],
  ["return last frame refused on Lite t2v", spec(T2V, { return_last_frame: true }), ["return_last_frame", /Lite \(text\) cannot return/]],
  ["return last frame refused on Lite i2v", spec(I2V, { return_last_frame: true }), ["return_last_frame", /Lite \(image\) cannot return/]],
  // execution_expires_after
  ["expiry 3600 s", spec(PRO, { execution_expires_after: 3600 }), null],
  ["expiry 259200 s", spec(PRO, { execution_expires_after: 259_200 }), null],
  ["expiry 3599 s is too short", spec(PRO, { execution_expires_after: 3599 }), ["execution_expires_after", /at least 3600/]],
  ["expiry 259201 s is too long", spec(PRO, { execution_expires_after: 259_201 }), ["execution_expires_after", /at most 259200/]],
  // fps and unknown keys
  ["fps 24", spec(PRO, { fps: 24 }), null],
  ["fps 30 is rejected", spec(PRO, { fps: 30 }), ["fps", /Only 24 fps/]],
  ["an unknown key is rejected", spec(PRO, { callback_url: "https://example.com/hook" }), ["_", /callback_url/]],
];

describe("generationSpecSchema (flat)", () => {
  test.each(flatCases)("%s", (_name, input, expected) => {
    const errors = errorsOf(generationSpecSchema, input);
    if (expected === null) {
      expect(errors).toBeNull();
    } else {
      const [path, pattern] = expected;
      expect(errors, `expected an error on ${path}`).not.toBeNull();
      expect(Object.keys(errors!)).toContain(path);
      expect(errors![path]!.some((m) => pattern.test(m)), JSON.stringify(errors)).toBe(true);
    }
  });

  test("every capability error names the model it is about", () => {
    const cases: [ModelId, Record<string, unknown>][] = [
      [T2V, { resolution: "1080p" }],
      [I2V, { lastFrame: IMG2 }],
      [FAST, { firstFrame: IMG, lastFrame: IMG2 }],
      [P15, { duration: 2 }],
      [PRO, { generate_audio: true }],
      [PRO, { ratio: "adaptive" }],
      [T2V, { return_last_frame: true }],
      [P15, { frames: 29 }],
    ];
    for (const [model, extra] of cases) {
      const errors = errorsOf(generationSpecSchema, spec(model, extra));
      expect(Object.values(errors ?? {}).flat().join(" ")).toContain(label(model));
    }
  });
});

// -------------------------------------------------------------------------------------------
// The wire body: the upstream's shape (seedanceVideoRequestSchema) and our JSON API's
// (createGenerationBodySchema, which refuses what is ours to set)

const text = (t = "A kitten yawning at the camera.") => ({ type: "text", text: t });
const image = (url: unknown, role?: string) => ({ type: "image_url", image_url: { url }, ...(role ? { role } : {}) });
const wire = (model: ModelId, content: unknown[], extra: Record<string, unknown> = {}) => ({ model, content, ...extra });

const wireCases: [string, Record<string, unknown>, Expect][] = [
  ["text-only 1.0 Pro", wire(PRO, [text()]), null],
  ["1.0 Pro first + last frame", wire(PRO, [text(), image(IMG, "first_frame"), image(IMG2, "last_frame")]), null],
  ["an image without a role is a first frame", wire(I2V, [text(), image(IMG)]), null],
  ["a base64 first frame", wire(PRO, [text(), image(DATA_PNG, "first_frame")]), null],
  ["all top-level parameters", wire(PRO, [text()], {
    resolution: "720p", ratio: "16:9", duration: 5, seed: 42, camerafixed: true, watermark: false,
    service_tier: "flex", return_last_frame: true, execution_expires_after: 7200,
  }), null],
  ["an unknown model", wire("doubao-seedance-9" as ModelId, [text()]), ["model", /Model must be one of/]],
  ["image_url as a plain string", wire(PRO, [text(), { type: "image_url", image_url: IMG, role: "first_frame" }]), ["content.1.image_url", /image_url must be an object/]],
  ["an http: image", wire(PRO, [text(), image("http://cdn.example.com/a.png", "first_frame")]), ["content.1.image_url.url", /https:\/\//]],
  ["a javascript: image", wire(PRO, [text(), image("javascript:alert(1)", "first_frame")]), ["content.1.image_url.url", /https:\/\//]],
  ["a data:text image", wire(PRO, [text(), image("data:text/html;base64,PGgxPg==", "first_frame")]), ["content.1.image_url.url", /data: URL/]],
  ["a reference_image role on a 1.x model", wire(PRO, [text(), image(IMG, "reference_image")]), ["content.1", /Seedance 1\.0 Pro takes no reference images/]],
  ["an unknown image role", wire(PRO, [text(), image(IMG, "style_frame")]), ["content.1.role", /first_frame, last_frame or reference_image/]],
  ["an unknown content type", wire(PRO, [text(), { type: "file_url", file_url: { url: IMG } }]), ["content.1.type", /"video_url" or "audio_url"/]],
  ["an extra key on a content item", wire(PRO, [{ ...text(), role: "first_frame" }]), ["content.0", /role/]],
  ["a prompt over 1000 characters", wire(PRO, [text("a".repeat(1001))]), ["content.0.text", /longer than 1000/]],
  ["images without a prompt", wire(PRO, [image(IMG, "first_frame")]), ["content", /Write a prompt/]],
  ["an empty content list", wire(PRO, []), ["content", /text item/]],
  ["more than 51 items", wire(PRO, [text(), ...Array.from({ length: 51 }, () => image(IMG, "reference_image"))]), ["content", /at most 50 images, videos and audio/]],
  ["two text items", wire(PRO, [text(), text("again")]), ["content.1", /one text item/]],
  ["two first frames", wire(PRO, [text(), image(IMG, "first_frame"), image(IMG2, "first_frame")]), ["content.2.role", /Only one first_frame/]],
  ["Lite t2v with an image", wire(T2V, [text(), image(IMG, "first_frame")]), ["content.1", /Seedance 1\.0 Lite \(text\) takes text only/]],
  ["Lite i2v without an image", wire(I2V, [text()]), ["content", /Seedance 1\.0 Lite \(image\) needs a first frame/]],
  ["Pro Fast with a last frame", wire(FAST, [text(), image(IMG, "first_frame"), image(IMG2, "last_frame")]), ["content.2", /Seedance 1\.0 Pro Fast takes no last frame/]],
  ["a last frame alone", wire(PRO, [text(), image(IMG2, "last_frame")]), ["content.1", /needs a first frame/]],
  ["Lite t2v at 1080p", wire(T2V, [text()], { resolution: "1080p" }), ["resolution", /Seedance 1\.0 Lite \(text\) goes up to 720p/]],
  ["1.5 Pro for 3 s", wire(P15, [text()], { duration: 3 }), ["duration", /Seedance 1\.5 Pro makes 4–12/]],
  ["frames on 1.5 Pro", wire(P15, [text()], { frames: 121 }), ["frames", /Seedance 1\.5 Pro takes no frame count/]],
  ["frames 30", wire(PRO, [text()], { frames: 30 }), ["frames", /25 \+ 4n/]],
  ["audio on 1.0 Pro", wire(PRO, [text()], { generate_audio: true }), ["generate_audio", /Seedance 1\.0 Pro makes silent/]],
  ["adaptive on 1.0 Pro text-only", wire(PRO, [text()], { ratio: "adaptive" }), ["ratio", /Seedance 1\.0 Pro/]],
  ["return last frame on Lite i2v", wire(I2V, [text(), image(IMG)], { return_last_frame: true }), ["return_last_frame", /Lite \(image\)/]],
  ["a seed out of range", wire(PRO, [text()], { seed: 4_294_967_296 }), ["seed", /at most/]],
  ["an expiry out of range", wire(PRO, [text()], { execution_expires_after: 60 }), ["execution_expires_after", /at least 3600/]],
  ["a bad service tier", wire(PRO, [text()], { service_tier: "turbo" }), ["service_tier", /default or flex/]],
];

describe.each([
  ["seedanceVideoRequestSchema", seedanceVideoRequestSchema],
  ["createGenerationBodySchema", createGenerationBodySchema],
] as const)("%s", (_name, schema) => {
  test.each(wireCases)("%s", (_case, input, expected) => {
    const errors = errorsOf(schema, input);
    if (expected === null) {
      expect(errors).toBeNull();
    } else {
      const [path, pattern] = expected;
      expect(errors, `expected an error on ${path}`).not.toBeNull();
      expect(Object.keys(errors!), JSON.stringify(errors)).toContain(path);
      expect(errors![path]!.some((m) => pattern.test(m)), JSON.stringify(errors)).toBe(true);
    }
  });
});

describe("what is ours to set", () => {
  test.each([
    ["callback_url", { callback_url: "https://studio.example.com/api/callbacks/seedance" }],
    ["async", { async: true }],
  ])("createGenerationBodySchema refuses %s", (key, extra) => {
    const errors = errorsOf(createGenerationBodySchema, wire(PRO, [text()], extra));
    expect(errors?._?.join(" ")).toMatch(new RegExp(`Unknown field\\(s\\): ${key}`));
  });

  test("seedanceVideoRequestSchema accepts callback_url, async and unknown upstream keys", () => {
    const body = wire(PRO, [text()], {
      callback_url: "https://studio.example.com/api/callbacks/seedance",
      async: true,
      safety_identifier: "u-123",
    });
    const parsed = seedanceVideoRequestSchema.parse(body);
    expect(parsed).toMatchObject({ async: true, safety_identifier: "u-123" });
  });

  test("seedanceVideoRequestSchema rejects a callback_url that is not a URL", () => {
    const errors = errorsOf(seedanceVideoRequestSchema, wire(PRO, [text()], { callback_url: "javascript:alert(1)" }));
    expect(errors?.callback_url?.[0]).toMatch(/http\(s\) URL/);
  });

  test("createGenerationBodySchema turns the wire body into a flat spec", () => {
    const parsed = createGenerationBodySchema.parse(
      wire(P15, [text(), image(IMG, "first_frame"), image(IMG2, "last_frame")], { generate_audio: true, duration: -1 }),
    );
    expect(parsed).toEqual({
      model: P15,
      prompt: "A kitten yawning at the camera.",
      firstFrame: IMG,
      lastFrame: IMG2,
      generate_audio: true,
      duration: -1,
    });
  });
});

describe("toSeedanceRequest", () => {
  const full: GenerationSpec = {
    model: PRO,
    prompt: "A dog surfing",
    firstFrame: IMG,
    lastFrame: IMG2,
    fps: 24,
    resolution: "720p",
    ratio: "adaptive",
    duration: 5,
    seed: 7,
    camerafixed: false,
    watermark: true,
    service_tier: "flex",
    return_last_frame: true,
    execution_expires_after: 3600,
  };

  test("top-level fields, images as {url} objects with roles, async true, no fps", () => {
    expect(toSeedanceRequest(full)).toEqual({
      model: PRO,
      content: [
        { type: "text", text: "A dog surfing" },
        { type: "image_url", image_url: { url: IMG }, role: "first_frame" },
        { type: "image_url", image_url: { url: IMG2 }, role: "last_frame" },
      ],
      resolution: "720p",
      ratio: "adaptive",
      duration: 5,
      seed: 7,
      camerafixed: false,
      watermark: true,
      service_tier: "flex",
      return_last_frame: true,
      execution_expires_after: 3600,
      async: true,
    });
  });

  test("a text-only spec sends only what was set, never inline flags", () => {
    const spec = generationSpecSchema.parse({ model: FAST, prompt: "A storm --rs 480p --dur 4" });
    const body = toSeedanceRequest(spec, { callbackUrl: "https://studio.example.com/hook" });
    expect(body).toEqual({
      model: FAST,
      content: [{ type: "text", text: "A storm" }],
      resolution: "480p",
      duration: 4,
      async: true,
      callback_url: "https://studio.example.com/hook",
    });
    expect(JSON.stringify(body)).not.toContain("--");
  });

  test("imageUrl maps stored images to what the upstream can fetch", () => {
    const body = toSeedanceRequest(generationSpecSchema.parse(spec(I2V, { firstFrame: IMG })), {
      imageUrl: (url) => url.replace("cdn.example.com", "media.example.com"),
    });
    expect(body.content[1]).toEqual({ type: "image_url", image_url: { url: "https://media.example.com/first.png" }, role: "first_frame" });
  });

  test("its output passes the upstream schema and comes back as the same spec", () => {
    const withoutFps: Partial<GenerationSpec> = { ...full };
    delete withoutFps.fps;
    const body = toSeedanceRequest(full);
    expect(seedanceVideoRequestSchema.safeParse(body).success).toBe(true);
    // Our JSON API takes the same body, minus `async`, which is ours to set.
    const apiBody: Record<string, unknown> = { ...body };
    delete apiBody.async;
    expect(createGenerationBodySchema.parse(apiBody)).toEqual(withoutFps);
  });
});
