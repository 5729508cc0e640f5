import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const GENERATION_STATUSES = ["queued", "submitted", "running", "succeeded", "failed", "expired", "cancelled"] as const;
export type GenerationStatus = (typeof GENERATION_STATUSES)[number];

/** The request as stored: the spec with images as `media:` keys of our storage or https URLs. */
export type StoredRequest = import("@/lib/seedance/schema").GenerationSpec;

export const generations = pgTable(
  "generations",
  {
    id: text("id").primaryKey(),
    status: text("status").$type<GenerationStatus>().notNull().default("queued"),
    model: text("model").notNull(),
    prompt: text("prompt").notNull(),
    request: jsonb("request").$type<StoredRequest>().notNull(),
    idempotencyKey: text("idempotency_key").unique(),
    parentId: text("parent_id"),
    upstreamTaskId: text("upstream_task_id"),
    traceId: text("trace_id"),
    /** A failure in the error vocabulary (lib/errors/codes.ts): rendered from code + params. */
    errorKind: text("error_kind").$type<import("@/lib/errors/codes").ErrorKind>(),
    errorCode: text("error_code"),
    errorParams: jsonb("error_params").$type<Record<string, string | number>>(),
    /** The upstream's reason, shown after the message. */
    errorDetail: text("error_detail"),
    /** The English of the above; rows from before error_kind have only this and the code. */
    errorMessage: text("error_message"),

    createdAt: tz("created_at").notNull().defaultNow(),
    updatedAt: tz("updated_at").notNull().defaultNow(),
    submittedAt: tz("submitted_at"),
    runningAt: tz("running_at"),
    succeededAt: tz("succeeded_at"),
    failedAt: tz("failed_at"),
    expiredAt: tz("expired_at"),
    cancelledAt: tz("cancelled_at"),
    /** When the upstream gives up on the task (execution_expires_after after submission). */
    expiresAt: tz("expires_at"),

    // Following the task: polling schedule, download retries, and the lease that keeps two
    // workers (or two instances) from doing the same step twice.
    nextCheckAt: tz("next_check_at").notNull().defaultNow(),
    checkAttempts: integer("check_attempts").notNull().default(0),
    /** Consecutive checks in which the upstream did not know the task. */
    missingChecks: integer("missing_checks").notNull().default(0),
    upstreamVideoUrl: text("upstream_video_url"),
    upstreamLastFrameUrl: text("upstream_last_frame_url"),
    downloadAttempts: integer("download_attempts").notNull().default(0),
    leaseOwner: text("lease_owner"),
    leaseUntil: tz("lease_until"),

    // The stored clip.
    videoKey: text("video_key"),
    videoBytes: bigint("video_bytes", { mode: "number" }),
    videoSha256: text("video_sha256"),
    width: integer("width"),
    height: integer("height"),
    durationSec: real("duration_sec"),
    fps: real("fps"),
    hasAudio: boolean("has_audio"),
    posterKey: text("poster_key"),
    lastFrameKey: text("last_frame_key"),
    seedUsed: bigint("seed_used", { mode: "number" }),
    usage: jsonb("usage").$type<{ completionTokens?: number; totalTokens?: number }>(),
    /** Marked by the creator in the gallery, to find the keepers among many takes. */
    favorite: boolean("favorite").notNull().default(false),
  },
  (t) => [
    index("generations_created_idx").on(t.createdAt.desc(), t.id.desc()),
    index("generations_status_idx").on(t.status, t.nextCheckAt),
    index("generations_parent_idx").on(t.parentId),
    index("generations_task_idx").on(t.upstreamTaskId),
  ],
);
export type GenerationRow = typeof generations.$inferSelect;
export type NewGenerationRow = typeof generations.$inferInsert;

/** Every status change, in order: the SSE stream's replay log for Last-Event-ID. */
export const generationEvents = pgTable(
  "generation_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    generationId: text("generation_id").notNull(),
    payload: jsonb("payload").notNull(),
    createdAt: tz("created_at").notNull().defaultNow(),
  },
  (t) => [index("generation_events_created_idx").on(t.createdAt)],
);

/** Secrets the instances must share (the callback HMAC key), made once on first start. */
export const appSecrets = pgTable("app_secrets", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  createdAt: tz("created_at").notNull().default(sql`now()`),
});

/** A public, read-only link to one clip (`/v/<id>`) or a collection (`/g/<id>`). */
export const shares = pgTable(
  "shares",
  {
    /** 128 random bits, base64url: the link itself is the capability. */
    id: text("id").primaryKey(),
    kind: text("kind").$type<"clip" | "collection">().notNull(),
    generationIds: jsonb("generation_ids").$type<string[]>().notNull(),
    hidePrompt: boolean("hide_prompt").notNull().default(false),
    title: text("title"),
    /** A share of a storyboard's film (kind "clip", no generation ids): the film plays on `/v/<id>`. */
    storyboardId: text("storyboard_id"),
    createdAt: tz("created_at").notNull().defaultNow(),
    revokedAt: tz("revoked_at"),
  },
  (t) => [index("shares_created_idx").on(t.createdAt)],
);
export type ShareRow = typeof shares.$inferSelect;

