import { and, asc, desc, eq, lte, sql } from "drizzle-orm";
import type { JobHints } from "../../events/job-hints.js";
import type { WebhookRouting } from "../../webhooks/routing.js";
import type { Db } from "../client.js";
import { jobs } from "../schema.js";
import { cancelJob } from "./cancel-job.js";

// Ids read per statement, and cancels in flight at once (each its own short transaction).
const batchSize = 200;
const cancelsAtOnce = 4;

/**
 * Cancels and refunds every job of `type` that was QUEUED when the purge
 * began, through cancelJob one job at a time (its refund, webhooks and hint,
 * as for any cancel), reading ids in batches from the jobs_queued index.
 * A job a worker claims meanwhile keeps running; RETRYING jobs are left to
 * their retry. The broker's queue is not purged: some of its messages belong
 * to retrying jobs, and a consumer acks and skips a cancelled job's message.
 * Answers how many jobs were cancelled.
 */
export async function purgeQueuedJobs(db: Db, hints: JobHints, webhooks: WebhookRouting, type: string): Promise<number> {
  // Jobs submitted while the purge runs are not part of it.
  const [started] = await db.execute<{ at: string }>(sql`select now()::text as at`);
  const cutoff = started!.at;
  let cancelled = 0;
  for (;;) {
    const batch = await db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.type, type), eq(jobs.status, "QUEUED"), lte(jobs.createdAt, sql`${cutoff}::timestamptz`)))
      .orderBy(desc(jobs.priority), asc(jobs.updatedAt), asc(jobs.id))
      .limit(batchSize);
    if (batch.length === 0) return cancelled;
    for (let i = 0; i < batch.length; i += cancelsAtOnce) {
      const outcomes = await Promise.all(
        batch.slice(i, i + cancelsAtOnce).map(({ id }) => cancelJob(db, hints, webhooks, id, null, { only: ["QUEUED"] })),
      );
      cancelled += outcomes.filter((outcome) => outcome.kind === "cancelled").length;
    }
  }
}
