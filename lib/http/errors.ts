import "server-only";
import { AppError } from "@/lib/errors";
import { SeedanceError } from "@/lib/seedance/errors";
import { log } from "@/lib/log";
import { asStorageError } from "@/lib/storage";

/** Any thrown value as a JSON answer: expected errors with their status, the rest as a generic 500. */
export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    const headers: Record<string, string> = {};
    if (error.extra.retryAfterSec) headers["retry-after"] = String(error.extra.retryAfterSec);
    return Response.json(error.toJSON(), { status: error.status, headers });
  }
  if (error instanceof SeedanceError) {
    const status = error.kind === "rate_limited" ? 429 : error.kind === "invalid_request" ? 400 : 502;
    return Response.json({ error: { kind: "upstream", code: error.code, message: error.message, traceId: error.traceId } }, { status });
  }
  // A full disk met outside the storage layer (a database write, a temp file): 507, not a bare 500.
  const full = asStorageError(error);
  if (full !== error) {
    log().error({ err: error }, "storage full");
    return errorResponse(full);
  }
  log().error({ err: error }, "unexpected error");
  return Response.json({ error: { kind: "internal", code: "internal", message: "Something went wrong on our side. Try again." } }, { status: 500 });
}

/** A byte cap as a person reads it: "64 KB", "1.5 MB" (binary units, as the caps are written). */
