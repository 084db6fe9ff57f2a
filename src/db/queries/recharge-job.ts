import { and, eq, sql } from "drizzle-orm";
import { retryableStatuses } from "../../domain/job-status.js";
import type { ChargeRefusal, SubmitLimits } from "../../domain/submit-limits.js";
import type { Db } from "../client.js";
import { jobs, ledgerEntries, outbox, type JobRow } from "../schema.js";
import { appendJobEvent } from "./append-job-event.js";
import { debitBalance, inChargeTransaction } from "./debit-balance.js";

export type RechargeJobResult =
  | { kind: "queued"; job: JobRow; balance: number }
  | { kind: "not-found" }
  | { kind: "invalid-state"; status: JobRow["status"] }
  /** The job's priority is above `maxPriority` (what its type allows the caller). */
  | { kind: "priority-too-high"; priority: number; maxPriority: number }
  | { kind: "refused"; refusal: ChargeRefusal; cost: number };

export interface RechargeOptions {
  /** Attempts a new run of a job of this type gets. */
  attemptsPerRun(type: string): number;
  /** Highest priority the caller may run a job of this type with. */
  maxPriority(type: string): number;
  /** The owner's submit limits, which a retry passes through as a submit does. */
  limits: SubmitLimits;
}

/**
 * Runs a FAILED or CANCELLED job again as the same job: its owner is charged
 * again and it gets `attemptsPerRun` more attempts. Attempt numbers go on
 * from where they were, never reused, since they fence every write of a
 * worker: a worker still holding an old attempt can never pass for the new
 * one. `ownerId` null: admin.
 */
export async function rechargeJob(db: Db, jobId: string, ownerId: string | null, options: RechargeOptions): Promise<RechargeJobResult> {
  let cost = 0;
  const outcome = await inChargeTransaction(db, async (tx): Promise<RechargeJobResult> => {
    const owned = ownerId === null ? eq(jobs.id, jobId) : and(eq(jobs.id, jobId), eq(jobs.userId, ownerId));
    const [current] = await tx.select().from(jobs).where(owned).for("update");
    if (!current) return { kind: "not-found" };
    if (!retryableStatuses.includes(current.status)) return { kind: "invalid-state", status: current.status };

    const maxPriority = options.maxPriority(current.type);
    if (current.priority > maxPriority) return { kind: "priority-too-high", priority: current.priority, maxPriority };

    cost = current.cost;
    const charged = await debitBalance(tx, current.userId, current.cost, options.limits);
    if (!charged.ok) return { kind: "refused", refusal: charged.refusal, cost: current.cost };
    await tx.insert(ledgerEntries).values({ userId: current.userId, amount: -current.cost, kind: "charge", jobId });
    const [job] = await tx
      .update(jobs)
      .set({
        status: "QUEUED",
        maxAttempts: current.attempts + options.attemptsPerRun(current.type),
        progress: 0,
        progressMessage: null,
        result: null,
        error: null,
        nextAttemptAt: null,
        finishedAt: null,
        seq: sql`${jobs.seq} + 1`,
        updatedAt: sql`now()`,
      })
      .where(eq(jobs.id, jobId))
      .returning();
    await appendJobEvent(tx, job!, "retried");
    await tx.insert(outbox).values({ jobId });
    return { kind: "queued", job: job!, balance: charged.balance };
  });
  return "cost" in outcome || outcome.kind !== "refused" ? outcome : { ...outcome, cost };
}
