CREATE TABLE "storyboards" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text DEFAULT '' NOT NULL,
	"root_generation_id" text,
	"items" jsonb NOT NULL,
	"crossfade_sec" real DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"export_status" text DEFAULT 'none' NOT NULL,
	"export_error" text,
	"export_attempts" integer DEFAULT 0 NOT NULL,
	"export_requested_at" timestamp with time zone,
	"export_finished_at" timestamp with time zone,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"film_key" text,
	"film_bytes" bigint,
	"film_width" integer,
	"film_height" integer,
	"film_duration_sec" real,
	"film_has_audio" boolean,
	"film_poster_key" text,
	CONSTRAINT "storyboards_root_generation_id_unique" UNIQUE("root_generation_id")
);
--> statement-breakpoint
ALTER TABLE "shares" ADD COLUMN "storyboard_id" text;--> statement-breakpoint
CREATE INDEX "storyboards_updated_idx" ON "storyboards" USING btree ("updated_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "storyboards_export_idx" ON "storyboards" USING btree ("export_status");