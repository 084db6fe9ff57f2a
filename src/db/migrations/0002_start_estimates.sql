DROP INDEX "jobs_queued";--> statement-breakpoint
CREATE INDEX "jobs_succeeded" ON "jobs" USING btree ("type","finished_at") WHERE "jobs"."status" = 'SUCCEEDED';--> statement-breakpoint
CREATE INDEX "jobs_queued" ON "jobs" USING btree ("type","priority" DESC NULLS FIRST,"updated_at","id") WHERE "jobs"."status" = 'QUEUED';