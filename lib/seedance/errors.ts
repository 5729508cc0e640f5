/**
 * Upstream failures as one error class. The HTTP status and `error.code` decide the kind
 * (docs/seedance-contract.md#errors); the message says, in plain words, what to do next.
 * The upstream `trace_id` is always kept for support.
 */

export const SEEDANCE_ERROR_KINDS = [
  "invalid_request",
  "auth",
  "credit",
  "not_found",
  "too_large",
  "rate_limited",
  "upstream",
  "network",
  "timeout",
  "content_policy",
] as const;
export type SeedanceErrorKind = (typeof SEEDANCE_ERROR_KINDS)[number];

/** The plain shape an error takes when it crosses to a browser, a log line or a database row. */
export interface SeedanceErrorJSON {
  kind: SeedanceErrorKind;
  code: string;
  message: string;
  traceId?: string;
  status?: number;
}

export interface SeedanceErrorInit {
  kind: SeedanceErrorKind;
  code: string;
  message: string;
  status?: number;
  traceId?: string;
  retryAfterMs?: number;
  upstreamMessage?: string;
  /** A create the upstream surely did not start (429, connection refused): safe to send again. */
  nothingStarted?: boolean;
  cause?: unknown;
}

const SEEDANCE_ERROR_BRAND = Symbol.for("seedance-studio.SeedanceError");

export class SeedanceError extends Error {
  override readonly name = "SeedanceError";
  readonly [SEEDANCE_ERROR_BRAND] = true;

