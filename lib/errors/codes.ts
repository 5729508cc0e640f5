/**
 * Every error the studio can raise, by its code. The code is stable (rows store it, JSON answers
 * carry it, the catalogues key their messages by it: `errors.<code>` in lib/i18n/messages/*.json);
 * the kind says what the creator can do about it, and decides the HTTP status; the params are the
 * values its message is rendered with. A code that is not in this table cannot be raised (the
 * types refuse it), and the i18n test walks this table against both catalogues.
 *
 * Client-safe: no catalogue, no server module. Rendering lives in ./render (the browser, with the
 * creator's translator) and ./english (the server's English for scripts and logs).
 */

/** What the creator can do about an error. */
export const ERROR_KINDS = [
  /** Fix the input (a field, an image, the prompt). */
  "invalid",
  /** Send less: a smaller body or image. */
  "too_large",
  /** Sign in (again). */
  "unauthorized",
  /** Not allowed from here, whoever you are. */
  "forbidden",
  "not_found",
  /** Wait for something else to finish first. */
  "conflict",
  /** Well-formed, but cannot be done as asked (an Idempotency-Key reused for another request). */
  "unprocessable",
  /** Slow down; `retryAfterSec` says for how long when we know. */
  "rate_limited",
  /** The upstream account is out of credit: top it up. */
  "credit",
  /** The upstream failed or is misconfigured: try later, or ask whoever runs the studio. */
  "upstream",
  /** Try again later: a network failure, a timeout, an interrupted job. */
  "unavailable",
  /** The server's disk (or quota) is full. */
  "storage_full",
  /** Our fault: logged, shown as a generic message. */
  "internal",
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

interface CodeEntry {
  kind: ErrorKind;
  /** The names of the values its message needs. */
  params: readonly string[];
  /** An HTTP status other than its kind's (a body of the wrong type is `invalid`, but 415). */
  status?: number;
}

export const ERROR_CODES = {
  // The request: the spec's fields (lib/seedance/schema.ts)
  model_invalid: { kind: "invalid", params: ["choices"] },
  prompt_not_text: { kind: "invalid", params: [] },
  prompt_required: { kind: "invalid", params: [] },
  prompt_too_long: { kind: "invalid", params: ["max"] },
  prompt_unstorable: { kind: "invalid", params: [] },
  /** "video 2" in the prompt with one video attached (lib/seedance/mentions.ts). */
  mention_unattached: { kind: "invalid", params: ["kind", "n"] },
  resolution_invalid: { kind: "invalid", params: [] },
  ratio_invalid: { kind: "invalid", params: ["choices"] },
  duration_not_integer: { kind: "invalid", params: [] },
  duration_invalid: { kind: "invalid", params: [] },
  frames_not_integer: { kind: "invalid", params: [] },
  frames_invalid: { kind: "invalid", params: [] },
  seed_not_integer: { kind: "invalid", params: [] },
  seed_invalid: { kind: "invalid", params: [] },
  seed_too_high: { kind: "invalid", params: [] },
  flag_not_boolean: { kind: "invalid", params: ["field"] },
  service_tier_invalid: { kind: "invalid", params: [] },
  expiry_not_integer: { kind: "invalid", params: [] },
  expiry_too_short: { kind: "invalid", params: [] },
  expiry_too_long: { kind: "invalid", params: [] },
  fps_invalid: { kind: "invalid", params: [] },
  image_url_not_text: { kind: "invalid", params: [] },
  image_url_invalid: { kind: "invalid", params: [] },
  image_url_https: { kind: "invalid", params: [] },
  image_url_credentials: { kind: "invalid", params: [] },
  image_data_invalid: { kind: "invalid", params: [] },
  // The request: the upstream wire shape (content[], the JSON API's body)
  content_not_array: { kind: "invalid", params: [] },
  content_empty: { kind: "invalid", params: [] },
  content_too_many: { kind: "invalid", params: [] },
  content_item_type: { kind: "invalid", params: [] },
  content_text_not_text: { kind: "invalid", params: [] },
  content_image_url_shape: { kind: "invalid", params: [] },
  content_role_invalid: { kind: "invalid", params: [] },
  content_one_prompt: { kind: "invalid", params: [] },
  content_one_role: { kind: "invalid", params: ["role"] },
  content_media_url_shape: { kind: "invalid", params: ["type"] },
  content_role_required: { kind: "invalid", params: ["type", "role"] },
  reference_url_invalid: { kind: "invalid", params: ["kind"] },
  reference_url_public: { kind: "invalid", params: ["kind"] },
  reference_data_invalid: { kind: "invalid", params: ["kind"] },
  task_type_invalid: { kind: "invalid", params: [] },
  output_format_invalid: { kind: "invalid", params: [] },
  tools_invalid: { kind: "invalid", params: [] },
  priority_invalid: { kind: "invalid", params: [] },
  safety_identifier_invalid: { kind: "invalid", params: [] },
  callback_url_invalid: { kind: "invalid", params: [] },
  unknown_keys: { kind: "invalid", params: ["keys"] },
  body_not_object: { kind: "invalid", params: [] },
  body_unknown_fields: { kind: "invalid", params: ["keys"] },
  // The capability rules (lib/seedance/rules.ts): each names the model and the fix
  text_only: { kind: "invalid", params: ["model"] },
  needs_first_frame: { kind: "invalid", params: ["model"] },
  no_last_frame: { kind: "invalid", params: ["model"] },
  last_needs_first: { kind: "invalid", params: [] },
  resolution_max: { kind: "invalid", params: ["model", "max", "choices"] },
  auto_duration: { kind: "invalid", params: ["model", "min", "max"] },
  duration_range: { kind: "invalid", params: ["model", "min", "max", "auto"] },
  no_frames: { kind: "invalid", params: ["model"] },
  duration_or_frames: { kind: "invalid", params: [] },
  silent: { kind: "invalid", params: ["model"] },
  adaptive: { kind: "invalid", params: ["model"] },
  no_return_last_frame: { kind: "invalid", params: ["model"] },
  no_flex: { kind: "invalid", params: ["model"] },
  frames_force_adaptive: { kind: "invalid", params: ["model"] },
  no_references: { kind: "invalid", params: ["model"] },
  reference_images_max: { kind: "invalid", params: ["model", "max"] },
  reference_videos_max: { kind: "invalid", params: ["model", "max"] },
  reference_audios_max: { kind: "invalid", params: ["model", "max"] },
  references_max: { kind: "invalid", params: ["model", "max"] },
  references_with_frames: { kind: "invalid", params: ["model"] },
  audio_needs_visual: { kind: "invalid", params: ["model"] },
  model_option_only: { kind: "invalid", params: ["field", "model", "only"] },
  task_needs_video: { kind: "invalid", params: ["model", "type"] },
  task_needs_reference: { kind: "invalid", params: ["model"] },
  task_ratio_adaptive: { kind: "invalid", params: ["model", "type"] },
  task_duration_auto: { kind: "invalid", params: ["model"] },
  // Reference media, checked before anything is stored (lib/media/reference-check.ts, lib/generations/references.ts)
  reference_video_type: { kind: "invalid", params: ["n"] },
  reference_video_codec: { kind: "invalid", params: ["n", "codec"] },
  reference_video_length: { kind: "invalid", params: ["n", "seconds", "min", "max", "model"] },
  reference_videos_total: { kind: "invalid", params: ["seconds", "max", "model"] },
  reference_videos_bytes: { kind: "too_large", params: ["mb", "max", "model"] },
  reference_audio_type: { kind: "invalid", params: ["n"] },
  reference_audio_length: { kind: "invalid", params: ["n", "seconds", "min", "max", "model"] },
  reference_audios_total: { kind: "invalid", params: ["seconds", "max", "model"] },
  reference_audio_bytes: { kind: "too_large", params: ["n", "mb", "max"] },
  reference_unreadable: { kind: "invalid", params: ["kind", "n"] },
  reference_fetch_failed: { kind: "invalid", params: ["kind", "n"] },
  clip_reference_missing: { kind: "invalid", params: ["id"] },
  /** A file dropped on the composer that is no image, video or audio (components/composer/reference-checks.ts). */
  reference_kind_unknown: { kind: "invalid", params: ["name"] },
  public_base_url_missing: { kind: "invalid", params: [] },
  reference_upload_missing: { kind: "invalid", params: ["kind", "n"] },
  // Reference uploads (app/api/references, lib/generations/reference-upload.ts): held to what any model takes
  upload_kind_invalid: { kind: "invalid", params: [] },
  upload_empty: { kind: "invalid", params: [] },
  upload_too_large: { kind: "too_large", params: ["kind", "max"] },
  upload_video_type: { kind: "invalid", params: [] },
  upload_video_codec: { kind: "invalid", params: ["codec"] },
  upload_video_length: { kind: "invalid", params: ["seconds", "min", "max"] },
  upload_audio_type: { kind: "invalid", params: [] },
  upload_audio_length: { kind: "invalid", params: ["seconds", "min", "max"] },
  upload_unreadable: { kind: "invalid", params: ["kind"] },
  upload_rate_limited: { kind: "rate_limited", params: ["max"] },
  // Input images, checked in the browser (lib/images/prepare.ts) and again on the server (lib/media/image-check.ts)
  image_type: { kind: "invalid", params: ["type"] },
  image_not_image: { kind: "invalid", params: [] },
  image_too_big: { kind: "too_large", params: ["mb", "max"] },
  image_too_small: { kind: "invalid", params: ["width", "height", "min"] },
  image_too_wide: { kind: "invalid", params: ["width", "height", "max"] },
  image_aspect: { kind: "invalid", params: ["width", "height", "min", "max"] },
  image_unreadable: { kind: "invalid", params: [] },
  image_incompressible: { kind: "invalid", params: ["mb", "min"] },
  image_not_loaded: { kind: "invalid", params: [] },
  file_unreadable: { kind: "invalid", params: [] },
  // The request as a whole (lib/http, the actions, the generation service)
  fields_invalid: { kind: "invalid", params: [] },
  request_missing: { kind: "invalid", params: [] },
  request_key_missing: { kind: "invalid", params: [] },
  id_missing: { kind: "invalid", params: [] },
  body_not_json: { kind: "invalid", params: [] },
  body_too_large: { kind: "too_large", params: ["size"] },
  body_not_json_type: { kind: "invalid", params: [], status: 415 },
  body_not_media_type: { kind: "invalid", params: [], status: 415 },
  cross_site: { kind: "forbidden", params: [] },
  path_invalid: { kind: "invalid", params: [] },
  // The browser's own calls to our API (lib/query/client.ts)
  browser_offline: { kind: "unavailable", params: [] },
  server_unreachable: { kind: "unavailable", params: [] },
  // Upstream callbacks (lib/jobs/callback.ts)
  callback_signature_invalid: { kind: "unauthorized", params: [] },
  callback_expired: { kind: "not_found", params: [], status: 410 },
  callback_not_ready: { kind: "unavailable", params: [] },
  callback_task_mismatch: { kind: "conflict", params: [] },
  // Our media routes (app/api/media, app/api/shares): files the creator's page points at
  media_not_found: { kind: "not_found", params: [] },
  media_link_invalid: { kind: "forbidden", params: [] },
  media_link_expired: { kind: "forbidden", params: [] },
  list_query_invalid: { kind: "invalid", params: [] },
  idempotency_key_invalid: { kind: "invalid", params: [] },
  idempotency_key_reused: { kind: "unprocessable", params: [] },
  generation_not_found: { kind: "not_found", params: [] },
  parent_missing: { kind: "invalid", params: [] },
  internal: { kind: "internal", params: [] },
  // Creation limits (lib/limits)
  rate_limited: { kind: "rate_limited", params: ["who", "max"] },
  too_many_unfinished: { kind: "rate_limited", params: ["count", "max"] },
  studio_rate_limited: { kind: "rate_limited", params: ["count", "max"] },
  daily_limit: { kind: "rate_limited", params: ["max"] },
  // Signing in, sessions and API keys (lib/auth, app/(auth))
  unauthorized: { kind: "unauthorized", params: [] },
  signed_out: { kind: "unauthorized", params: [] },
  api_key_invalid: { kind: "unauthorized", params: [] },
  wrong_password: { kind: "unauthorized", params: ["left"] },
  wrong_password_no_count: { kind: "unauthorized", params: [] },
  locked_address: { kind: "rate_limited", params: ["minutes"] },
  locked_device: { kind: "rate_limited", params: ["minutes"] },
  slowed_global: { kind: "rate_limited", params: ["seconds"] },
  api_keys_need_password: { kind: "forbidden", params: [] },
  api_key_not_found: { kind: "not_found", params: [] },
  too_many_api_keys: { kind: "conflict", params: ["max"] },
  api_key_name_required: { kind: "invalid", params: [] },
  api_key_name_too_long: { kind: "invalid", params: ["max"] },
  api_key_id_invalid: { kind: "invalid", params: [] },
  // Shares and storyboards (lib/shares, lib/storyboards)
  share_clips_required: { kind: "invalid", params: [] },
  share_too_many: { kind: "invalid", params: ["max"] },
  share_unfinished: { kind: "invalid", params: [] },
  share_not_found: { kind: "not_found", params: [] },
  film_not_exported: { kind: "invalid", params: [] },
  storyboard_not_found: { kind: "not_found", params: [] },
  storyboard_body_invalid: { kind: "invalid", params: [] },
  storyboard_empty: { kind: "invalid", params: [] },
  storyboard_too_many: { kind: "invalid", params: ["max"] },
  storyboard_clip_missing: { kind: "not_found", params: [] },
  storyboard_clip_unfinished: { kind: "invalid", params: [] },
  clip_not_found: { kind: "not_found", params: [] },
  chain_unfinished: { kind: "invalid", params: [] },
  export_busy: { kind: "conflict", params: [] },
  trim_order: { kind: "invalid", params: [] },
  trim_past_end: { kind: "invalid", params: ["seconds"] },
  film_no_clips: { kind: "invalid", params: [] },
  film_clip_missing: { kind: "invalid", params: [] },
  film_interrupted: { kind: "unavailable", params: [] },
  film_failed: { kind: "internal", params: [] },
  // Storage, fetching and media tools: coded, with no paths or addresses in them
  storage_full: { kind: "storage_full", params: [] },
  storage_full_clip: { kind: "storage_full", params: [] },
  file_too_large: { kind: "too_large", params: ["limit"] },
  url_unsafe: { kind: "invalid", params: [] },
  media_failed: { kind: "internal", params: [] },
  // The clip's lifecycle (lib/jobs)
  submit_failed: { kind: "unavailable", params: [] },
  task_failed: { kind: "upstream", params: [] },
  task_not_found: { kind: "upstream", params: [] },
  expired: { kind: "upstream", params: [] },
  cancelled: { kind: "upstream", params: [] },
  download_failed: { kind: "unavailable", params: ["reason", "limit"] },
  upstream_busy: { kind: "rate_limited", params: [] },
  // Upstream failures (lib/seedance/errors.ts maps the upstream's codes onto these)
  token_mismatched: { kind: "upstream", params: [] },
  api_not_implemented: { kind: "upstream", params: [] },
  disabled: { kind: "upstream", params: [] },
  bad_request: { kind: "invalid", params: [] },
  no_token: { kind: "upstream", params: [] },
  invalid_token: { kind: "upstream", params: [] },
  token_expired: { kind: "upstream", params: [] },
  upstream_forbidden: { kind: "upstream", params: [] },
  used_up: { kind: "credit", params: [] },
  no_api: { kind: "upstream", params: [] },
  not_found: { kind: "upstream", params: [] },
  request_too_large: { kind: "too_large", params: [] },
  too_many_requests: { kind: "rate_limited", params: [] },
  api_error: { kind: "upstream", params: [] },
  internal_error: { kind: "upstream", params: [] },
  invalid_response: { kind: "upstream", params: [] },
  upstream_error: { kind: "upstream", params: [] },
  timeout: { kind: "unavailable", params: [] },
  network_error: { kind: "unavailable", params: [] },
  policy_face: { kind: "invalid", params: [] },
  policy_output: { kind: "invalid", params: [] },
  policy_input: { kind: "invalid", params: [] },
} as const satisfies Record<string, CodeEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;
/** Every code, for the i18n test and anything else that walks them. */
export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

export type ErrorParamValue = string | number;
type ParamName<C extends ErrorCode> = (typeof ERROR_CODES)[C]["params"][number];
/** The values the message of `C` is rendered with: exactly its listed names. */
export type ErrorParams<C extends ErrorCode> = { [K in ParamName<C>]: ErrorParamValue };

/**
 * An error as data: what crosses to a browser, a log line or a database row. `detail` is the
 * upstream's own words where it gave a reason (shown after the message, never translated).
 */
export type Coded = { [C in ErrorCode]: { code: C; params: ErrorParams<C>; detail?: string } }[ErrorCode];

/** The arguments after the code: the params, optional when the code has none. */
export type ParamArgs<C extends ErrorCode> = [ParamName<C>] extends [never] ? [params?: ErrorParams<C>] : [params: ErrorParams<C>];

/** The params and then `extra`, the params optional when the code has none. */
export type ArgsWith<C extends ErrorCode, Extra> = [ParamName<C>] extends [never]
  ? [params?: ErrorParams<C>, extra?: Extra]
  : [params: ErrorParams<C>, extra?: Extra];

export function coded<C extends ErrorCode>(code: C, ...[params]: ParamArgs<C>): Coded {
  return { code, params: params ?? {} } as Coded;
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && Object.hasOwn(ERROR_CODES, code);
}

export function kindOf(code: ErrorCode): ErrorKind {
  return ERROR_CODES[code].kind;
}

/** The HTTP status a code asks for itself, if it differs from its kind's. */
export function statusOf(code: ErrorCode): number | undefined {
  const entry: CodeEntry = ERROR_CODES[code];
  return entry.status;
}

/** Field errors by path (`"content.1.image_url.url"`, `"prompt"`, `"_"` for the whole request). */
export type FieldErrors = Record<string, Coded[]>;

export { codedFromIssueText, issueText } from "./issue-text";
