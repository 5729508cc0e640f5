import "server-only";
import { AppError, type ActionFailure } from "@/lib/errors";
import { appErrorResponse } from "@/lib/errors/answer";
import { log } from "@/lib/log";
import { asStorageError } from "@/lib/storage";

/**
 * The two mappers from a thrown value to an answer: `errorResponse` for route handlers (JSON)
 * and `actionFailure` for server actions. An AppError (and so a SeedanceError) is expected and
 * answered with its code; a full disk met anywhere becomes `storage_full`; anything else is
 * logged with its context and answered as `internal`, with none of its details.
 */
function expected(error: unknown, context: Record<string, unknown>, what: string): AppError {
  // A full disk met outside the storage layer (a database write, a temp file): 507, not a bare 500.
  const full = asStorageError(error);
  if (full instanceof AppError) {
    if (full !== error) log().error({ ...context, err: error }, `${what}: storage full`);
    return full;
  }
  log().error({ ...context, err: error }, what);
  return new AppError("internal");
}

/** Any thrown value as a JSON answer: `{error: {kind, code, params?, message, fieldErrors?, traceId?}}`. */
export function errorResponse(error: unknown, context: Record<string, unknown> = {}): Response {
  return appErrorResponse(expected(error, context, "unexpected error"));
}

/** Any thrown value as a server action's failure, which the form renders by its code. */
export function actionFailure(error: unknown, context: Record<string, unknown> = {}): ActionFailure {
  const known = expected(error, context, "action failed");
  return {
    ok: false,
    kind: known.kind,
    ...known.coded,
    message: known.message,
    ...(known.fieldErrors ? { fieldErrors: known.fieldErrors } : {}),
    ...(known.retryAfterSec !== undefined ? { retryAfterSec: known.retryAfterSec } : {}),
  };
}

/** A byte cap as a person reads it: "64 KB", "1.5 MB" (binary units, as the caps are written). */
