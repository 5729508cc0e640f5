/**
 * The Seedance 2.x contract as code (docs/seedance-contract.md#seedance-2x): every rule of
 * Part 3 with a case it accepts and one it refuses, whose message names the model and the fix;
 * the new content items through both wire schemas; the body we send; the cost with references.
 */
import { describe, expect, test } from "vitest";
import type { z } from "zod";
import { englishFieldErrorsOf } from "@/lib/errors/english";
import { estimateCost } from "@/lib/seedance/pricing";
import { adaptToModel } from "@/lib/seedance/rules";
import { MODELS, OUTPUT_SIZES, type ModelId } from "@/lib/seedance/models";
import {
  createGenerationBodySchema,
  generationSpecSchema,
  seedanceVideoRequestSchema,
  toSeedanceRequest,
  type GenerationSpec,
} from "@/lib/seedance/schema";

const V20: ModelId = "doubao-seedance-2-0-260128";
const FAST: ModelId = "doubao-seedance-2-0-fast-260128";
const MINI: ModelId = "doubao-seedance-2-0-mini-260615";
const V25: ModelId = "doubao-seedance-2-5-260628";
const PRO: ModelId = "doubao-seedance-1-0-pro-250528";
const P15: ModelId = "doubao-seedance-1-5-pro-251215";

const IMG = "https://cdn.example.com/a.png";
const VID = "https://cdn.example.com/a.mp4";
const AUD = "https://cdn.example.com/a.mp3";
const FRAME = "https://cdn.example.com/first.png";
const imgs = (n: number) => Array.from({ length: n }, (_, i) => `https://cdn.example.com/img-${i}.png`);
const vids = (n: number) => Array.from({ length: n }, (_, i) => `https://cdn.example.com/vid-${i}.mp4`);
const auds = (n: number) => Array.from({ length: n }, (_, i) => `https://cdn.example.com/aud-${i}.wav`);

function errorsOf(schema: z.ZodType, input: unknown): Record<string, string[]> | null {
  const result = schema.safeParse(input);
  return result.success ? null : englishFieldErrorsOf(result.error);
}

const spec = (model: ModelId, extra: Record<string, unknown> = {}) => ({ model, prompt: "The person in image 1 waves.", ...extra });

type Expect = null | [string, RegExp];

