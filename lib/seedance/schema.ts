/**
 * The request schemas, shared by the browser form, the server actions, the JSON API and the
 * simulator. Two shapes of one request:
 *  - the flat "spec" a creator fills in (prompt, firstFrame, lastFrame, parameters), and
 *  - the upstream wire body (`model`, `content[]`, top-level parameters).
 * Capability rules are written once, against the spec, and reported on either shape.
 */
import { z } from "zod";
import { parseInlineFlags } from "./flags";
import { capabilityIssues, imageUrlProblem, PARAMETER_KEYS, type ParameterKey } from "./rules";
import { issueText, type Coded } from "@/lib/errors/codes";
import { countCharacters, isStorableText } from "@/lib/text";

// The zod-free half of the contract lives in ./rules, so the browser can check and build
// requests without loading zod up front.
export { capabilityIssues, imageUrlProblem, PARAMETER_KEYS, referenceUrlProblem, toSeedanceRequest } from "./rules";
import { referenceUrlProblem, type ReferenceUrlMode } from "./rules";
import {
  LIMITS,
  MODEL_IDS,
  OUTPUT_FORMATS,
  PRIORITY,
  RATIOS,
  REFERENCE_ITEMS,
  RESOLUTIONS,
  SAFETY_ID_MAX_CHARS,
  SERVICE_TIERS,
  TASK_TYPES,
  TOOL_LIMITS,
  WEB_SEARCH_SOURCES,
  FPS,
  type ModelId,
  type ReferenceKind,
} from "./models";

// No `new Function` fast path: the studio runs under a CSP without 'unsafe-eval', and zod's
// probe for it would be reported as a violation in the browser.
z.config({ jitless: true });

/** A coded error as a zod issue's message (lib/errors/codes.ts: `issueText`). */
const asIssue = (error: Coded) => (issueText as (code: string, params?: object) => string)(error.code, error.params);

const imageUrlSchema = z.string({ error: issueText("image_url_not_text") }).superRefine((url, ctx) => {
  const problem = imageUrlProblem(url);
  if (problem) ctx.addIssue({ code: "custom", message: asIssue(problem) });
});

const modelSchema = z.enum(MODEL_IDS, { error: issueText("model_invalid", { choices: MODEL_IDS.join(", ") }) });
const resolutionSchema = z.enum(RESOLUTIONS, { error: issueText("resolution_invalid") });
const ratioSchema = z.enum(RATIOS, { error: issueText("ratio_invalid", { choices: RATIOS.join(", ") }) });
const durationSchema = z.int({ error: issueText("duration_not_integer") }).check(
  z.refine((d) => d === -1 || (d >= LIMITS.durationMin && d <= LIMITS.durationMax), { message: issueText("duration_invalid") }),
);
const framesSchema = z
  .int({ error: issueText("frames_not_integer") })
  .check(
    z.refine(
      (n) => n >= LIMITS.framesMin && n <= LIMITS.framesMax && (n - LIMITS.framesBase) % LIMITS.framesStep === 0,
      { message: issueText("frames_invalid") },
    ),
  );
const seedSchema = z
  .int({ error: issueText("seed_not_integer") })
  .min(LIMITS.seedMin, { error: issueText("seed_invalid") })
  .max(LIMITS.seedMax, { error: issueText("seed_too_high") });
const bool = (name: string) => z.boolean({ error: issueText("flag_not_boolean", { field: name }) });
const expirySchema = z
  .int({ error: issueText("expiry_not_integer") })
  .min(LIMITS.expiresMin, { error: issueText("expiry_too_short") })
  .max(LIMITS.expiresMax, { error: issueText("expiry_too_long") });

const tools = issueText("tools_invalid");
const toolsSchema = z
  .array(
    z.strictObject({
      type: z.literal("web_search", { error: tools }),
      limit: z.int({ error: tools }).min(TOOL_LIMITS.limitMin, { error: tools }).max(TOOL_LIMITS.limitMax, { error: tools }).optional(),
      max_keyword: z.int({ error: tools }).min(TOOL_LIMITS.keywordMin, { error: tools }).max(TOOL_LIMITS.keywordMax, { error: tools }).optional(),
      sources: z.array(z.enum(WEB_SEARCH_SOURCES, { error: tools }), { error: tools }).min(1, { error: tools }).optional(),
    }, { error: tools }),
    { error: issueText("tools_invalid") },
  )
  .max(TOOL_LIMITS.maxTools, { error: issueText("tools_invalid") });

