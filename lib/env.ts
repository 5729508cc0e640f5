/**
 * Every environment variable, parsed once. Nothing else reads process.env.
 * Empty strings count as unset. No SEEDANCE_API_TOKEN means the embedded simulator;
 * no DATABASE_URL means embedded PGlite under DATA_DIR.
 */
import path from "node:path";
import { z } from "zod";
import { MODEL_IDS } from "@/lib/seedance/models";

const emptyAsUnset = (value: unknown) => (value === "" ? undefined : value);
const optionalString = z.preprocess(emptyAsUnset, z.string().optional());
const intWithDefault = (fallback: number) => z.preprocess(emptyAsUnset, z.coerce.number().int().nonnegative().default(fallback));
const flag = z.preprocess(emptyAsUnset, z.enum(["0", "1", "true", "false"]).optional()).transform((v) => v === "1" || v === "true");

const envSchema = z.object({
  SEEDANCE_API_TOKEN: optionalString,
  SEEDANCE_API_BASE_URL: z.preprocess(emptyAsUnset, z.url().default("https://api.acedata.cloud")),
  /** Unset: a random per-database token (lib/simulator/token.ts). The string once documented as the default is refused. */
  SIMULATOR_TOKEN: z.preprocess(
    emptyAsUnset,
    z.string().refine((v) => v !== "seedance-simulator-token", { error: "is the former public default: leave it unset (a random token per database) or choose your own" }).optional(),
  ),
  SIMULATOR_DELAY_MS: intWithDefault(4000),
  PORT: intWithDefault(3000),
  PUBLIC_BASE_URL: z.preprocess(emptyAsUnset, z.url().optional()),
  INTERNAL_BASE_URL: z.preprocess(emptyAsUnset, z.url().optional()),
  DATA_DIR: z.preprocess(emptyAsUnset, z.string().default("data")),
  DATABASE_URL: optionalString,
  POLL_INTERVAL_MS: intWithDefault(5000),
  MAX_CLIP_BYTES: intWithDefault(512 * 1024 * 1024),
  WORKER_DISABLED: flag,
  ALLOW_PRIVATE_UPSTREAM: flag,
  STUDIO_PASSWORD: optionalString,
  SESSION_SECRET: z.preprocess(emptyAsUnset, z.string().min(32, { error: "must be at least 32 characters (e.g. openssl rand -base64 32)" }).optional()),
  SESSION_TTL_HOURS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).max(24 * 365).default(168)),
  /** Reverse proxies in front of the server whose `X-Forwarded-For` entries are believed: 0 (none), or how many. */
  TRUST_PROXY: z.preprocess(
    (v) => (v === "true" ? "1" : v === "false" ? "0" : emptyAsUnset(v)),
    z.coerce.number({ error: "must be the number of trusted proxy hops (0, 1, 2…)" }).int().min(0).max(10).default(0),
  ),
  RATE_LIMIT_PER_MINUTE: intWithDefault(10),
  MAX_UNFINISHED_TASKS: intWithDefault(20),
  DAILY_CLIP_LIMIT: intWithDefault(0),
  /** USD per million output tokens, per model: {"doubao-seedance-1-0-pro-250528": 2.5}. */
  SEEDANCE_PRICES: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: "custom", message: "must be JSON" });
          return z.NEVER;
        }
      })
      .pipe(z.partialRecord(z.enum(MODEL_IDS), z.number().nonnegative()))
      .optional(),
  ),
  /** Setting it keeps media in this S3-compatible bucket instead of DATA_DIR/media (lib/storage/s3.ts). */
  S3_BUCKET: optionalString,
  /** Unset: AWS S3 itself; MinIO, R2 and other stores give their URL. */
  S3_ENDPOINT: z.preprocess(emptyAsUnset, z.url({ protocol: /^https?$/, error: "must be an http(s) URL, e.g. http://127.0.0.1:9000" }).optional()),
  S3_REGION: z.preprocess(emptyAsUnset, z.string().default("us-east-1")),
  S3_PREFIX: z.preprocess(emptyAsUnset, z.string().regex(/^[A-Za-z0-9._\/-]*$/, { error: "may hold letters, digits, '.', '_', '-' and '/'" }).default("")),
  S3_FORCE_PATH_STYLE: flag,
  /** The AWS SDK's standard names; unset, the SDK's own chain applies (a profile, an instance role). */
  AWS_ACCESS_KEY_ID: optionalString,
  AWS_SECRET_ACCESS_KEY: optionalString,
  /** `redirect`: media routes answer with a short-lived signed URL of the bucket (S3 only) instead of streaming. */
  MEDIA_DELIVERY: z.preprocess(emptyAsUnset, z.enum(["stream", "redirect"]).default("stream")),
  LOG_LEVEL: z.preprocess(emptyAsUnset, z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info")),
});

