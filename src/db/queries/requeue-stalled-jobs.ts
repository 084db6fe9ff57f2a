import { and, eq, lt, sql } from "drizzle-orm";
import { JobErrorCode, type JobError } from "../../domain/errors.js";
import type { JobHints } from "../../events/job-hints.js";
import type { WebhookRouting } from "../../webhooks/routing.js";
import type { Db, Tx } from "../client.js";
import { jobs, outbox, type JobRow } from "../schema.js";
import { failAttempt } from "./finish-attempt.js";
import { transitionJob } from "./transition-job.js";

/**
 * Finds RUNNING jobs of a type whose heartbeat is older than `staleAfterMs`
 * (their consumer vanished without the broker noticing) and ends their
 * attempt as their worker would have, fenced by the attempt found: RETRYING
 * with a new message through the outbox, or FAILED and refunded when it was
 * the last (with its job.failed webhook deliveries). SKIP LOCKED lets every
 * worker sweep.
 */
export async function requeueStalledJobs(
  db: Db,
  hints: JobHints,
  webhooks: WebhookRouting,
  type: string,
  staleAfterMs: number,
  limit = 100,
): Promise<JobRow[]> {
  const requeued = await db.transaction(async (tx) => {
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
    const ended: JobRow[] = [];
    for (const candidate of stalled) {
      const error: JobError = {
        message: `no heartbeat for ${Math.round(staleAfterMs / 1000)} s: the worker running it is gone`,
        code: JobErrorCode.STALLED,
        attempt: candidate.attempts,
      };
      const job =
        candidate.attempts >= candidate.maxAttempts
          ? await failAttempt(tx, webhooks, { jobId: candidate.id, attempt: candidate.attempts, error, refundReason: "job failed: worker gone" })
          : await retryStalled(tx, candidate.id, candidate.attempts, error);
      if (job) ended.push(job);
    }
    return ended;
  });
  for (const job of requeued) hints.announce(job);
  return requeued;
}

async function retryStalled(tx: Tx, jobId: string, attempt: number, error: JobError) {
  const job = await transitionJob(tx, {
    jobId,
    transition: "scheduleRetry",
    fence: { attempt },
    changes: { error, nextAttemptAt: sql`now()`, finishedAt: null },
    message: error.message,
  });
  if (job) await tx.insert(outbox).values({ jobId });
  return job;
}
