ALTER TABLE "generations" ADD COLUMN "error_kind" text;--> statement-breakpoint
ALTER TABLE "generations" ADD COLUMN "error_params" jsonb;--> statement-breakpoint
ALTER TABLE "generations" ADD COLUMN "error_detail" text;--> statement-breakpoint
ALTER TABLE "storyboards" ADD COLUMN "export_error_code" text;--> statement-breakpoint
ALTER TABLE "storyboards" ADD COLUMN "export_error_params" jsonb;