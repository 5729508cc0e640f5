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
export { capabilityIssues, imageUrlProblem, PARAMETER_KEYS, toSeedanceRequest } from "./rules";
import {
  LIMITS,
  MODEL_IDS,
  RATIOS,
  RESOLUTIONS,
  SERVICE_TIERS,
  FPS,
  type ModelId,
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
  z.refine((d) => d === -1 || (d >= 2 && d <= 12), { message: issueText("duration_invalid") }),
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
} satisfies Record<ParameterKey, z.ZodType>;

// Characters are counted as the form's counter counts them (code points: an emoji is one).
const promptSchema = z
  .string({ error: issueText("prompt_not_text") })
  .trim()
  .min(1, { error: issueText("prompt_required") })
  .refine((prompt) => countCharacters(prompt) <= LIMITS.promptMaxChars, { error: issueText("prompt_too_long", { max: LIMITS.promptMaxChars }) })
  .refine(isStorableText, { error: issueText("prompt_unstorable") });

const specObject = z.strictObject({
  model: modelSchema,
  prompt: promptSchema,
  firstFrame: imageUrlSchema.optional(),
  lastFrame: imageUrlSchema.optional(),
  fps: z.literal(FPS, { error: issueText("fps_invalid") }).optional(),
  ...parameterShape,
});

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

/** Flat request fields, with the capability rules: what the form and the server action parse. */
export const generationFieldsSchema = specObject.superRefine((spec, ctx) => {
  for (const issue of capabilityIssues(spec)) {
    ctx.addIssue({ code: "custom", path: [issue.field], message: asIssue(issue.error) });
  }
});

/** The same, but also accepts inline flags typed into the prompt. */
export const generationSpecSchema = z.preprocess(liftInlineFlags, generationFieldsSchema);

// ---------------------------------------------------------------------------------------------
// The upstream wire shape

const textItemSchema = z.strictObject({
  type: z.literal("text"),
  text: z.string({ error: issueText("content_text_not_text") }),
});
const imageItemSchema = z.strictObject({
  type: z.literal("image_url"),
  image_url: z.strictObject(
    { url: imageUrlSchema },
    { error: issueText("content_image_url_shape") },
  ),
  role: z.enum(["first_frame", "last_frame"], { error: issueText("content_role_invalid") }).optional(),
});
const contentItemSchema = z.discriminatedUnion("type", [textItemSchema, imageItemSchema], {
  error: issueText("content_item_type"),
});
const contentSchema = z
  .array(contentItemSchema, { error: issueText("content_not_array") })
  .min(1, { error: issueText("content_empty") })
  .max(3, { error: issueText("content_too_many") });

export type SeedanceContentItem = z.output<typeof contentItemSchema>;

const wireShape = {
  model: modelSchema,
  content: contentSchema,
  ...parameterShape,
};

type WirePath = (string | number)[];

/** Split content into a spec, remembering where each part came from for error paths. */
function specFromWire(body: { model: ModelId; content: SeedanceContentItem[] } & Record<string, unknown>) {
  const paths: Partial<Record<SpecField, WirePath>> = {};
  const structural: { path: WirePath; message: string }[] = [];
  let prompt: string | undefined;
  let firstFrame: string | undefined;
  let lastFrame: string | undefined;
  body.content.forEach((item, index) => {
    if (item.type === "text") {
      if (prompt !== undefined) structural.push({ path: ["content", index], message: issueText("content_one_prompt") });
      prompt = item.text;
      paths.prompt = ["content", index, "text"];
    } else {
      const role = item.role ?? "first_frame";
      const field = role === "first_frame" ? "firstFrame" : "lastFrame";
      if ((field === "firstFrame" ? firstFrame : lastFrame) !== undefined) {
        structural.push({ path: ["content", index, "role"], message: issueText("content_one_role", { role }) });
      }
      if (field === "firstFrame") firstFrame = item.image_url.url;
      else lastFrame = item.image_url.url;
      paths[field] = ["content", index];
    }
  });
  const spec: Record<string, unknown> = { model: body.model, prompt: prompt ?? "", firstFrame, lastFrame };
  for (const key of PARAMETER_KEYS) if (body[key] !== undefined) spec[key] = body[key];
  return { spec, paths, structural };
}

function refineWire(body: z.output<z.ZodObject<typeof wireShape>>, ctx: z.RefinementCtx) {
  const { spec, paths, structural } = specFromWire(body);
  for (const issue of structural) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  const parsed = generationFieldsSchema.safeParse(spec);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as SpecField;
    // Content parts that are absent (no prompt, a missing first frame) are reported on `content`.
    const path = paths[field] ?? (field === "prompt" || field === "firstFrame" || field === "lastFrame" ? ["content"] : [field]);
    ctx.addIssue({ code: "custom", path: [...path, ...issue.path.slice(1).map(String)], message: issue.message });
  }
}

/** What the upstream's `POST /seedance/videos` accepts (unknown top-level keys pass, as upstream). */
export const seedanceVideoRequestSchema = z
  .looseObject({
    ...wireShape,
    callback_url: z.url({ protocol: /^https?$/, error: issueText("callback_url_invalid") }).optional(),
    async: bool("async").optional(),
  })
  .superRefine(refineWire);
export type SeedanceVideoRequest = z.output<typeof seedanceVideoRequestSchema>;

/** What our `POST /api/generations` accepts: the upstream body, minus what is ours to set. */
export const createGenerationBodySchema = z
  .strictObject(wireShape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? issueText("body_unknown_fields", { keys: issue.keys.join(", ") })
        : issueText("body_not_object"),
  })
  .superRefine(refineWire)
  .transform((body) => generationFieldsSchema.parse(specFromWire(body).spec));
