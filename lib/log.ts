/**
 * Structured logs (pino, one JSON object per line on stdout). Two layers keep secrets out:
 * key-based redaction (authorization headers, cookies, tokens, secrets, passwords at any of the
 * usual depths), then a final pass over every written line that replaces the configured secret
 * values themselves (API token, simulator token, session secret, studio password, the S3 secret key), any
 * `Bearer …` credential and any personal API key (`sk_studio_…`), wherever they hide (an error
 * message, a URL, a stack).
 */
import pino, { type Logger } from "pino";
import { env } from "@/lib/env";

const SECRET_KEYS = [
  "authorization",
  "Authorization",
  "cookie",
  "Cookie",
  "set-cookie",
  "token",
  "apiToken",
  "accessToken",
  "secret",
  "callbackSecret",
  "sessionSecret",
  "secretAccessKey",
  "sessionToken",
  "password",
  "sig",
  "signature",
];

export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  ...SECRET_KEYS.map((k) => `headers["${k}"]`),
  ...SECRET_KEYS.map((k) => `*.headers["${k}"]`),
];

/** Replaces each secret value and every bearer credential in a finished log line. */
export function scrubSecrets(line: string, secrets: readonly string[]): string {
  let out = line.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, "$1[Redacted]");
  // Personal API keys (lib/auth/api-keys.ts) by their prefix, in any field or text.
  out = out.replace(/sk_studio_[A-Za-z0-9_-]+/g, "sk_studio_[Redacted]");
  // A signed object-store URL (MEDIA_DELIVERY=redirect): its signature and credential scope.
  out = out.replace(/(X-Amz-(?:Signature|Credential|Security-Token)=)[^&"\s]+/gi, "$1[Redacted]");
  for (const secret of secrets) {
    if (secret.length >= 6) out = out.split(secret).join("[Redacted]");
  }
  return out;
}

function secretValues(): string[] {
  const config = env();
  const s3Secret = config.storage.kind === "s3" ? config.storage.credentials?.secretAccessKey : undefined;
  return [config.upstream.token, config.simulator.token, config.auth.sessionSecret, config.auth.password, s3Secret].filter(
    (s): s is string => typeof s === "string" && s.length > 0,
  );
}

const globalForSecrets = globalThis as unknown as { seedanceLogSecrets?: string[] };
/** Secrets made at run time (kept in the database: callback key, session key, simulator token). */
const runtimeSecrets = (globalForSecrets.seedanceLogSecrets ??= []);

/** Adds a secret the app loaded after start to the values every log line is scrubbed of. */
export function scrubFromLogs(secret: string): void {
  if (secret.length >= 6 && !runtimeSecrets.includes(secret)) runtimeSecrets.push(secret);
}

export function createLogger(options: { level?: string; secrets?: readonly string[]; destination?: pino.DestinationStream } = {}): Logger {
  const configured = options.secrets ?? [];
  return pino(
    {
      level: options.level ?? "info",
      base: { app: "seedance-studio" },
      redact: { paths: REDACT_PATHS, censor: "[Redacted]" },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
      hooks: { streamWrite: (line) => scrubSecrets(line, runtimeSecrets.length ? [...configured, ...runtimeSecrets] : configured) },
    },
    options.destination,
  );
}

const globalForLog = globalThis as unknown as { seedanceLog?: Logger };

/** The app's logger, built on first use (after the environment is readable). */
export function log(): Logger {
  globalForLog.seedanceLog ??= createLogger({ level: env().logLevel, secrets: secretValues() });
  return globalForLog.seedanceLog;
}
