/**
 * Upstream failures, in our vocabulary. The upstream's `error.code` (or, without one, the HTTP
 * status) picks one of our codes (docs/seedance-contract.md#errors); the kind and the words come
 * with that code, from lib/errors/codes.ts and the catalogues. Nothing here is worded twice.
 * The upstream `trace_id` is always kept for support.
 */
import { AppError } from "@/lib/errors/app-error";
import { englishMessage } from "@/lib/errors/english";
import { kindOf, type ErrorCode, type ErrorKind } from "@/lib/errors/codes";

/** Every documented upstream code (for `/seedance/videos` and `/seedance/tasks`) -> ours. */
export const SEEDANCE_ERROR_CODES = {
  token_mismatched: "token_mismatched",
  api_not_implemented: "api_not_implemented",
  disabled: "disabled",
  bad_request: "bad_request",
  no_token: "no_token",
  invalid_token: "invalid_token",
  token_expired: "token_expired",
  used_up: "used_up",
  no_api: "no_api",
  not_found: "not_found",
  request_too_large: "request_too_large",
  too_many_requests: "too_many_requests",
  api_error: "api_error",
  internal_error: "internal_error",
} as const satisfies Record<string, ErrorCode>;
export type SeedanceErrorCode = keyof typeof SEEDANCE_ERROR_CODES;

/** When the code is missing or unknown, the HTTP status decides. */
function codeForStatus(status: number): ErrorCode {
  if (status === 400 || status === 422) return "bad_request";
  if (status === 401) return "invalid_token";
  if (status === 402) return "used_up";
  if (status === 403) return "upstream_forbidden";
  if (status === 404) return "not_found";
  if (status === 408) return "timeout";
  if (status === 413) return "request_too_large";
  if (status === 429) return "too_many_requests";
  if (status >= 500) return "internal_error";
  if (status >= 400) return "bad_request";
  return "invalid_response";
}

/** Codes whose own words say enough: the upstream's reason is not repeated after them. */
const SELF_EXPLAINING = new Set<ErrorCode>(["policy_face", "policy_output", "policy_input"]);
const POLICY = /SensitiveContent|PrivacyInformation|PolicyViolation/i;

/** The upstream blocks real faces and sensitive content; it says so only in `error.message`. */
function policyCode(upstream: string): ErrorCode {
  if (/PrivacyInformation/i.test(upstream)) return "policy_face";
  if (/^Output/i.test(upstream)) return "policy_output";
  return "policy_input";
}

export interface UpstreamFailure {
  code: ErrorCode;
  kind: ErrorKind;
  /** The upstream's own code, when it is not ours (logs and support). */
  upstreamCode?: string;
}

/** Our code and kind for an upstream code and message (also used for failed tasks). */
export function describeUpstreamError(code: string | undefined, upstreamMessage: string | undefined, status?: number): UpstreamFailure {
  const known = code && Object.hasOwn(SEEDANCE_ERROR_CODES, code) ? SEEDANCE_ERROR_CODES[code as SeedanceErrorCode] : undefined;
  let ours: ErrorCode = known ?? (status !== undefined ? codeForStatus(status) : "upstream_error");
  const policyText = [upstreamMessage, code].find((text) => text && POLICY.test(text));
  if (policyText) ours = policyCode(policyText);
  const failure: UpstreamFailure = { code: ours, kind: kindOf(ours) };
  if (code && code !== ours) failure.upstreamCode = code;
  return failure;
}

/** The upstream's reason worth showing after our message (none for codes that say it all). */
export function upstreamDetail(code: ErrorCode, upstreamMessage: string | undefined): string | undefined {
  const reason = upstreamMessage?.trim();
  if (!reason || SELF_EXPLAINING.has(code)) return undefined;
  return reason.length > 300 ? `${reason.slice(0, 299)}…` : reason;
}

export interface SeedanceErrorInit {
  code: ErrorCode;
  status?: number;
  traceId?: string;
  retryAfterMs?: number;
  upstreamMessage?: string;
  upstreamCode?: string;
  /** The upstream's reason shown after the message (bad requests say which field). */
  detail?: string;
  /** A create the upstream surely did not start (429, connection refused): safe to send again. */
  nothingStarted?: boolean;
  cause?: unknown;
}

