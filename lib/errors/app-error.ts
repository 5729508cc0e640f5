import { isErrorCode, kindOf, statusOf, type ArgsWith, type Coded, type ErrorCode, type ErrorKind, type ErrorParamValue, type FieldErrors } from "./codes";
import { englishMessage } from "./english";

/** The HTTP status of each kind (the upstream's errors choose their own: lib/seedance/errors.ts). */
const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  too_large: 413,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  rate_limited: 429,
  credit: 402,
  upstream: 502,
  unavailable: 503,
  /** 507 Insufficient Storage: the disk (or quota) holding clips and images is full. */
  storage_full: 507,
  internal: 500,
};

export interface ErrorExtra {
  /** Errors of single fields, by path; the error itself then sums them up. */
  fieldErrors?: FieldErrors;
  retryAfterSec?: number;
  traceId?: string;
  /** The upstream's own words, shown after the message (never translated). */
  detail?: string;
  cause?: unknown;
}

const APP_ERROR_BRAND = Symbol.for("seedance-studio.AppError");

/**
 * The one error type: an expected failure with a code from lib/errors/codes.ts, the params its
 * message is rendered with, and the kind its code implies. `message` is the English rendering
 * (for logs and scripts); a browser renders the code in the creator's language instead.
 * Anything thrown that is not an AppError is unexpected: logged, answered as `internal`.
 */
export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  readonly [APP_ERROR_BRAND] = true;
  readonly code: C;
  readonly params: Readonly<Record<string, ErrorParamValue>>;
  readonly fieldErrors?: FieldErrors;
  readonly retryAfterSec?: number;
  readonly traceId?: string;
  readonly detail?: string;

  /** Server chunks may each hold a copy of this module: match on a registry-wide brand. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[APP_ERROR_BRAND] === true;
  }

  constructor(code: C, ...[params, extra = {}]: ArgsWith<C, ErrorExtra>) {
    // The types refuse an unlisted code; a cast one must not slip through as a kind-less error either.
    if (!isErrorCode(code)) throw new TypeError(`Unlisted error code: ${String(code)}`);
    const values = params ?? {};
    super(englishMessage({ code, params: values, detail: extra.detail } as Coded), extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = "AppError";
    this.code = code;
    this.params = values;
    if (extra.fieldErrors) this.fieldErrors = extra.fieldErrors;
    if (extra.retryAfterSec !== undefined) this.retryAfterSec = extra.retryAfterSec;
    if (extra.traceId !== undefined) this.traceId = extra.traceId;
    if (extra.detail !== undefined) this.detail = extra.detail;
  }

  /** An AppError from an error as data (a check's result, a field error). */
  static from(error: Coded, extra: ErrorExtra = {}): AppError {
    return new AppError(error.code, error.params as never, { ...(error.detail ? { detail: error.detail } : {}), ...extra });
  }

  /** What the creator can do about it. */
  get kind(): ErrorKind {
    return kindOf(this.code);
  }

  get httpStatus(): number {
    return statusOf(this.code) ?? STATUS[this.kind];
  }

  /** The error as data, for a row, an event or a browser. */
  get coded(): Coded {
    return { code: this.code, params: this.params, ...(this.detail ? { detail: this.detail } : {}) } as Coded;
  }
}

/** An error the catalogue can show, from anything thrown: AppErrors as they are, the rest as `internal`. */
export function codedOf(error: unknown): Coded {
  return error instanceof AppError ? error.coded : { code: "internal", params: {} };
}