  /**
   * The bundler may load this module more than once on the server (one copy per route chunk),
   * so `instanceof` checks a brand shared through the global symbol registry, not the class.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[SEEDANCE_ERROR_BRAND] === true;
  }
  readonly kind: SeedanceErrorKind;
  readonly status?: number;
  readonly code: string;
  readonly traceId?: string;
  readonly retryAfterMs?: number;
  readonly upstreamMessage?: string;
  readonly nothingStarted: boolean;

  constructor(init: SeedanceErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.code = init.code;
    if (init.status !== undefined) this.status = init.status;
    if (init.traceId !== undefined) this.traceId = init.traceId;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.upstreamMessage !== undefined) this.upstreamMessage = init.upstreamMessage;
    this.nothingStarted = init.nothingStarted ?? false;
  }

  /** Worth trying again later: rate limits, 5xx, network trouble and timeouts. */
  get retryable(): boolean {
    switch (this.kind) {
      case "rate_limited":
      case "network":
      case "timeout":
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
// The table: every documented upstream code -> kind + message

type MessageFor = string | ((upstream: string | undefined) => string);

interface CodeEntry {
  kind: SeedanceErrorKind;
  message: MessageFor;
}

const fixRequest = (upstream: string | undefined) =>
  upstream ? `Fix the request: ${withFullStop(upstream)}` : "Fix the request: SeeDance rejected one of its fields.";

const INTERNAL = "SeeDance had an internal error. Try again in a minute.";

/** The codes for `/seedance/videos` and `/seedance/tasks` (docs/seedance-contract.md#errors). */
export const SEEDANCE_ERROR_CODES = {
  token_mismatched: {
    kind: "auth",
    message: "The SeeDance API token does not match this API. Check SEEDANCE_API_TOKEN on the server.",
  },
  api_not_implemented: {
    kind: "invalid_request",
    message: "The SeeDance API does not offer this call. Check SEEDANCE_API_BASE_URL on the server.",
  },
  disabled: {
    kind: "auth",
    message: "The SeeDance account has been disabled by the provider. Contact Ace Data Cloud support.",
  },
  bad_request: { kind: "invalid_request", message: fixRequest },
  no_token: {
    kind: "auth",
    message: "No SeeDance API token was sent. Set SEEDANCE_API_TOKEN on the server.",
  },
  invalid_token: {
    kind: "auth",
    message: "The SeeDance API token was rejected. Check SEEDANCE_API_TOKEN on the server.",
  },
  token_expired: {
    kind: "auth",
    message: "The SeeDance API token has expired. Renew it and update SEEDANCE_API_TOKEN on the server.",
  },
  used_up: {
    kind: "credit",
    message: "Your SeeDance balance is used up. Top up your account, then retry.",
  },
  no_api: {
    kind: "not_found",
    message: "The SeeDance API address is wrong (no such API). Check SEEDANCE_API_BASE_URL on the server.",
  },
  not_found: {
    kind: "not_found",
    message: "SeeDance does not know this task. It may have expired or belong to another account.",
  },
  request_too_large: {
    kind: "too_large",
    message: "The request is too large — usually a big base64 image. Use a smaller image or an https URL.",
  },
  too_many_requests: {
    kind: "rate_limited",
    // Shown when a create finally fails on rate limits (the worker already re-sent it while it
    // could): nothing is retried any more, so the message asks for the Retry press.
    message: "SeeDance is busy (it is rate-limiting requests): this clip was not started and nothing was charged. Press Retry in a minute.",
  },
  api_error: { kind: "upstream", message: INTERNAL },
  internal_error: { kind: "upstream", message: INTERNAL },
} as const satisfies Record<string, CodeEntry>;
export type SeedanceErrorCode = keyof typeof SEEDANCE_ERROR_CODES;

/** When the code is missing or unknown, the HTTP status decides. */
function entryForStatus(status: number): CodeEntry & { code: string } {
  if (status === 400 || status === 422) return { code: "bad_request", ...SEEDANCE_ERROR_CODES.bad_request };
  if (status === 401) return { code: "invalid_token", ...SEEDANCE_ERROR_CODES.invalid_token };
  if (status === 402) return { code: "used_up", ...SEEDANCE_ERROR_CODES.used_up };
  if (status === 403) {
    return {
      code: "forbidden",
      kind: "auth",
      message: "The SeeDance API refused access. Check SEEDANCE_API_TOKEN and the account on the server.",
    };
  }
  if (status === 404) return { code: "not_found", ...SEEDANCE_ERROR_CODES.not_found };
  if (status === 408) return { code: "timeout", kind: "timeout", message: TIMEOUT_MESSAGE };
  if (status === 413) return { code: "request_too_large", ...SEEDANCE_ERROR_CODES.request_too_large };
  if (status === 429) return { code: "too_many_requests", ...SEEDANCE_ERROR_CODES.too_many_requests };
  if (status >= 500) return { code: "internal_error", ...SEEDANCE_ERROR_CODES.internal_error };
  if (status >= 400) return { code: "bad_request", ...SEEDANCE_ERROR_CODES.bad_request };
  return {
    code: "invalid_response",
    kind: "upstream",
    message: "SeeDance sent an answer we could not read. Try again in a minute.",
  };
}

const CONTENT_POLICY = /SensitiveContent|PrivacyInformation|PolicyViolation/i;

/** The upstream blocks real faces and sensitive content; it says so only in `error.message`. */
export function contentPolicyMessage(upstream: string): string {
  if (/PrivacyInformation/i.test(upstream)) {
    return "SeeDance's content policy blocked this request: the image seems to show a real person's face. Use an image without a real, identifiable person, then try again.";
  }
  if (/^Output/i.test(upstream)) {
    return "SeeDance's content policy blocked the generated clip. Change the prompt or the images, then try again.";
  }
  return "SeeDance's content policy blocked this request (sensitive content in the prompt or an image, or a real person's face). Change the prompt or the images, then try again.";
}

export function isContentPolicyMessage(text: string | undefined): boolean {
  return Boolean(text && CONTENT_POLICY.test(text));
}

export const TIMEOUT_MESSAGE = "The SeeDance API did not answer in time. Try again in a minute.";
export const NETWORK_MESSAGE =
  "Could not reach the SeeDance API. Check the server's network and SEEDANCE_API_BASE_URL, then retry.";

/** Kind and creator-facing message for an upstream code and message (also used for failed tasks). */
export function describeUpstreamError(
  code: string | undefined,
  upstreamMessage: string | undefined,
  status?: number,
): { kind: SeedanceErrorKind; code: string; message: string } {
  const known = code && Object.hasOwn(SEEDANCE_ERROR_CODES, code) ? (code as SeedanceErrorCode) : undefined;
  const entry: CodeEntry & { code: string } = known
    ? { code: known, ...SEEDANCE_ERROR_CODES[known] }
    : status !== undefined
      ? { ...entryForStatus(status), ...(code ? { code } : {}) }
      : { code: code ?? "upstream_error", kind: "upstream", message: INTERNAL };
  if (isContentPolicyMessage(upstreamMessage) || isContentPolicyMessage(code)) {
    return { kind: "content_policy", code: entry.code, message: contentPolicyMessage(upstreamMessage ?? code ?? "") };
  }
  const message = typeof entry.message === "function" ? entry.message(upstreamMessage) : entry.message;
  return { kind: entry.kind, code: entry.code, message };
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
  const retryAfterMs = parseRetryAfter(header(headers, "retry-after"));
  return new SeedanceError({
    ...described,
    status,
    traceId: fields.traceId ?? header(headers, "x-trace-id"),
    retryAfterMs,
    upstreamMessage: fields.message,
  });
}

function withFullStop(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** Any thrown value as `{kind, code, message, traceId}`: safe to show, log or store. */
export function toPlainError(error: unknown): SeedanceErrorJSON {
  if (error instanceof SeedanceError) {
    const plain: SeedanceErrorJSON = { kind: error.kind, code: error.code, message: error.message };
    if (error.traceId !== undefined) plain.traceId = error.traceId;
    if (error.status !== undefined) plain.status = error.status;
    return plain;
  }
  return { kind: "upstream", code: "unexpected", message: "Something went wrong talking to SeeDance. Try again in a minute." };
}