/** The plain shape an upstream error takes in a log line or a test. */
export interface SeedanceErrorJSON {
  kind: ErrorKind;
  code: string;
  message: string;
  traceId?: string;
  status?: number;
}

const SEEDANCE_ERROR_BRAND = Symbol.for("seedance-studio.SeedanceError");

/** An AppError raised by the upstream client, with what support and the retry rules need. */
export class SeedanceError extends AppError {
  override readonly name = "SeedanceError";
  readonly [SEEDANCE_ERROR_BRAND] = true;

  /**
   * The bundler may load this module more than once on the server (one copy per route chunk),
   * so `instanceof` checks a brand shared through the global symbol registry, not the class.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[SEEDANCE_ERROR_BRAND] === true;
  }
  /** The upstream's HTTP status (not ours: see `httpStatus`). */
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly upstreamMessage?: string;
  readonly upstreamCode?: string;
  readonly nothingStarted: boolean;

  constructor(init: SeedanceErrorInit) {
    // Every code an upstream failure maps to is one without params.
    super(init.code, {} as never, { traceId: init.traceId, detail: init.detail, cause: init.cause });
    if (init.status !== undefined) this.status = init.status;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.upstreamMessage !== undefined) this.upstreamMessage = init.upstreamMessage;
    if (init.upstreamCode !== undefined) this.upstreamCode = init.upstreamCode;
    this.nothingStarted = init.nothingStarted ?? false;
  }

  /** Our answer's status: 429 and 400 pass through; anything else the upstream did is a 502. */
  override get httpStatus(): number {
    if (this.kind === "rate_limited") return 429;
    if (this.kind === "invalid" && !SELF_EXPLAINING.has(this.code)) return 400;
    return 502;
  }

  /** Worth trying again later: rate limits, 5xx, network trouble and timeouts. */
  get retryable(): boolean {
    switch (this.kind) {
      case "rate_limited":
      case "unavailable":
        return true;
      case "upstream":
        return this.status === undefined || this.status >= 500;
      default:
        return false;
    }
  }

  toJSON(): SeedanceErrorJSON {
    return toPlainError(this);
  }
}

// -------------------------------------------------------------------------------------------
// From an HTTP answer

type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined;

function header(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

const str = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value : undefined);

/** `{error:{code,message}, trace_id}`, or `{detail}`, or plain text. */
export function upstreamErrorFields(body: unknown): { code?: string; message?: string; traceId?: string } {
  if (typeof body === "string") return { message: str(body.slice(0, 500)) };
  const record = asRecord(body);
  if (!record) return {};
  const error = asRecord(record.error);
  const detail = record.detail;
  const message =
    str(error?.message) ??
    (typeof record.error === "string" ? str(record.error) : undefined) ??
    str(detail) ??
    (Array.isArray(detail) ? str(detail.map((d) => str(asRecord(d)?.msg) ?? JSON.stringify(d)).join("; ")) : undefined) ??
    str(record.message);
  return {
    code: str(error?.code) ?? str(record.code),
    message,
    traceId: str(record.trace_id) ?? str(error?.trace_id),
  };
}

/** A non-2xx (or a 2xx without a result) as a SeedanceError. */
export function errorFromResponse(status: number, body: unknown, headers?: HeaderSource): SeedanceError {
  const fields = upstreamErrorFields(body);
  const described = describeUpstreamError(fields.code, fields.message, status);
  // A rejected field is named only in the upstream's words: keep them after ours.
  const detail = described.code === "bad_request" ? upstreamDetail(described.code, fields.message) : undefined;
  return new SeedanceError({
    code: described.code,
    upstreamCode: described.upstreamCode,
    detail,
    status,
    traceId: fields.traceId ?? header(headers, "x-trace-id"),
    retryAfterMs: parseRetryAfter(header(headers, "retry-after")),
    upstreamMessage: fields.message,
  });
}

/** Any thrown value as `{kind, code, message, traceId}`: safe to show, log or store. */
export function toPlainError(error: unknown): SeedanceErrorJSON {
  if (error instanceof SeedanceError) {
    const plain: SeedanceErrorJSON = { kind: error.kind, code: error.code, message: error.message };
    if (error.traceId !== undefined) plain.traceId = error.traceId;
    if (error.status !== undefined) plain.status = error.status;
    return plain;
  }
  return { kind: "upstream", code: "upstream_error", message: englishMessage({ code: "upstream_error", params: {} }) };
}
