CREATE TABLE "app_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "generation_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"generation_id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "generations" (
	"id" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"model" text NOT NULL,
	"prompt" text NOT NULL,
	"request" jsonb NOT NULL,
	"idempotency_key" text,
	"parent_id" text,
	"upstream_task_id" text,
	"trace_id" text,
	"error_code" text,
	"error_message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"running_at" timestamp with time zone,
	"succeeded_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"expired_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"next_check_at" timestamp with time zone DEFAULT now() NOT NULL,
	"check_attempts" integer DEFAULT 0 NOT NULL,
	"upstream_video_url" text,
	"upstream_last_frame_url" text,
	"download_attempts" integer DEFAULT 0 NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"video_key" text,
	"video_bytes" bigint,
	"video_sha256" text,
	"width" integer,
	"height" integer,
	"duration_sec" real,
	"fps" real,
	"has_audio" boolean,
	"poster_key" text,
	"last_frame_key" text,
	"seed_used" bigint,
	"usage" jsonb,
	CONSTRAINT "generations_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE INDEX "generation_events_created_idx" ON "generation_events" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "generations_created_idx" ON "generations" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "generations_status_idx" ON "generations" USING btree ("status","next_check_at");--> statement-breakpoint
CREATE INDEX "generations_parent_idx" ON "generations" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "generations_task_idx" ON "generations" USING btree ("upstream_task_id");