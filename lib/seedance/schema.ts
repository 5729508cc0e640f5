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

const imageUrlSchema = z.string({ error: "Image URL must be a string." }).superRefine((url, ctx) => {
  const problem = imageUrlProblem(url);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const modelSchema = z.enum(MODEL_IDS, { error: `Model must be one of: ${MODEL_IDS.join(", ")}.` });
const resolutionSchema = z.enum(RESOLUTIONS, { error: "Resolution must be 480p, 720p or 1080p." });
const ratioSchema = z.enum(RATIOS, { error: `Ratio must be one of ${RATIOS.join(", ")}.` });
const durationSchema = z.int({ error: "Duration must be a whole number of seconds." }).check(
  z.refine((d) => d === -1 || (d >= 2 && d <= 12), { message: "Duration must be 2–12 seconds (or -1 for automatic on 1.5 Pro)." }),
);
const framesSchema = z
  .int({ error: "Frames must be a whole number." })
  .check(
    z.refine(
      (n) => n >= LIMITS.framesMin && n <= LIMITS.framesMax && (n - LIMITS.framesBase) % LIMITS.framesStep === 0,
      { message: "Frames must be 25 + 4n between 29 and 289 (29, 33, 37, ... 289)." },
    ),
  );
const seedSchema = z
  .int({ error: "Seed must be a whole number." })
  .min(LIMITS.seedMin, { error: "Seed must be -1 (random) or between 0 and 4294967295." })
  .max(LIMITS.seedMax, { error: "Seed must be at most 4294967295." });
const bool = (name: string) => z.boolean({ error: `${name} must be true or false.` });
const expirySchema = z
  .int({ error: "Task expiry must be a whole number of seconds." })
  .min(LIMITS.expiresMin, { error: "Task expiry must be at least 3600 seconds (1 hour)." })
  .max(LIMITS.expiresMax, { error: "Task expiry must be at most 259200 seconds (72 hours)." });

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
  service_tier: z.enum(SERVICE_TIERS, { error: "Service tier must be default or flex." }).optional(),
  return_last_frame: bool("Return last frame").optional(),
  execution_expires_after: expirySchema.optional(),
} satisfies Record<ParameterKey, z.ZodType>;

// Characters are counted as the form's counter counts them (code points: an emoji is one).
const promptSchema = z
  .string({ error: "Prompt must be text." })
  .trim()
  .min(1, { error: "Write a prompt: every request needs one, with or without images." })
  .refine((prompt) => countCharacters(prompt) <= LIMITS.promptMaxChars, { error: `Prompt is longer than ${LIMITS.promptMaxChars} characters: shorten it.` })
  .refine(isStorableText, { error: "Prompt has a character that cannot be sent (a NUL, or half of an emoji): retype or remove it." });

const specObject = z.strictObject({
  model: modelSchema,
  prompt: promptSchema,
  firstFrame: imageUrlSchema.optional(),
  lastFrame: imageUrlSchema.optional(),
  fps: z.literal(FPS, { error: "Only 24 fps is available." }).optional(),
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
    ctx.addIssue({ code: "custom", path: [issue.field], message: issue.message });
  }
});

/** The same, but also accepts inline flags typed into the prompt. */
export const generationSpecSchema = z.preprocess(liftInlineFlags, generationFieldsSchema);

// ---------------------------------------------------------------------------------------------
// The upstream wire shape

const textItemSchema = z.strictObject({
  type: z.literal("text"),
  text: z.string({ error: "text must be a string." }),
});
const imageItemSchema = z.strictObject({
  type: z.literal("image_url"),
  image_url: z.strictObject(
    { url: imageUrlSchema },
    { error: 'image_url must be an object: {"url": "https://..."} or {"url": "data:image/...;base64,..."}.' },
  ),
  role: z.enum(["first_frame", "last_frame"], { error: "role must be first_frame or last_frame." }).optional(),
});
const contentItemSchema = z.discriminatedUnion("type", [textItemSchema, imageItemSchema], {
  error: 'Each content item needs type "text" or "image_url".',
});
const contentSchema = z
  .array(contentItemSchema, { error: "content must be an array of items." })
  .min(1, { error: "content needs a text item with the prompt." })
  .max(3, { error: "content takes one text item and at most two images." });

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
      if (prompt !== undefined) structural.push({ path: ["content", index], message: "Put the whole prompt in one text item." });
      prompt = item.text;
      paths.prompt = ["content", index, "text"];
    } else {
      const role = item.role ?? "first_frame";
      const field = role === "first_frame" ? "firstFrame" : "lastFrame";
      if ((field === "firstFrame" ? firstFrame : lastFrame) !== undefined) {
        structural.push({ path: ["content", index, "role"], message: `Only one ${role} image is allowed.` });
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
    callback_url: z.url({ protocol: /^https?$/, error: "callback_url must be an http(s) URL." }).optional(),
    async: bool("async").optional(),
  })
  .superRefine(refineWire);
export type SeedanceVideoRequest = z.output<typeof seedanceVideoRequestSchema>;

/** What our `POST /api/generations` accepts: the upstream body, minus what is ours to set. */
export const createGenerationBodySchema = z
  .strictObject(wireShape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `Unknown field(s): ${issue.keys.join(", ")}. callback_url and async are set by Seedance Studio.`
        : "The body must be a JSON object.",
  })
  .superRefine(refineWire)
  .transform((body) => generationFieldsSchema.parse(specFromWire(body).spec));

/** zod issues as `{ "content.1.image_url.url": ["..."] }`, the shape every 400 answer uses. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join(".") : "_";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}
