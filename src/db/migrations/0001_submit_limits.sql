-- Adding the trigger waits for a lock on jobs while this transaction holds users: give up rather
-- than stall every query on users behind a busy jobs table (the process exits and can be restarted).
SET LOCAL lock_timeout = '10s';--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "submit_tokens" double precision;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "submit_tokens_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "unfinished_jobs" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_unfinished_jobs_non_negative" CHECK ("users"."unfinished_jobs" >= 0);--> statement-breakpoint
-- users.unfinished_jobs counts a user's QUEUED, RUNNING and RETRYING jobs (domain/job-status.ts
-- `unfinishedStatuses`). A trigger keeps it exact whichever statement moves a job, so the submit's
-- conditional debit can cap it on the locked user row. A job leaving the set locks its user row
-- after its own, as refunds already do; only a submit locks the user first, and its job is new.
CREATE FUNCTION "count_unfinished_jobs"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD."status" IN ('QUEUED', 'RUNNING', 'RETRYING')
    AND NOT (TG_OP = 'UPDATE' AND NEW."status" IN ('QUEUED', 'RUNNING', 'RETRYING') AND NEW."user_id" = OLD."user_id") THEN
    UPDATE "users" SET "unfinished_jobs" = "unfinished_jobs" - 1 WHERE "id" = OLD."user_id";
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW."status" IN ('QUEUED', 'RUNNING', 'RETRYING')
    AND NOT (TG_OP = 'UPDATE' AND OLD."status" IN ('QUEUED', 'RUNNING', 'RETRYING') AND NEW."user_id" = OLD."user_id") THEN
    UPDATE "users" SET "unfinished_jobs" = "unfinished_jobs" + 1 WHERE "id" = NEW."user_id";
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "jobs_count_unfinished_insert" AFTER INSERT ON "jobs"
  FOR EACH ROW WHEN (NEW."status" IN ('QUEUED', 'RUNNING', 'RETRYING')) EXECUTE FUNCTION "count_unfinished_jobs"();--> statement-breakpoint
-- Most status changes (a claim, a retry scheduled) keep a job inside the set: the WHEN clause
-- spares them the function call and the user row's lock.
CREATE TRIGGER "jobs_count_unfinished_update" AFTER UPDATE OF "status", "user_id" ON "jobs"
  FOR EACH ROW WHEN (
    (OLD."status" IN ('QUEUED', 'RUNNING', 'RETRYING')) IS DISTINCT FROM (NEW."status" IN ('QUEUED', 'RUNNING', 'RETRYING'))
    OR OLD."user_id" IS DISTINCT FROM NEW."user_id"
  )
  EXECUTE FUNCTION "count_unfinished_jobs"();--> statement-breakpoint
CREATE TRIGGER "jobs_count_unfinished_delete" AFTER DELETE ON "jobs"
  FOR EACH ROW WHEN (OLD."status" IN ('QUEUED', 'RUNNING', 'RETRYING')) EXECUTE FUNCTION "count_unfinished_jobs"();--> statement-breakpoint
-- After the triggers: creating them locked out job writes until this transaction commits, so the
-- count below misses none and none is counted twice.
UPDATE "users" SET "unfinished_jobs" = "counts"."n"
  FROM (SELECT "user_id", count(*)::int AS "n" FROM "jobs" WHERE "status" IN ('QUEUED', 'RUNNING', 'RETRYING') GROUP BY "user_id") AS "counts"
  WHERE "counts"."user_id" = "users"."id";