/** Parameters that sit at the top level of the upstream body, with the same names. */
const parameterShape = {
  resolution: resolutionSchema.optional(),
  ratio: ratioSchema.optional(),
  duration: durationSchema.optional(),
  frames: framesSchema.optional(),
  seed: seedSchema.optional(),
  camerafixed: bool("Camera fixed").optional(),
  watermark: bool("Watermark").optional(),
  generate_audio: bool("Audio").optional(),
  service_tier: z.enum(SERVICE_TIERS, { error: issueText("service_tier_invalid") }).optional(),
  return_last_frame: bool("Return last frame").optional(),
  execution_expires_after: expirySchema.optional(),
  omni_reference_task_type: z.enum(TASK_TYPES, { error: issueText("task_type_invalid") }).optional(),
  output_format: z.enum(OUTPUT_FORMATS, { error: issueText("output_format_invalid") }).optional(),
  tools: toolsSchema.optional(),
  priority: z
    .int({ error: issueText("priority_invalid") })
    .min(PRIORITY.min, { error: issueText("priority_invalid") })
    .max(PRIORITY.max, { error: issueText("priority_invalid") })
    .optional(),
} satisfies Record<ParameterKey, z.ZodType>;

/** `safety_identifier`: ours to set (a keyed hash, decision 7), so a spec may carry it but our API's body may not. */
const safetyIdSchema = z
  .string({ error: issueText("safety_identifier_invalid") })
  .min(1, { error: issueText("safety_identifier_invalid") })
  .max(SAFETY_ID_MAX_CHARS, { error: issueText("safety_identifier_invalid") });

/**
 * A reference's URL, checked as `mode` says: "ours" (what a creator or our API may give: https,
 * a base64 data: URL, or one of our clips) or "upstream" (what the upstream fetches: http(s) only).
 */
const referenceUrlSchema = (kind: ReferenceKind, mode: ReferenceUrlMode) =>
  z.string({ error: issueText("reference_url_invalid", { kind }) }).superRefine((url, ctx) => {
    const problem = referenceUrlProblem(url, kind, mode);
    if (problem) ctx.addIssue({ code: "custom", message: asIssue(problem) });
  });

const referenceListSchema = (kind: ReferenceKind, mode: ReferenceUrlMode) =>
  z.array(referenceUrlSchema(kind, mode), { error: issueText("reference_url_invalid", { kind }) }).max(LIMITS.contentMaxItems - 1, { error: issueText("content_too_many") });

const referenceShape = (mode: ReferenceUrlMode) => ({
  referenceImages: referenceListSchema("image", mode).optional(),
  referenceVideos: referenceListSchema("video", mode).optional(),
  referenceAudios: referenceListSchema("audio", mode).optional(),
});

// Characters are counted as the form's counter counts them (code points: an emoji is one).
const promptSchema = z
  .string({ error: issueText("prompt_not_text") })
  .trim()
  .min(1, { error: issueText("prompt_required") })
  .refine((prompt) => countCharacters(prompt) <= LIMITS.promptMaxChars, { error: issueText("prompt_too_long", { max: LIMITS.promptMaxChars }) })
  .refine(isStorableText, { error: issueText("prompt_unstorable") });

const specObjectFor = (mode: ReferenceUrlMode) =>
  z.strictObject({
    model: modelSchema,
    prompt: promptSchema,
    firstFrame: imageUrlSchema.optional(),
    lastFrame: imageUrlSchema.optional(),
    ...referenceShape(mode),
    fps: z.literal(FPS, { error: issueText("fps_invalid") }).optional(),
    safety_identifier: safetyIdSchema.optional(),
    ...parameterShape,
  });
const specObject = specObjectFor("ours");

export type GenerationSpec = z.output<typeof specObject>;
export type SpecField = keyof GenerationSpec;

/** Move inline `--rs`-style flags from the prompt into fields (explicit fields win over flags). */
export function liftInlineFlags(input: unknown): unknown {
  if (!input || typeof input !== "object" || Array.isArray(input)) return input;
  const record = input as Record<string, unknown>;
  if (typeof record.prompt !== "string") return input;
  const { prompt, fields, found } = parseInlineFlags(record.prompt);
  if (found.length === 0) return input;
  const lifted: Record<string, unknown> = { ...record, prompt };
  for (const [field, value] of Object.entries(fields)) {
    if (lifted[field] === undefined) lifted[field] = value;
  }
  return lifted;
}

