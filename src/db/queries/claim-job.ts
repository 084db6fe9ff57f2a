import { and, eq, inArray, sql } from "drizzle-orm";
import { claimableStatuses } from "../../domain/job-status.js";
import type { Db } from "../client.js";
import { jobs, type JobRow } from "../schema.js";
import { appendJobEvent } from "./append-job-event.js";

/**
 * Moves a job to RUNNING as a new attempt, with one conditional UPDATE.
 * `takeOver` also claims a RUNNING job: its message was redelivered, so the
 * consumer that held it is gone. Null: cancelled, finished or a duplicate.
 */
export async function claimJob(db: Db, jobId: string, options: { type: string; takeOver: boolean }): Promise<JobRow | null> {
  return db.transaction(async (tx) => {
    const claimable = options.takeOver ? [...claimableStatuses, "RUNNING" as const] : [...claimableStatuses];
    const [job] = await tx
      .update(jobs)
      .set({
        status: "RUNNING",
        attempts: sql`${jobs.attempts} + 1`,
        seq: sql`${jobs.seq} + 1`,
        // A new attempt starts over, so its progress does too.
        progress: 0,
        progressMessage: null,
        startedAt: sql`coalesce(${jobs.startedAt}, now())`,
        heartbeatAt: sql`now()`,
        nextAttemptAt: null,
        updatedAt: sql`now()`,
      })
      .where(and(eq(jobs.id, jobId), eq(jobs.type, options.type), inArray(jobs.status, claimable)))
      .returning();
    if (!job) return null;
    await appendJobEvent(tx, job, job.attempts > 1 ? `attempt ${job.attempts} of ${job.maxAttempts}` : null);
    return job;
  });
}
