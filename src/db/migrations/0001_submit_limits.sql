ALTER TABLE "users" ADD COLUMN "submit_tokens" double precision;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "submit_tokens_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "jobs_user_unfinished" ON "jobs" USING btree ("user_id") WHERE "jobs"."status" in ('QUEUED', 'RUNNING', 'RETRYING');