export const STORYBOARD_EXPORT_STATUSES = ["none", "queued", "running", "succeeded", "failed"] as const;
export type StoryboardExportStatus = (typeof STORYBOARD_EXPORT_STATUSES)[number];

/** One clip of a storyboard: the generation and the part of it kept (seconds; trimEnd null = to the end). */
export interface StoryboardItem {
  generationId: string;
  trimStart: number;
  trimEnd: number | null;
}

/** An ordered list of clips, and the film stitched from them (a durable export job with a lease). */
export const storyboards = pgTable(
  "storyboards",
  {
    id: text("id").primaryKey(),
    title: text("title").notNull().default(""),
    /** The chain's root generation, when made from a "Continue from last frame" chain. */
    rootGenerationId: text("root_generation_id").unique(),
    items: jsonb("items").$type<StoryboardItem[]>().notNull(),
    /** Seconds of crossfade at each cut: 0 is a hard cut, at most 1. */
    crossfadeSec: real("crossfade_sec").notNull().default(0),
    createdAt: tz("created_at").notNull().defaultNow(),
    updatedAt: tz("updated_at").notNull().defaultNow(),

    exportStatus: text("export_status").$type<StoryboardExportStatus>().notNull().default("none"),
    exportError: text("export_error"),
    /** The export's failure as a code of lib/errors/codes.ts, with its params. */
    exportErrorCode: text("export_error_code"),
    exportErrorParams: jsonb("export_error_params").$type<Record<string, string | number>>(),
    exportAttempts: integer("export_attempts").notNull().default(0),
    exportRequestedAt: tz("export_requested_at"),
    exportFinishedAt: tz("export_finished_at"),
    leaseOwner: text("lease_owner"),
    leaseUntil: tz("lease_until"),

    filmKey: text("film_key"),
    filmBytes: bigint("film_bytes", { mode: "number" }),
    filmWidth: integer("film_width"),
    filmHeight: integer("film_height"),
    filmDurationSec: real("film_duration_sec"),
    filmHasAudio: boolean("film_has_audio"),
    filmPosterKey: text("film_poster_key"),
  },
  (t) => [index("storyboards_updated_idx").on(t.updatedAt.desc()), index("storyboards_export_idx").on(t.exportStatus)],
);
export type StoryboardRow = typeof storyboards.$inferSelect;

/**
 * A signed-in browser: the row behind a session cookie's `sid`. The cookie's signature proves
 * it was issued here; this row says it is still wanted (sign-out and "sign out everywhere"
 * set `revoked_at`). A cookie without a live row is no session.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    createdAt: tz("created_at").notNull().defaultNow(),
    expiresAt: tz("expires_at").notNull(),
    revokedAt: tz("revoked_at"),
  },
  (t) => [index("sessions_expires_idx").on(t.expiresAt)],
);
export type SessionRow = typeof sessions.$inferSelect;

/**
 * A personal API key (`Authorization: Bearer sk_studio_…`) for scripts. Only the SHA-256 of the
 * key is kept: the key is shown once, when made, and cannot be read back.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    /** The key's first characters, to tell keys apart in the list (not enough to guess the rest). */
    hint: text("hint").notNull(),
    createdAt: tz("created_at").notNull().defaultNow(),
    lastUsedAt: tz("last_used_at"),
    revokedAt: tz("revoked_at"),
  },
  (t) => [index("api_keys_created_idx").on(t.createdAt)],
);
export type ApiKeyRow = typeof apiKeys.$inferSelect;

/**
 * Token buckets of the per-minute create limit, shared by every instance on one PostgreSQL
 * (lib/db/rate-buckets.ts; with PGlite the buckets stay in memory). `key` names the client
 * (`s:<session>`, `ip:<address>`); the tokens are as of `refilled_at`.
 */
export const rateBuckets = pgTable(
  "rate_buckets",
  {
    key: text("key").primaryKey(),
    tokens: doublePrecision("tokens").notNull(),
    refilledAt: tz("refilled_at").notNull().defaultNow(),
  },
  (t) => [index("rate_buckets_refilled_idx").on(t.refilledAt)],
);

/**
 * The sign-in lockout's records, shared by every instance on one PostgreSQL
 * (lib/db/signin-records.ts): a client's (`ip:…`, `d:…`) recent wrong passwords and lock, the
 * studio-wide failures (`global`), and slow mode's next free slot (`slow`, in `locked_until`).
 */
export const signinRecords = pgTable(
  "signin_records",
  {
    key: text("key").primaryKey(),
    failures: tz("failures").array().notNull().default(sql`'{}'`),
    lockedUntil: tz("locked_until"),
    updatedAt: tz("updated_at").notNull().defaultNow(),
  },
  (t) => [index("signin_records_updated_idx").on(t.updatedAt)],
);