const flatCases: [string, Record<string, unknown>, Expect][] = [
  // the four models, text only
  ...[V20, FAST, MINI, V25].map((m): [string, Record<string, unknown>, Expect] => [`${m} text only`, spec(m), null]),
  // counts per kind
  ["2.0 takes 9 reference images", spec(V20, { referenceImages: imgs(9) }), null],
  ["2.0 refuses 10 reference images", spec(V20, { referenceImages: imgs(10) }), ["referenceImages", /Seedance 2\.0 takes at most 9 reference images: remove some/]],
  ["2.5 takes 30 reference images", spec(V25, { referenceImages: imgs(30) }), null],
  ["2.5 refuses 31 reference images", spec(V25, { referenceImages: imgs(31) }), ["referenceImages", /Seedance 2\.5 takes at most 30 reference images/]],
  ["2.0 fast takes 3 reference videos", spec(FAST, { referenceVideos: vids(3) }), null],
  ["2.0 fast refuses 4 reference videos", spec(FAST, { referenceVideos: vids(4) }), ["referenceVideos", /Seedance 2\.0 Fast takes at most 3 reference videos/]],
  ["2.5 takes 10 reference videos", spec(V25, { referenceVideos: vids(10) }), null],
  ["2.5 refuses 11 reference videos", spec(V25, { referenceVideos: vids(11) }), ["referenceVideos", /Seedance 2\.5 takes at most 10 reference videos/]],
  ["2.0 mini takes 3 audio clips with an image", spec(MINI, { referenceImages: [IMG], referenceAudios: auds(3) }), null],
  ["2.0 mini refuses 4 audio clips", spec(MINI, { referenceImages: [IMG], referenceAudios: auds(4) }), ["referenceAudios", /Seedance 2\.0 Mini takes at most 3 reference audio/]],
  // all together
  ["2.0 takes 12 references together", spec(V20, { referenceImages: imgs(9), referenceVideos: vids(3) }), null],
  ["2.0 refuses 13 references together", spec(V20, { referenceImages: imgs(9), referenceVideos: vids(3), referenceAudios: auds(1) }), ["referenceImages", /Seedance 2\.0 takes at most 12 references together/]],
  ["2.5 takes 50 with its frames", spec(V25, { firstFrame: FRAME, lastFrame: FRAME, referenceImages: imgs(30), referenceVideos: vids(10), referenceAudios: auds(8) }), null],
  ["2.5 counts its frames in the 50", spec(V25, { firstFrame: FRAME, lastFrame: FRAME, referenceImages: imgs(30), referenceVideos: vids(10), referenceAudios: auds(9) }), ["referenceImages", /Seedance 2\.5 takes at most 50 references together/]],
  // modes
  ["2.0 takes a first + last frame", spec(V20, { firstFrame: FRAME, lastFrame: FRAME }), null],
  ["2.0 refuses frames with references", spec(V20, { firstFrame: FRAME, referenceImages: [IMG] }), ["firstFrame", /Seedance 2\.0 takes either first\/last frames or references, not both: remove one, or pick Seedance 2\.5/]],
  ["2.5 takes frames with references", spec(V25, { firstFrame: FRAME, referenceImages: [IMG] }), null],
  ["2.0 takes audio with a video", spec(V20, { referenceVideos: [VID], referenceAudios: [AUD] }), null],
  ["2.0 refuses audio alone", spec(V20, { referenceAudios: [AUD] }), ["referenceAudios", /Reference audio on Seedance 2\.0 needs a reference image or video too/]],
  ["2.5 takes audio alone", spec(V25, { referenceAudios: [AUD] }), null],
  ["1.x takes no references", spec(PRO, { referenceImages: [IMG] }), ["referenceImages", /Seedance 1\.0 Pro takes no reference images.*pick a Seedance 2\.x model/]],
  // resolutions
  ["2.0 makes 4k", spec(V20, { resolution: "4k" }), null],
  ["2.0 fast refuses 1080p", spec(FAST, { resolution: "1080p" }), ["resolution", /Seedance 2\.0 Fast goes up to 720p/]],
  ["2.0 mini makes 720p", spec(MINI, { resolution: "720p" }), null],
  ["2.0 mini refuses 4k", spec(MINI, { resolution: "4k" }), ["resolution", /Seedance 2\.0 Mini goes up to 720p/]],
  ["2.5 makes 1080p", spec(V25, { resolution: "1080p" }), null],
  ["2.5 refuses 4k", spec(V25, { resolution: "4k" }), ["resolution", /Seedance 2\.5 goes up to 1080p/]],
  // durations
  ["1.0 Pro takes 2 s", spec(PRO, { duration: 2 }), null],
  ["1.0 Pro refuses 15 s", spec(PRO, { duration: 15 }), ["duration", /Seedance 1\.0 Pro makes 2–12 s clips/]],
  ["2.0 takes 15 s", spec(V20, { duration: 15 }), null],
  ["2.0 takes automatic (-1)", spec(V20, { duration: -1 }), null],
  ["2.0 refuses 3 s", spec(V20, { duration: 3 }), ["duration", /Seedance 2\.0 makes 4–15 s clips \(or -1 for automatic\)/]],
  ["2.0 refuses 16 s", spec(V20, { duration: 16 }), ["duration", /Seedance 2\.0 makes 4–15 s/]],
  ["2.5 takes 30 s", spec(V25, { duration: 30 }), null],
  ["2.5 refuses 31 s", spec(V25, { duration: 31 }), ["duration", /2–30 seconds/]],
  ["2.5 refuses 2 s", spec(V25, { duration: 2 }), ["duration", /Seedance 2\.5 makes 4–30 s/]],
  // frames, audio, last frame
  ["frames on 1.0 Pro", spec(PRO, { frames: 121 }), null],
  ["frames on 2.0 are refused", spec(V20, { frames: 121 }), ["frames", /Seedance 2\.0 takes no frame count: set a duration/]],
  ["audio on 2.0 mini", spec(MINI, { generate_audio: true }), null],
  ["audio on 1.0 Pro is refused", spec(PRO, { generate_audio: true }), ["generate_audio", /Seedance 1\.0 Pro makes silent clips.*2\.x model/]],
  ["return last frame on 2.5", spec(V25, { return_last_frame: true }), null],
  ["return last frame on 2.0 is refused", spec(V20, { return_last_frame: true }), ["return_last_frame", /Seedance 2\.0 cannot return its last frame/]],
  // 2.5 with a first frame: its shape
  ["2.5 with a first frame and no ratio", spec(V25, { firstFrame: FRAME }), null],
  ["2.5 with a first frame and 16:9 is refused", spec(V25, { firstFrame: FRAME, ratio: "16:9" }), ["ratio", /Seedance 2\.5 takes its shape from the first frame: set the ratio to adaptive/]],
  ["adaptive with a reference image on 2.0", spec(V20, { referenceImages: [IMG], ratio: "adaptive" }), null],
  ["adaptive with nothing to follow on 2.0", spec(V20, { ratio: "adaptive" }), ["ratio", /Adaptive ratio follows the first frame on Seedance 2\.0/]],
  // task types
  ["2.5 edit with a reference video", spec(V25, { omni_reference_task_type: "edit", referenceVideos: [VID] }), null],
  ["2.5 edit without a reference video", spec(V25, { omni_reference_task_type: "edit", referenceImages: [IMG] }), ["omni_reference_task_type", /edit on Seedance 2\.5 needs a reference video: add one/]],
  ["2.5 extend with a reference video for 10 s", spec(V25, { omni_reference_task_type: "extend", referenceVideos: [VID], duration: 10 }), null],
  ["2.5 extend without a reference video", spec(V25, { omni_reference_task_type: "extend" }), ["omni_reference_task_type", /extend on Seedance 2\.5 needs a reference video/]],
  ["2.5 edit at -1 s", spec(V25, { omni_reference_task_type: "edit", referenceVideos: [VID], duration: -1, ratio: "adaptive" }), null],
  ["2.5 edit with a duration", spec(V25, { omni_reference_task_type: "edit", referenceVideos: [VID], duration: 8 }), ["duration", /edit on Seedance 2\.5 keeps the reference video's length: set the duration to -1/]],
  ["2.5 extend with a fixed ratio", spec(V25, { omni_reference_task_type: "extend", referenceVideos: [VID], ratio: "9:16" }), ["ratio", /extend on Seedance 2\.5 keeps the reference video's shape: set the ratio to adaptive/]],
  ["2.5 reference with an audio clip", spec(V25, { omni_reference_task_type: "reference", referenceAudios: [AUD] }), null],
  ["2.5 reference with nothing", spec(V25, { omni_reference_task_type: "reference" }), ["omni_reference_task_type", /reference task on Seedance 2\.5 needs at least one reference/]],
  ["2.5 auto with nothing", spec(V25, { omni_reference_task_type: "auto" }), null],
  ["an unknown task type", spec(V25, { omni_reference_task_type: "remix" }), ["omni_reference_task_type", /auto, reference, edit or extend/]],
  ["a task type on 2.0", spec(V20, { omni_reference_task_type: "auto" }), ["omni_reference_task_type", /omni_reference_task_type is an option of Seedance 2\.5, not of Seedance 2\.0: remove it, or pick Seedance 2\.5/]],
  // output format, tools, priority
  ["2.5 makes mov", spec(V25, { output_format: "mov" }), null],
  ["mov on 2.0 fast", spec(FAST, { output_format: "mov" }), ["output_format", /output_format is an option of Seedance 2\.5, not of Seedance 2\.0 Fast/]],
  ["an unknown output format", spec(V25, { output_format: "webm" }), ["output_format", /mp4 or mov/]],
  ["2.5 with one web search", spec(V25, { tools: [{ type: "web_search", limit: 50, max_keyword: 1, sources: ["douyin", "search_engine"] }] }), null],
  ["two tools", spec(V25, { tools: [{ type: "web_search" }, { type: "web_search" }] }), ["tools", /at most one item/]],
  ["a web search limit of 51", spec(V25, { tools: [{ type: "web_search", limit: 51 }] }), ["tools.0.limit", /limit and max_keyword of 1–50/]],
  ["an unknown search source", spec(V25, { tools: [{ type: "web_search", sources: ["bing"] }] }), ["tools.0.sources.0", /toutiao, douyin, moji, search_engine/]],
  ["tools on 1.5 Pro", spec(P15, { tools: [{ type: "web_search" }] }), ["tools", /tools is an option of Seedance 2\.5, not of Seedance 1\.5 Pro/]],
  ["priority 9 on 2.5", spec(V25, { priority: 9 }), null],
  ["priority 10", spec(V25, { priority: 10 }), ["priority", /0 to 9/]],
  ["priority on 2.0 mini", spec(MINI, { priority: 0 }), ["priority", /priority is an option of Seedance 2\.5, not of Seedance 2\.0 Mini/]],
  // service tier (decision 8) and safety identifier (decision 7)
  ["flex on 1.0 Pro", spec(PRO, { service_tier: "flex" }), null],
  ["flex on 2.0", spec(V20, { service_tier: "flex" }), ["service_tier", /Seedance 2\.0 has no flex tier: choose the default tier, or a 1\.x model/]],
  ["a 64-character safety identifier", spec(V20, { safety_identifier: "a".repeat(64) }), null],
  ["a 65-character safety identifier", spec(V20, { safety_identifier: "a".repeat(65) }), ["safety_identifier", /1–64 characters/]],
  // reference URLs as a creator may give them
  ["a data: reference image", spec(V20, { referenceImages: ["data:image/png;base64,iVBORw0KGgo="] }), null],
  ["a data: reference video", spec(V20, { referenceVideos: ["data:video/mp4;base64,AAAAIGZ0eXA="] }), null],
  ["a data: reference audio", spec(V20, { referenceImages: [IMG], referenceAudios: ["data:audio/mpeg;base64,SUQz"] }), null],
  ["one of our clips as a reference video", spec(V25, { referenceVideos: ["clip:g_abcdefghijklmnop"] }), null],
  ["a data: video of a wrong type", spec(V20, { referenceVideos: ["data:video/webm;base64,GkXf"] }), ["referenceVideos.0", /not a base64 data: URL of an accepted type/]],
  ["an http reference video", spec(V20, { referenceVideos: ["http://cdn.example.com/a.mp4"] }), ["referenceVideos.0", /reference video must be an https:\/\/ URL/]],
  ["a clip id as a reference image", spec(V20, { referenceImages: ["clip:g_abcdefghijklmnop"] }), ["referenceImages.0", /reference image must be an https:\/\/ URL/]],
];

describe("the 2.x rules on the flat spec", () => {
  test.each(flatCases)("%s", (_name, input, expected) => {
    const errors = errorsOf(generationSpecSchema, input);
    if (expected === null) {
      expect(errors).toBeNull();
      return;
    }
    const [path, pattern] = expected;
    expect(errors, `expected an error on ${path}`).not.toBeNull();
    expect(Object.keys(errors!), JSON.stringify(errors)).toContain(path);
    expect(errors![path]!.some((m) => pattern.test(m)), JSON.stringify(errors)).toBe(true);
  });
});

// -------------------------------------------------------------------------------------------

const text = (t = "Image 1 dances to audio 1, like video 1.") => ({ type: "text", text: t });
const image = (url: string, role?: string) => ({ type: "image_url", image_url: { url }, ...(role ? { role } : {}) });
const video = (url: string, role = "reference_video") => ({ type: "video_url", video_url: { url }, role });
const audio = (url: string, role = "reference_audio") => ({ type: "audio_url", audio_url: { url }, role });

describe("the upstream's own schema (what the simulator validates)", () => {
  const cases: [string, unknown, Expect][] = [
    ["references as https URLs", { model: V20, content: [text(), image(IMG, "reference_image"), video(VID), audio(AUD)] }, null],
    ["our signed http URL for a private test upstream", { model: V20, content: [text(), video("http://127.0.0.1:3000/api/media/refs/a.mp4?sig=1.x")] }, null],
    ["a data: URL for a reference video is a 400", { model: V20, content: [text(), video("data:video/mp4;base64,AAAA")] }, ["content.1.video_url.url", /must be a URL the upstream can fetch/]],
    ["a data: URL for reference audio is a 400", { model: V25, content: [text(), audio("data:audio/wav;base64,UklG")] }, ["content.1.audio_url.url", /data: URLs fail/]],
    ["a video without its role is a 400", { model: V20, content: [text(), { type: "video_url", video_url: { url: VID } }] }, ["content.1.role", /A video_url item needs role "reference_video"/]],
    ["an audio item with a video role is a 400", { model: V25, content: [text(), audio(AUD, "reference_video")] }, ["content.1.role", /needs role "reference_audio"/]],
    ["a video_url as a plain string", { model: V20, content: [text(), { type: "video_url", video_url: VID, role: "reference_video" }] }, ["content.1.video_url", /video_url must be an object/]],
    ["counts are checked on the wire too", { model: V20, content: [text(), ...vids(4).map((u) => video(u))] }, ["content.1", /at most 3 reference videos/]],
    ["a safety identifier", { model: V20, content: [text()], safety_identifier: "f".repeat(64) }, null],
  ];
  test.each(cases)("%s", (_name, input, expected) => {
    const errors = errorsOf(seedanceVideoRequestSchema, input);
    if (expected === null) return expect(errors).toBeNull();
    const [path, pattern] = expected;
    expect(Object.keys(errors ?? {}), JSON.stringify(errors)).toContain(path);
    expect(errors![path]!.some((m) => pattern.test(m)), JSON.stringify(errors)).toBe(true);
  });
});

describe("our JSON API's body", () => {
  test("takes the upstream's 2.x body with data: URLs and our clip ids, into a flat spec", () => {
    const body = {
      model: V25,
      content: [text(), image("data:image/png;base64,iVBORw0KGgo=", "reference_image"), video("clip:g_abcdefghijklmnop"), audio("https://cdn.example.com/a.wav")],
      omni_reference_task_type: "extend",
      output_format: "mov",
      priority: 3,
      duration: 10,
    };
    expect(createGenerationBodySchema.parse(body)).toEqual({
      model: V25,
      prompt: "Image 1 dances to audio 1, like video 1.",
      referenceImages: ["data:image/png;base64,iVBORw0KGgo="],
      referenceVideos: ["clip:g_abcdefghijklmnop"],
      referenceAudios: ["https://cdn.example.com/a.wav"],
      omni_reference_task_type: "extend",
      output_format: "mov",
      priority: 3,
      duration: 10,
    });
  });

  test("refuses a safety identifier: it is ours to set", () => {
    const errors = errorsOf(createGenerationBodySchema, { model: V20, content: [text()], safety_identifier: "me@example.com" });
    expect(errors?._?.join(" ")).toMatch(/safety_identifier are set by Seedance Studio/);
  });

  test("refuses an http reference: we fetch only https", () => {
    const errors = errorsOf(createGenerationBodySchema, { model: V20, content: [text(), video("http://cdn.example.com/a.mp4")] });
    expect(errors?.["content.1.video_url.url"]?.join(" ")).toMatch(/https:\/\//);
  });
});

describe("toSeedanceRequest for 2.x", () => {
  const full: GenerationSpec = {
    model: V25,
    prompt: "Extend video 1 with the dog of image 1 to audio 1.",
    referenceImages: ["media:refs/a.png", "media:refs/b.png"],
    referenceVideos: ["media:clips/g_x/video.mp4"],
    referenceAudios: ["media:refs/c.mp3"],
    omni_reference_task_type: "extend",
    duration: 10,
    ratio: "adaptive",
    output_format: "mov",
    tools: [{ type: "web_search", limit: 5 }],
    priority: 2,
    safety_identifier: "0123abcd",
    generate_audio: true,
  };
  const sign = (url: string, kind: string) => `https://studio.example.com/api/media/${url.slice(6)}?sig=${kind}`;

  test("frames first, then images, videos and audio in order, each with its role, as signed URLs", () => {
    const body = toSeedanceRequest(full, { referenceUrl: sign, callbackUrl: "https://studio.example.com/cb" });
    expect(body.content).toEqual([
      { type: "text", text: full.prompt },
      { type: "image_url", image_url: { url: "https://studio.example.com/api/media/refs/a.png?sig=image" }, role: "reference_image" },
      { type: "image_url", image_url: { url: "https://studio.example.com/api/media/refs/b.png?sig=image" }, role: "reference_image" },
      { type: "video_url", video_url: { url: "https://studio.example.com/api/media/clips/g_x/video.mp4?sig=video" }, role: "reference_video" },
      { type: "audio_url", audio_url: { url: "https://studio.example.com/api/media/refs/c.mp3?sig=audio" }, role: "reference_audio" },
    ]);
    expect(body).toMatchObject({ omni_reference_task_type: "extend", output_format: "mov", tools: [{ type: "web_search", limit: 5 }], priority: 2, safety_identifier: "0123abcd", async: true });
  });

  test("its output passes the upstream's schema and reads back as the same spec", () => {
    const body = toSeedanceRequest(full, { referenceUrl: sign });
    const parsed = seedanceVideoRequestSchema.safeParse(body);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  test("edit is sent with the adaptive ratio and the automatic length it forces; extend with the adaptive ratio", () => {
    const edit = toSeedanceRequest({ model: V25, prompt: "Make it night", referenceVideos: [VID], omni_reference_task_type: "edit" });
    expect(edit).toMatchObject({ ratio: "adaptive", duration: -1 });
    const extend = toSeedanceRequest({ model: V25, prompt: "Go on", referenceVideos: [VID], omni_reference_task_type: "extend", duration: 6 });
    expect(extend).toMatchObject({ ratio: "adaptive", duration: 6 });
  });

  test("service_tier default is never sent; flex is, on 1.x", () => {
    expect(toSeedanceRequest({ model: PRO, prompt: "x", service_tier: "default" })).not.toHaveProperty("service_tier");
    expect(toSeedanceRequest({ model: PRO, prompt: "x", service_tier: "flex" })).toMatchObject({ service_tier: "flex" });
  });
});

describe("switching to and from 2.x", () => {
  test("2.5 options and flex go on a model without them; a first frame on 2.5 makes the ratio adaptive", () => {
    const from25 = adaptToModel({ model: V25, prompt: "p", omni_reference_task_type: "auto", output_format: "mov", priority: 1, tools: [{ type: "web_search" }] }, V20);
    expect(from25).toMatchObject({ omni_reference_task_type: undefined, output_format: undefined, priority: undefined, tools: undefined });
    expect(adaptToModel({ model: PRO, prompt: "p", service_tier: "flex" }, V20).service_tier).toBeUndefined();
    expect(adaptToModel({ model: PRO, prompt: "p", service_tier: "flex" }, P15).service_tier).toBe("flex");
    expect(adaptToModel({ model: PRO, prompt: "p", firstFrame: FRAME, ratio: "16:9" }, V25).ratio).toBe("adaptive");
    expect(adaptToModel({ model: PRO, prompt: "p", resolution: "1080p" }, FAST).resolution).toBe(MODELS[FAST].defaultResolution);
  });
});

describe("the cost estimate with references", () => {
  test("reference video seconds count as tokens: (output + reference seconds) x w x h x 24 / 1024", () => {
    const [w, h] = OUTPUT_SIZES["16:9"]["720p"];
    const plain = estimateCost({ model: V20, resolution: "720p", ratio: "16:9", duration: 5 });
    const withVideo = estimateCost({ model: V20, resolution: "720p", ratio: "16:9", duration: 5, referenceVideoSeconds: 10 });
    expect(withVideo.tokens - plain.tokens).toBe(Math.round((w * h * (121 + 240)) / 1024) - Math.round((w * h * 121) / 1024));
    expect(estimateCost({ model: V20, resolution: "4k", ratio: "16:9", duration: 5 })).toMatchObject({ width: 3840, height: 2160 });
  });

  test("audio is part of a 2.x clip (not doubled) and the price comes from the configured table", () => {
    const silent = estimateCost({ model: MINI, duration: 5 }, { [MINI]: 2 });
    const sound = estimateCost({ model: MINI, duration: 5, generate_audio: true }, { [MINI]: 2 });
    expect(sound.billedTokens).toBe(silent.billedTokens);
    expect(sound.usd).toBeCloseTo((sound.billedTokens / 1e6) * 2, 9);
    expect(estimateCost({ model: P15, duration: 5, generate_audio: true }).billedTokens).toBe(2 * estimateCost({ model: P15, duration: 5 }).billedTokens);
  });

  test("an edit lasts as long as its reference video", () => {
    const edit = estimateCost({ model: V25, ratio: "16:9", resolution: "480p", duration: -1, omni_reference_task_type: "edit", referenceVideoSeconds: 8 });
    expect(edit.frames).toBe(8 * 24 + 1);
  });
});

describe("safety_identifier (decision 7)", () => {
  test("a keyed hash: stable per session, different between sessions and keys, 64 characters, nothing of the person in it", async () => {
    const { safetyIdentifier } = await import("@/lib/generations/safety-id");
    const a = safetyIdentifier("secret-1", { sessionId: "sess-a", ip: "203.0.113.9" });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(safetyIdentifier("secret-1", { sessionId: "sess-a", ip: "198.51.100.1" })).toBe(a);
    expect(safetyIdentifier("secret-1", { sessionId: "sess-b" })).not.toBe(a);
    expect(safetyIdentifier("secret-2", { sessionId: "sess-a" })).not.toBe(a);
    expect(a).not.toContain("sess-a");
    expect(safetyIdentifier("secret-1")).toBe(safetyIdentifier("secret-1", { ip: "203.0.113.9" }));
  });
});
