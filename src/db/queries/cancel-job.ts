import { and, eq, inArray, sql } from "drizzle-orm";
import { cancellableStatuses } from "../../domain/job-status.js";
import type { Db } from "../client.js";
import { jobs, users, type JobRow } from "../schema.js";
import { appendJobEvent } from "./append-job-event.js";
import { refundCharge } from "./refund-charge.js";

export type CancelJobResult =
  | { kind: "cancelled"; job: JobRow; balance: number }
  | { kind: "not-found" }
  | { kind: "invalid-state"; status: JobRow["status"] };

/**
 * Cancels a job not yet finished and refunds it. A RUNNING job's consumer
 * learns of it from the event's notification and aborts its handler; its
 * writes are fenced out from here on. `ownerId` null means an admin.
 */
export async function cancelJob(db: Db, jobId: string, ownerId: string | null): Promise<CancelJobResult> {
  return db.transaction(async (tx) => {
    const owned = ownerId === null ? eq(jobs.id, jobId) : and(eq(jobs.id, jobId), eq(jobs.userId, ownerId));
    const [job] = await tx
      .update(jobs)
      .set({
        status: "CANCELLED",
        nextAttemptAt: null,
        seq: sql`${jobs.seq} + 1`,
        finishedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(and(owned, inArray(jobs.status, [...cancellableStatuses])))
      .returning();
    if (!job) {
      const [current] = await tx.select({ status: jobs.status }).from(jobs).where(owned);
      return current ? { kind: "invalid-state", status: current.status } : { kind: "not-found" };
    }
    const refunded = await refundCharge(tx, job, "job cancelled");
    await appendJobEvent(tx, job, "cancelled");
    const balance =
      refunded ?? (await tx.select({ balance: users.balance }).from(users).where(eq(users.id, job.userId)))[0]!.balance;
    return { kind: "cancelled", job, balance };
  });
}