function refineCapabilities(spec: GenerationSpec, ctx: z.RefinementCtx) {
  for (const issue of capabilityIssues(spec)) {
    ctx.addIssue({ code: "custom", path: [issue.field], message: asIssue(issue.error) });
  }
}

/** Flat request fields, with the capability rules: what the form and the server action parse. */
export const generationFieldsSchema = specObject.superRefine(refineCapabilities);
/** The same rules over a spec read from an upstream body, whose references are URLs the upstream fetches. */
const upstreamFieldsSchema = specObjectFor("upstream").superRefine(refineCapabilities);

/** The same, but also accepts inline flags typed into the prompt. */
export const generationSpecSchema = z.preprocess(liftInlineFlags, generationFieldsSchema);

// ---------------------------------------------------------------------------------------------
// The upstream wire shape

const textItemSchema = z.strictObject({
  type: z.literal("text"),
  text: z.string({ error: issueText("content_text_not_text") }),
});
const imageItemSchema = z
  .strictObject({
    type: z.literal("image_url"),
    image_url: z.strictObject({ url: z.string({ error: issueText("image_url_not_text") }) }, { error: issueText("content_image_url_shape") }),
    role: z.enum(["first_frame", "last_frame", "reference_image"], { error: issueText("content_role_invalid") }).optional(),
  })
  .superRefine((item, ctx) => {
    // Frames are checked here; a reference image's URL by the spec's rules, which know who fetches it.
    if (item.role === "reference_image") return;
    const problem = imageUrlProblem(item.image_url.url);
    if (problem) ctx.addIssue({ code: "custom", path: ["image_url", "url"], message: asIssue(problem) });
  });
/** A reference video or audio item: its role is required (a missing one is a 400 upstream). */
const mediaItemSchema = <T extends "video_url" | "audio_url">(type: T, role: "reference_video" | "reference_audio") =>
  z.strictObject({
    type: z.literal(type),
    [type]: z.strictObject({ url: z.string({ error: issueText("content_media_url_shape", { type }) }) }, { error: issueText("content_media_url_shape", { type }) }),
    role: z.literal(role, { error: issueText("content_role_required", { type, role }) }),
  } as { type: z.ZodLiteral<T>; role: z.ZodLiteral<typeof role> } & Record<T, z.ZodObject<{ url: z.ZodString }>>);
const videoItemSchema = mediaItemSchema("video_url", "reference_video");
const audioItemSchema = mediaItemSchema("audio_url", "reference_audio");
const contentItemSchema = z.discriminatedUnion("type", [textItemSchema, imageItemSchema, videoItemSchema, audioItemSchema], {
  error: issueText("content_item_type"),
});
const contentSchema = z
  .array(contentItemSchema, { error: issueText("content_not_array") })
  .min(1, { error: issueText("content_empty") })
  .max(LIMITS.contentMaxItems, { error: issueText("content_too_many") });

export type SeedanceContentItem =
  | z.output<typeof textItemSchema>
  | z.output<typeof imageItemSchema>
  | { type: "video_url"; video_url: { url: string }; role: "reference_video" }
  | { type: "audio_url"; audio_url: { url: string }; role: "reference_audio" };

const wireShape = {
  model: modelSchema,
  content: contentSchema,
  ...parameterShape,
};

type WirePath = (string | number)[];

const REFERENCE_FIELDS = ["referenceImages", "referenceVideos", "referenceAudios"] as const;
type ReferenceField = (typeof REFERENCE_FIELDS)[number];
const FIELD_OF_ROLE = {
  reference_image: REFERENCE_ITEMS.image.field,
  reference_video: REFERENCE_ITEMS.video.field,
  reference_audio: REFERENCE_ITEMS.audio.field,
} as const;

/** The URL of a content item that carries media. */
function itemUrl(item: Exclude<SeedanceContentItem, { type: "text" }>): string {
  if (item.type === "image_url") return item.image_url.url;
  if (item.type === "video_url") return item.video_url.url;
  return item.audio_url.url;
}

