import { and, eq, lt, sql } from "drizzle-orm";
import { JobErrorCode, type JobError } from "../../domain/errors.js";
import type { Db } from "../client.js";
import { jobs, outbox, type JobRow } from "../schema.js";
import { appendJobEvent } from "./append-job-event.js";
import { refundCharge } from "./refund-charge.js";

/**
 * Finds RUNNING jobs of a type whose heartbeat is older than `staleAfterMs`
 * (their consumer vanished without the broker noticing) and ends their
 * attempt: RETRYING with a new message through the outbox, or FAILED and
 * refunded when it was the last. SKIP LOCKED lets every worker sweep.
 */
export async function requeueStalledJobs(db: Db, type: string, staleAfterMs: number, limit = 100): Promise<JobRow[]> {
  return db.transaction(async (tx) => {
    const stalled = await tx
      .select({ id: jobs.id, attempts: jobs.attempts, maxAttempts: jobs.maxAttempts })
      .from(jobs)
      .where(
        and(
          eq(jobs.type, type),
          eq(jobs.status, "RUNNING"),
          lt(jobs.heartbeatAt, sql`now() - make_interval(secs => ${staleAfterMs / 1000})`),
        ),
      )
      // Each job leaving RUNNING for FAILED locks its user's row (the refund). Taking those locks
      // in one order keeps two sweepers from deadlocking.
      .orderBy(jobs.userId)
      .limit(limit)
      .for("update", { skipLocked: true });
    const requeued: JobRow[] = [];
    for (const candidate of stalled) {
      const lastAttempt = candidate.attempts >= candidate.maxAttempts;
      const error: JobError = {
        message: `no heartbeat for ${Math.round(staleAfterMs / 1000)} s: the worker running it is gone`,
        code: JobErrorCode.STALLED,
        attempt: candidate.attempts,
      };
      const [job] = await tx
        .update(jobs)
        .set({
          status: lastAttempt ? "FAILED" : "RETRYING",
          error,
          nextAttemptAt: lastAttempt ? null : sql`now()`,
          finishedAt: lastAttempt ? sql`now()` : null,
          seq: sql`${jobs.seq} + 1`,
          updatedAt: sql`now()`,
        })
        .where(eq(jobs.id, candidate.id))
        .returning();
      if (lastAttempt) await refundCharge(tx, job!, "job failed: worker gone");
      else await tx.insert(outbox).values({ jobId: job!.id });
      await appendJobEvent(tx, job!, error.message);
      requeued.push(job!);
    }
    return requeued;
  });
}
