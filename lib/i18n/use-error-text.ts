"use client";

import { useTranslations } from "next-intl";
import { codedFromIssueText } from "@/lib/errors/issue-text";
import { renderError, type ErrorLike, type ErrorTranslator } from "@/lib/errors/render";

/**
 * Shows an error in the creator's language: a coded error (an action's failure, a row's error,
 * a JSON answer's `error`), or a form field's message (a zod issue carries its code as text).
 * Small on purpose (no code table, no patterns): it sits in the studio's first load.
 */
export function useErrorText() {
  const t = useTranslations() as unknown as ErrorTranslator;
  return (error: ErrorLike | string | null | undefined): string | undefined => {
    if (!error) return undefined;
    if (typeof error === "string") {
      const coded = codedFromIssueText(error);
      return coded ? renderError(t, coded) : error;
    }
    return renderError(t, error);
  };
}
