import { and, eq, inArray, sql } from "drizzle-orm";
import type { JobStatus } from "../../domain/job-status.js";
import type { JobHints } from "../../events/job-hints.js";
import type { WebhookRouting } from "../../webhooks/routing.js";
import type { Db } from "../client.js";
import { jobs, users, type JobRow } from "../schema.js";
import { recordWebhookDeliveries } from "./record-webhook-deliveries.js";
import { refundCharge } from "./refund-charge.js";
import { transitionJob } from "./transition-job.js";

export type CancelJobResult =
  | { kind: "cancelled"; job: JobRow; balance: number }
  | { kind: "not-found" }
  | { kind: "invalid-state"; status: JobRow["status"] };

/**
 * Cancels a job not yet finished and refunds it. A RUNNING job's consumer
 * learns of it from the hint announced after commit (or, should that be lost,
 * from its next heartbeat) and aborts its handler; its writes are fenced out
 * from here on. The job.cancelled deliveries are written in the same
 * transaction. `ownerId` null means an admin.
 * With `only`, a job in another status is left as it is (a purge of QUEUED
 * jobs leaves alone one that a worker claimed meanwhile).
 */
export async function cancelJob(
  db: Db,
  hints: JobHints,
  webhooks: WebhookRouting,
  jobId: string,
  ownerId: string | null,
  options: { only?: readonly JobStatus[] } = {},
): Promise<CancelJobResult> {
  const outcome = await db.transaction(async (tx): Promise<CancelJobResult> => {
    const job = await transitionJob(tx, {
      jobId,
      transition: "cancel",
      owner: ownerId ?? undefined,
      changes: { nextAttemptAt: null, finishedAt: sql`now()` },
      message: "cancelled",
      when: options.only ? inArray(jobs.status, [...options.only]) : undefined,
    });
    if (!job) {
      const owned = ownerId === null ? eq(jobs.id, jobId) : and(eq(jobs.id, jobId), eq(jobs.userId, ownerId));
      const [current] = await tx.select({ status: jobs.status }).from(jobs).where(owned);
      return current ? { kind: "invalid-state", status: current.status } : { kind: "not-found" };
    }
    const refunded = await refundCharge(tx, job, "job cancelled");
    await recordWebhookDeliveries(tx, job.id, "job.cancelled", webhooks.endpointsFor("job.cancelled"));
    const balance =
      refunded ?? (await tx.select({ balance: users.balance }).from(users).where(eq(users.id, job.userId)))[0]!.balance;
    return { kind: "cancelled", job, balance };
  });
  if (outcome.kind === "cancelled") hints.announce(outcome.job);
  return outcome;
}
