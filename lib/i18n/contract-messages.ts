/**
 * The contract's messages are written once, in English, where the rules live (lib/seedance):
 * the API answers with them as they are. The interface shows them in the creator's language by
 * recognising each one here and rendering its catalogue entry (`contract.*`) with its values.
 */
type Params = Record<string, string | number>;

const PATTERNS: [RegExp, string, (m: RegExpExecArray) => Params][] = [
  [/^Write a prompt: every request needs one/, "promptRequired", () => ({})],
  [/^Prompt is longer than (\d+) characters/, "promptTooLong", (m) => ({ max: m[1]! })],
  [/^Prompt has a character that cannot be sent/, "promptUnstorable", () => ({})],
  [/^Resolution must be 480p, 720p or 1080p/, "resolutionInvalid", () => ({})],
  [/^Duration must be 2–12 seconds/, "durationInvalid", () => ({})],
  [/^Frames must be 25 \+ 4n/, "framesInvalid", () => ({})],
  [/^Seed must be -1/, "seedInvalid", () => ({})],
  [/^Seed must be at most/, "seedTooHigh", () => ({})],
  [/^Only 24 fps/, "fpsInvalid", () => ({})],
  [/^(.+) takes text only: remove the first frame/, "textOnly", (m) => ({ model: m[1]! })],
  [/^(.+) needs a first frame: add an image/, "needsFirstFrame", (m) => ({ model: m[1]! })],
  [/^(.+) takes no last frame: remove it/, "noLastFrame", (m) => ({ model: m[1]! })],
  [/^A last frame needs a first frame/, "lastNeedsFirst", () => ({})],
  [/^(.+) goes up to (\S+): choose (.+)\.$/, "resolutionMax", (m) => ({ model: m[1]!, max: m[2]!, choices: m[3]! })],
  [/^(.+) needs a duration of (\d+)–(\d+) s: automatic/, "autoDuration", (m) => ({ model: m[1]!, min: m[2]!, max: m[3]! })],
  [/^(.+) makes (\d+)–(\d+) s clips( \(or -1 for automatic\))?: choose/, "durationRange", (m) => ({ model: m[1]!, min: m[2]!, max: m[3]!, auto: m[4] ? "yes" : "no" })],
  [/^(.+) takes no frame count: set a duration/, "noFrames", (m) => ({ model: m[1]! })],
  [/^Set either a duration or a frame count/, "durationOrFrames", () => ({})],
  [/^(.+) makes silent clips/, "silent", (m) => ({ model: m[1]! })],
  [/^Adaptive ratio follows the first frame on (.+): add/, "adaptive", (m) => ({ model: m[1]! })],
  [/^(.+) cannot return its last frame: turn it off/, "noReturnLastFrame", (m) => ({ model: m[1]! })],
  [/^Image URL must start with https/, "imageHttps", () => ({})],
  [/^Image URL is not a valid URL/, "imageInvalidUrl", () => ({})],
  [/^The image is (\d+)×(\d+): each side must be at least (\d+) px/, "imageTooSmall", (m) => ({ width: m[1]!, height: m[2]!, min: m[3]! })],
  [/^The image is (\d+)×(\d+): width ÷ height must be between (\d+(?:\.\d+)?) and (\d+(?:\.\d+)?)/, "imageAspect", (m) => ({ width: m[1]!, height: m[2]!, min: m[3]!, max: m[4]! })],
  [/^The image is ([\d.]+) MB: the limit is (\d+) MB/, "imageTooBig", (m) => ({ mb: m[1]!, max: m[2]! })],
  [/^(.+) is not accepted: use a JPEG/, "imageType", (m) => ({ type: m[1]! })],
  [/^This image could not be read/, "imageUnreadable", () => ({})],
  [/^This image cannot be compressed under (\d+) MB without a side under (\d+) px/, "imageIncompressible", (m) => ({ mb: m[1]!, min: m[2]! })],
  [/^SeeDance had an internal error\. Try again in a minute\. SeeDance said: (.*)$/, "internalErrorSaid", (m) => ({ detail: m[1]! })],
  [/^SeeDance had an internal error\. Try again in a minute\.$/, "internalError", () => ({})],
  [/^SeeDance's content policy blocked this request: the image seems to show a real person's face/, "policyFace", () => ({})],
  [/^SeeDance's content policy blocked the generated clip/, "policyOutput", () => ({})],
  [/^SeeDance's content policy blocked this request/, "policyInput", () => ({})],
  [/^Too many new clips from this (session|address): at most (\d+) a minute\.$/, "rateLimited", (m) => ({ who: m[1]!, max: m[2]! })],
  [/^(\d+) clips are still being made \(the limit is (\d+)\)/, "tooManyUnfinished", (m) => ({ count: m[1]!, max: m[2]! })],
  [/^The studio made (\d+) new clips in the last minute \(the limit is (\d+) for everyone together\)/, "studioRateLimited", (m) => ({ count: m[1]!, max: m[2]! })],
  [/^Today's budget of (\d+) clips is spent/, "dailyBudget", (m) => ({ max: m[1]! })],
  [/^The server's storage is full, so nothing was saved/, "storageFull", () => ({})],
  [/^The server's storage is full: the clip is made/, "storageFullClip", () => ({})],
  [/^You are signed out\./, "signedOut", () => ({})],
  [/^Wrong password\. (\d+) attempts? left/, "wrongPassword", (m) => ({ left: m[1]! })],
  [/^Too many wrong passwords from your address\. Try again in (\d+) min\./, "lockedAddress", (m) => ({ minutes: m[1]! })],
  [/^Wrong password\.$/, "wrongPasswordNoCount", () => ({})],
  [/^Too many wrong passwords from this browser\. Try again in (\d+) min\./, "lockedDevice", (m) => ({ minutes: m[1]! })],
  [/^Many wrong passwords overall: sign-in is slowed to one try every few seconds\. Try again in (\d+) s\./, "slowedGlobal", (m) => ({ seconds: m[1]! })],
];

/** The catalogue key and values for a contract message, or null when it is not one of ours. */
export function contractMessageKey(message: string): { key: string; params: Params } | null {
  for (const [pattern, key, params] of PATTERNS) {
    const match = pattern.exec(message);
    if (match) return { key, params: params(match) };
  }
  return null;
}

export const CONTRACT_MESSAGE_KEYS = PATTERNS.map(([, key]) => key);

/** Codes whose meaning is the same whatever the message (others are read from the message). */
export const CODES_BY_MEANING = new Set([
  "token_mismatched",
  "api_not_implemented",
  "disabled",
  "no_token",
  "invalid_token",
  "token_expired",
  "used_up",
  "no_api",
  "not_found",
  "request_too_large",
  "too_many_requests",
  "timeout",
  "network_error",
  "submit_failed",
  "expired",
  "task_not_found",
  "task_failed",
]);

interface Translators {
  /** The `contract` namespace. */
  t: (key: string, values: Params) => string;
  /** The `upstreamErrors` namespace. */
  upstream: { (code: string): string; has(code: string): boolean };
}

/** A contract or upstream message in the creator's language (as written when unknown). */
export function translateContractMessage({ t, upstream }: Translators, message: string, code?: string | null): string {
  if (code && CODES_BY_MEANING.has(code) && upstream.has(code)) return upstream(code);
  const known = contractMessageKey(message);
  return known ? t(known.key, known.params) : message;
}
