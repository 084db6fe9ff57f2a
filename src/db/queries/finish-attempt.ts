import { and, eq, sql } from "drizzle-orm";
import type { JobError } from "../../domain/errors.js";
import type { Db } from "../client.js";
import { jobs, type JobRow } from "../schema.js";
import { appendJobEvent } from "./append-job-event.js";
import { refundCharge } from "./refund-charge.js";

// Every function here is fenced by the attempt: a consumer whose attempt was
// cancelled or taken over changes nothing and gets null back.
const heldBy = (jobId: string, attempt: number) =>
  and(eq(jobs.id, jobId), eq(jobs.status, "RUNNING"), eq(jobs.attempts, attempt));

/** RUNNING → SUCCEEDED with the handler's result. */
export async function completeJob(db: Db, jobId: string, attempt: number, result: unknown): Promise<JobRow | null> {
  return db.transaction(async (tx) => {
    const [job] = await tx
      .update(jobs)
      .set({
        status: "SUCCEEDED",
        result: result ?? null,
        error: null,
        progress: 1,
        seq: sql`${jobs.seq} + 1`,
        finishedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(heldBy(jobId, attempt))
      .returning();
    if (!job) return null;
    await appendJobEvent(tx, job);
    return job;
  });
}

/** RUNNING → RETRYING: the attempt failed and another one is due at `nextAttemptAt`. */
export async function scheduleRetry(
  db: Db,
  jobId: string,
  attempt: number,
  error: JobError,
  nextAttemptAt: Date,
): Promise<JobRow | null> {
  return db.transaction(async (tx) => {
    const [job] = await tx
      .update(jobs)
      .set({
        status: "RETRYING",
        error,
        nextAttemptAt,
        seq: sql`${jobs.seq} + 1`,
        updatedAt: sql`now()`,
      })
      .where(heldBy(jobId, attempt))
      .returning();
    if (!job) return null;
    await appendJobEvent(tx, job, error.message);
    return job;
  });
}

/** RUNNING → FAILED: no attempt left; the charge is refunded in the same transaction. */
export async function failJob(db: Db, jobId: string, attempt: number, error: JobError): Promise<JobRow | null> {
  return db.transaction(async (tx) => {
    const [job] = await tx
      .update(jobs)
      .set({
        status: "FAILED",
        error,
        nextAttemptAt: null,
        seq: sql`${jobs.seq} + 1`,
        finishedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(heldBy(jobId, attempt))
      .returning();
    if (!job) return null;
    await refundCharge(tx, job, "job failed");
    await appendJobEvent(tx, job, error.message);
    return job;
  });
}

/**
 * RUNNING → QUEUED without spending the attempt: the worker is stopping and
 * hands the job back to the broker for another worker to start over.
 */
export async function releaseJob(db: Db, jobId: string, attempt: number): Promise<JobRow | null> {
  return db.transaction(async (tx) => {
    const [job] = await tx
      .update(jobs)
      .set({
        status: "QUEUED",
        attempts: sql`${jobs.attempts} - 1`,
        progress: 0,
        progressMessage: null,
        seq: sql`${jobs.seq} + 1`,
        updatedAt: sql`now()`,
      })
      .where(heldBy(jobId, attempt))
      .returning();
    if (!job) return null;
    await appendJobEvent(tx, job, "handed back: worker shutting down");
    return job;
  });
}
