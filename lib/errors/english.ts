import "server-only";
import { createTranslator } from "next-intl";
import en from "@/lib/i18n/messages/en.json";
import type { z } from "zod";
import { isErrorCode, type Coded, type FieldErrors } from "./codes";
import { codedFromIssueText } from "./issue-text";
import { fieldErrorsFromZod } from "./zod";
import { renderError, type ErrorTranslator } from "./render";

/**
 * The server's English, rendered from the English catalogue: the `message` of JSON answers (for
 * scripts), log lines and the message kept on rows beside their code. Never a second copy of the
 * words: the browser renders the same entries in the creator's language.
 */
const translator = createTranslator({ locale: "en", messages: en }) as unknown as ErrorTranslator;

export function englishMessage(error: Coded): string {
  return renderError(translator, error);
}

/** A zod issue's message in English (our issues carry a code: see `issueText`). */
export function englishIssue(text: string): string {
  const error = codedFromIssueText(text);
  return error && isErrorCode(error.code) ? englishMessage(error) : text;
}

/** A failed parse as English field errors by path. */
export function englishFieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  return englishFieldErrors(fieldErrorsFromZod(error));
}

/** Field errors as `{ "content.1.image_url.url": ["..."] }`, the shape every 400 answer carries. */
export function englishFieldErrors(fieldErrors: FieldErrors): Record<string, string[]> {
  return Object.fromEntries(Object.entries(fieldErrors).map(([path, errors]) => [path, errors.map(englishMessage)]));
}
