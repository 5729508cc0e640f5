import type { z } from "zod";
import { coded, isErrorCode, type Coded, type FieldErrors } from "./codes";
import { codedFromIssueText } from "./issue-text";

function ours(issue: z.core.$ZodIssue | undefined): Coded | null {
  if (!issue) return null;
  const error = codedFromIssueText(issue.message);
  if (error && isErrorCode(error.code)) return error;
  // zod's own wording for a strict object's extra keys: say which.
  if (issue.code === "unrecognized_keys") return coded("unknown_keys", { keys: issue.keys.join(", ") });
  return null;
}

/**
 * zod issues as coded field errors by path (`"content.1.image_url.url"`, `"_"` for the whole
 * input). Our schemas word every issue with `issueText`; an issue that is not ours (zod's own
 * default) is reported as `fields_invalid` on its path rather than in zod's English.
 */
export function fieldErrorsFromZod(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join(".") : "_";
    (out[key] ??= []).push(ours(issue) ?? coded("fields_invalid"));
  }
  return out;
}

/** The first field error of a parse, for a refusal that names only one. */
export function firstIssueOf(error: z.ZodError) {
  return ours(error.issues[0]) ?? coded("fields_invalid");
}
