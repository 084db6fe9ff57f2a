import { and, eq, sql } from "drizzle-orm";
import type { JobError } from "../../domain/errors.js";
import type { Db, Tx } from "../client.js";
import { jobs, type JobRow } from "../schema.js";
import { appendJobEvent } from "./append-job-event.js";
import { refundCharge } from "./refund-charge.js";

type JobChanges = Parameters<ReturnType<Db["update"]>["set"]>[0];

/**
 * Ends an attempt with one fenced UPDATE and its event: a consumer whose
 * attempt was cancelled, taken over or re-queued changes nothing and gets null.
 */
async function endAttempt(
  db: Db,
  jobId: string,
  attempt: number,
  changes: JobChanges,
  eventMessage: (job: JobRow) => string | null,
  inSameTransaction?: (tx: Tx, job: JobRow) => Promise<unknown>,
): Promise<JobRow | null> {
  return db.transaction(async (tx) => {
    const [job] = await tx
      .update(jobs)
      .set({ ...changes, seq: sql`${jobs.seq} + 1`, updatedAt: sql`now()` })
      .where(and(eq(jobs.id, jobId), eq(jobs.status, "RUNNING"), eq(jobs.attempts, attempt)))
      .returning();
    if (!job) return null;
    await inSameTransaction?.(tx, job);
    await appendJobEvent(tx, job, eventMessage(job));
    return job;
  });
}

/** RUNNING → SUCCEEDED with the handler's result. */
export function completeJob(db: Db, jobId: string, attempt: number, result: unknown): Promise<JobRow | null> {
  return endAttempt(
    db,
    jobId,
    attempt,
    { status: "SUCCEEDED", result: result ?? null, error: null, progress: 1, finishedAt: sql`now()` },
    (job) => job.progressMessage,
  );
}

/** RUNNING → RETRYING: the attempt failed and another one is due at `nextAttemptAt`. */
export function scheduleRetry(db: Db, jobId: string, attempt: number, error: JobError, nextAttemptAt: Date): Promise<JobRow | null> {
  return endAttempt(db, jobId, attempt, { status: "RETRYING", error, nextAttemptAt }, () => error.message);
}

/** RUNNING → FAILED: no attempt left; the charge is refunded in the same transaction. */
export function failJob(db: Db, jobId: string, attempt: number, error: JobError): Promise<JobRow | null> {
  return endAttempt(
    db,
    jobId,
    attempt,
    { status: "FAILED", error, nextAttemptAt: null, finishedAt: sql`now()` },
    () => error.message,
    (tx, job) => refundCharge(tx, job, "job failed"),
  );
}

/**
 * RUNNING → QUEUED without spending the attempt: the worker is stopping and
 * hands the job back to the broker for another worker to start over.
 */
export function releaseJob(db: Db, jobId: string, attempt: number): Promise<JobRow | null> {
  return endAttempt(
    db,
    jobId,
    attempt,
    { status: "QUEUED", attempts: sql`${jobs.attempts} - 1`, progress: 0, progressMessage: null },
    () => "handed back: worker shutting down",
  );
}
