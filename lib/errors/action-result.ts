import type { Coded, ErrorKind, FieldErrors } from "./codes";

/**
 * What every server action returns: expected failures are values the form shows, by code, in
 * the creator's language (`renderError`); `message` is the English, for logs and tests.
 * Built from a thrown error by `actionFailure` (lib/http/errors.ts).
 */
export type ActionFailure = Coded & {
  ok: false;
  kind: ErrorKind;
  message: string;
  fieldErrors?: FieldErrors;
  retryAfterSec?: number;
};

export type ActionResult<T> = { ok: true; data: T } | ActionFailure;
