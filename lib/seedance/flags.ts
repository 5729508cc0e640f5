/**
 * Legacy inline parameters (`--rs 720p --dur 5` at the end of a prompt).
 * The upstream silently falls back to defaults on a bad value; we never send flags upstream,
 * we lift them into fields instead, keeping a bad value as it was typed so the schema reports it
 * on that field.
 */

export const INLINE_FLAGS = {
  "--rs": "resolution",
  "--rt": "ratio",
  "--dur": "duration",
  "--frames": "frames",
  "--fps": "fps",
  "--seed": "seed",
  "--cf": "camerafixed",
  "--wm": "watermark",
} as const;

export type InlineFlag = keyof typeof INLINE_FLAGS;
export type InlineField = (typeof INLINE_FLAGS)[InlineFlag];
const NUMERIC: ReadonlySet<InlineField> = new Set(["duration", "frames", "fps", "seed"]);
const BOOLEAN: ReadonlySet<InlineField> = new Set(["camerafixed", "watermark"]);

export interface ParsedFlags {
  /** The prompt with every recognised flag removed. */
  prompt: string;
  /** Field values as typed: numbers and booleans when they parse, the raw text otherwise. */
  fields: Partial<Record<InlineField, string | number | boolean>>;
  /** Flags found, in order, for chips in the UI. */
  found: { flag: InlineFlag; field: InlineField; raw: string }[];
}

const FLAG_PATTERN = /(^|\s)(--(?:rs|rt|dur|frames|fps|seed|cf|wm))(?:\s+([^\s-][^\s]*|-\d+))?(?=\s|$)/g;

function coerce(field: InlineField, raw: string): string | number | boolean {
  if (NUMERIC.has(field)) {
    return /^-?\d+$/.test(raw) ? Number(raw) : raw;
  }
  if (BOOLEAN.has(field)) {
    if (raw === "true") return true;
    if (raw === "false") return false;
    return raw;
  }
  return raw;
}

export function parseInlineFlags(text: string): ParsedFlags {
  const fields: ParsedFlags["fields"] = {};
  const found: ParsedFlags["found"] = [];
  const prompt = text
    .replace(FLAG_PATTERN, (_match, lead: string, flag: InlineFlag, value: string | undefined) => {
      const field = INLINE_FLAGS[flag];
      const raw = value ?? "";
      fields[field] = coerce(field, raw);
      found.push({ flag, field, raw });
      return lead;
    })
    .replace(/\s{2,}/g, " ")
    .trim();
  return { prompt, fields, found };
}
