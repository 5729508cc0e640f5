import type { AppError } from "@/lib/errors";
import { englishFieldErrors } from "@/lib/errors/english";

/**
 * An AppError as a JSON answer: `{error: {kind, code, params?, message, fieldErrors?, traceId?}}`.
 * Kept apart from lib/http/errors (which logs and knows the storage layer) so the proxy can answer its
 * 401s in the same shape without loading either.
 */
export function appErrorResponse(known: AppError): Response {
  // An error answer is about this request only: never worth a cache's keeping.
  const headers: Record<string, string> = { "cache-control": "no-store" };
  if (known.retryAfterSec) headers["retry-after"] = String(known.retryAfterSec);
  // RFC 9110 asks a 401 to name how to authenticate: here, the session cookie of the sign-in page.
  if (known.httpStatus === 401) headers["www-authenticate"] = 'Cookie realm="studio"';
  const body = {
    kind: known.kind,
    code: known.code,
    ...(Object.keys(known.params).length ? { params: known.params } : {}),
    // English for scripts; a browser renders `code` with `params` in the creator's language.
    message: known.message,
    ...(known.detail ? { detail: known.detail } : {}),
    ...(known.fieldErrors ? { fieldErrors: englishFieldErrors(known.fieldErrors) } : {}),
    ...(known.traceId ? { traceId: known.traceId } : {}),
  };
  return Response.json({ error: body }, { status: known.httpStatus, headers });
}