/** Split content into a spec, remembering where each part came from for error paths. */
function specFromWire(body: { model: ModelId; content: SeedanceContentItem[] } & Record<string, unknown>) {
  const paths: Partial<Record<SpecField, WirePath>> = {};
  const referencePaths: Record<ReferenceField, WirePath[]> = { referenceImages: [], referenceVideos: [], referenceAudios: [] };
  const references: Record<ReferenceField, string[]> = { referenceImages: [], referenceVideos: [], referenceAudios: [] };
  const structural: { path: WirePath; message: string }[] = [];
  let prompt: string | undefined;
  let firstFrame: string | undefined;
  let lastFrame: string | undefined;
  body.content.forEach((item, index) => {
    if (item.type === "text") {
      if (prompt !== undefined) structural.push({ path: ["content", index], message: issueText("content_one_prompt") });
      prompt = item.text;
      paths.prompt = ["content", index, "text"];
      return;
    }
    const role = item.role ?? "first_frame";
    if (role === "first_frame" || role === "last_frame") {
      const field = role === "first_frame" ? "firstFrame" : "lastFrame";
      if ((field === "firstFrame" ? firstFrame : lastFrame) !== undefined) {
        structural.push({ path: ["content", index, "role"], message: issueText("content_one_role", { role }) });
      }
      if (field === "firstFrame") firstFrame = itemUrl(item);
      else lastFrame = itemUrl(item);
      paths[field] = ["content", index];
      return;
    }
    const field = FIELD_OF_ROLE[role];
    references[field].push(itemUrl(item));
    referencePaths[field].push(["content", index, item.type, "url"]);
  });
  const spec: Record<string, unknown> = { model: body.model, prompt: prompt ?? "", firstFrame, lastFrame };
  for (const field of REFERENCE_FIELDS) if (references[field].length) spec[field] = references[field];
  for (const key of PARAMETER_KEYS) if (body[key] !== undefined) spec[key] = body[key];
  if (body.safety_identifier !== undefined) spec.safety_identifier = body.safety_identifier;
  return { spec, paths, referencePaths, structural };
}

const CONTENT_FIELDS: readonly SpecField[] = ["prompt", "firstFrame", "lastFrame", ...REFERENCE_FIELDS];

function refineWireWith(fields: typeof generationFieldsSchema) {
  return (body: z.output<z.ZodObject<typeof wireShape>>, ctx: z.RefinementCtx) => {
    const { spec, paths, referencePaths, structural } = specFromWire(body as Parameters<typeof specFromWire>[0]);
    for (const issue of structural) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    const parsed = fields.safeParse(spec);
    if (parsed.success) return;
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as SpecField;
      const rest = issue.path.slice(1);
      let path: WirePath;
      if ((REFERENCE_FIELDS as readonly string[]).includes(field)) {
        // One reference: its item's url; the whole list (a count): its first item, else content.
        const items = referencePaths[field as ReferenceField];
        const at = typeof rest[0] === "number" ? items[rest[0]] : undefined;
        path = at ?? (typeof rest[0] === "number" ? ["content"] : (items[0]?.slice(0, 2) ?? ["content"]));
        if (at) rest.shift();
      } else {
        // Content parts that are absent (no prompt, a missing first frame) are reported on `content`.
        path = paths[field] ?? (CONTENT_FIELDS.includes(field) ? ["content"] : [field]);
      }
      ctx.addIssue({ code: "custom", path: [...path, ...rest.map(String)], message: issue.message });
    }
  };
}

/** What the upstream's `POST /seedance/videos` accepts (unknown top-level keys pass, as upstream). */
export const seedanceVideoRequestSchema = z
  .looseObject({
    ...wireShape,
    callback_url: z.url({ protocol: /^https?$/, error: issueText("callback_url_invalid") }).optional(),
    async: bool("async").optional(),
    safety_identifier: safetyIdSchema.optional(),
  })
  .superRefine(refineWireWith(upstreamFieldsSchema as unknown as typeof generationFieldsSchema));
export type SeedanceVideoRequest = z.output<typeof seedanceVideoRequestSchema>;

/** What our `POST /api/generations` accepts: the upstream body, minus what is ours to set. */
export const createGenerationBodySchema = z
  .strictObject(wireShape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? issueText("body_unknown_fields", { keys: issue.keys.join(", ") })
        : issueText("body_not_object"),
  })
  .superRefine(refineWireWith(generationFieldsSchema))
  .transform((body) => generationFieldsSchema.parse(specFromWire(body as Parameters<typeof specFromWire>[0]).spec));