const checkedEnvSchema = envSchema.superRefine((raw, ctx) => {
  if (Boolean(raw.AWS_ACCESS_KEY_ID) !== Boolean(raw.AWS_SECRET_ACCESS_KEY)) {
    ctx.addIssue({ code: "custom", path: [raw.AWS_ACCESS_KEY_ID ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID"], message: "is needed with the other AWS key (set both or neither)" });
  }
  if (raw.MEDIA_DELIVERY === "redirect" && !raw.S3_BUCKET) {
    ctx.addIssue({ code: "custom", path: ["MEDIA_DELIVERY"], message: "redirect needs an object store (S3_BUCKET): files on disk have no signed URLs" });
  }
});

function loadEnv() {
  const parsed = checkedEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment configuration:\n${lines}`);
  }
  const raw = parsed.data;
  const internalBaseUrl = (raw.INTERNAL_BASE_URL ?? `http://127.0.0.1:${raw.PORT}`).replace(/\/$/, "");
  const useSimulator = !raw.SEEDANCE_API_TOKEN;
  const dataDir = path.resolve(raw.DATA_DIR);
  return {
    useSimulator,
    /** The upstream the client talks to: the real API, or our own simulator over HTTP. */
    upstream: useSimulator
      ? // Empty when SIMULATOR_TOKEN is unset: the token then lives in the database, and lib/app/context.ts builds the client with it.
        { baseUrl: `${internalBaseUrl}/api/simulator`, token: raw.SIMULATOR_TOKEN ?? "" }
      : { baseUrl: raw.SEEDANCE_API_BASE_URL.replace(/\/$/, ""), token: raw.SEEDANCE_API_TOKEN! },
    simulator: { token: raw.SIMULATOR_TOKEN, delayMs: raw.SIMULATOR_DELAY_MS, dir: path.join(dataDir, "simulator") },
    publicBaseUrl: raw.PUBLIC_BASE_URL?.replace(/\/$/, ""),
    internalBaseUrl,
    /** Where upstream callbacks should go: public URL, else (simulator only) loopback. */
    callbackBaseUrl: raw.PUBLIC_BASE_URL?.replace(/\/$/, "") ?? (useSimulator ? internalBaseUrl : undefined),
    dataDir,
    mediaDir: path.join(dataDir, "media"),
    /** Where media live: DATA_DIR/media (the default), or an S3-compatible bucket when S3_BUCKET is set. */
    storage: raw.S3_BUCKET
      ? {
          kind: "s3" as const,
          bucket: raw.S3_BUCKET,
          endpoint: raw.S3_ENDPOINT,
          region: raw.S3_REGION,
          prefix: raw.S3_PREFIX,
          forcePathStyle: raw.S3_FORCE_PATH_STYLE,
          credentials: raw.AWS_ACCESS_KEY_ID && raw.AWS_SECRET_ACCESS_KEY ? { accessKeyId: raw.AWS_ACCESS_KEY_ID, secretAccessKey: raw.AWS_SECRET_ACCESS_KEY } : undefined,
        }
      : { kind: "fs" as const },
    /** `stream` (default): every byte through our routes; `redirect`: a signed URL of the bucket, after the same checks. */
    mediaDelivery: raw.MEDIA_DELIVERY,
    databaseUrl: raw.DATABASE_URL,
    pollIntervalMs: raw.POLL_INTERVAL_MS,
    maxClipBytes: raw.MAX_CLIP_BYTES,
    workerDisabled: raw.WORKER_DISABLED,
    allowPrivateUpstream: raw.ALLOW_PRIVATE_UPSTREAM,
    logLevel: raw.LOG_LEVEL,
    prices: raw.SEEDANCE_PRICES ?? {},
    auth: {
      /** Unset: no sign-in gate (the server warns at start). */
      password: raw.STUDIO_PASSWORD,
      /** Unset: a random per-database secret (`app_secrets`), shared by every instance. */
      sessionSecret: raw.SESSION_SECRET,
      sessionTtlSec: raw.SESSION_TTL_HOURS * 3600,
    },
    /** Unset/0: forwarded headers are ignored and client addresses are unknown (lib/auth/client-ip.ts). */
    trustProxyHops: raw.TRUST_PROXY,
    limits: {
      /** Clip creations per minute per session and per IP (token bucket, burst = rate); 0 turns it off. */
      createPerMinute: raw.RATE_LIMIT_PER_MINUTE,
      /** Unfinished (queued, submitted, running) tasks at once; 0 turns it off. */
      maxUnfinished: raw.MAX_UNFINISHED_TASKS,
      /** Clips per UTC day; 0 (default) means no budget. */
      dailyClips: raw.DAILY_CLIP_LIMIT,
    },
  };
}

export type Env = ReturnType<typeof loadEnv>;

let cached: Env | undefined;
/** Parsed on first use, so a build without runtime variables does not fail. */
export function env(): Env {
  cached ??= loadEnv();
  return cached;
}

/** Tests change variables between cases. */
export function resetEnvForTests() {
  cached = undefined;
}
