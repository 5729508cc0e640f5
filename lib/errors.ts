/**
 * AppError: an expected failure with a kind that decides the HTTP status and what the
 * client may see. Anything else is unexpected: logged, answered with a generic message.
 */
export type ErrorKind =
  | "invalid"
  | "too_large"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "unprocessable"
  | "rate_limited"
  | "upstream"
  | "unavailable"
  | "storage_full"
  | "internal";

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  too_large: 413,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  /** 422: well-formed, but cannot be done as asked (an Idempotency-Key reused for another request). */
  unprocessable: 422,
  rate_limited: 429,
  upstream: 502,
  unavailable: 503,
  /** 507 Insufficient Storage: the disk (or quota) holding clips and images is full. */
  storage_full: 507,
  internal: 500,
};

const APP_ERROR_BRAND = Symbol.for("seedance-studio.AppError");

export class AppError extends Error {
  readonly [APP_ERROR_BRAND] = true;

  /** Server chunks may each hold a copy of this module: match on a registry-wide brand. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[APP_ERROR_BRAND] === true;
  }

  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly extra: { fieldErrors?: Record<string, string[]>; retryAfterSec?: number; code?: string; traceId?: string } = {},
  ) {
    super(message);
    this.name = "AppError";
  }
  get status() {
    return STATUS[this.kind];
  }
  toJSON() {
    return {
      error: {
        kind: this.kind,
        code: this.extra.code ?? this.kind,
        message: this.message,
        ...(this.extra.fieldErrors ? { fieldErrors: this.extra.fieldErrors } : {}),
        ...(this.extra.traceId ? { traceId: this.extra.traceId } : {}),
      },
    };
  }
}

/** The shape every server action returns: expected failures are values the form can show. */
export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; kind: ErrorKind; message: string; fieldErrors?: Record<string, string[]>; retryAfterSec?: number };
