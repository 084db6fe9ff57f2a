import { and, eq, sql } from "drizzle-orm";
import { retryableStatuses } from "../../domain/job-status.js";
import type { ChargeRefusal, SubmitLimits } from "../../domain/submit-limits.js";
import type { JobHints } from "../../events/job-hints.js";
import type { Db } from "../client.js";
import { jobs, type JobRow } from "../schema.js";
import { chargeAndOutboxRows } from "./charge-and-outbox-rows.js";
import { debitBalance, inChargeTransaction } from "./debit-balance.js";
import { transitionStatement } from "./transition-job.js";
import { UnfinishedJobsCapReached, unfinishedJobsUpTo } from "./unfinished-cap.js";

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
 *
 * Three statements: the job locked and read, the charge (debitBalance), then,
 * under the cap on unfinished jobs, the job queued with its event, ledger
 * entry and outbox row.
 */
export async function rechargeJob(
  db: Db,
  hints: JobHints,
  jobId: string,
  ownerId: string | null,
  options: RechargeOptions,
): Promise<RechargeJobResult> {
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
    const { capped, counted, underCap } = unfinishedJobsUpTo(tx, current.userId, options.limits.maxUnfinishedJobs);
    const { moved, event } = transitionStatement(tx, {
      jobId,
      transition: "recharge",
      changes: {
        maxAttempts: current.attempts + options.attemptsPerRun(current.type),
        progress: 0,
        progressMessage: null,
        result: null,
        error: null,
        nextAttemptAt: null,
        finishedAt: null,
      },
      message: "retried",
      when: underCap,
    });
    const [row] = await tx
      .with(capped, counted, moved, event, ...chargeAndOutboxRows(tx, moved))
      .select()
      .from(counted)
      .leftJoin(moved, sql`true`);
    const job = row?.moved;
    // The job's row is locked: only the cap can stand in the way.
    if (!job) throw new UnfinishedJobsCapReached(row?.counted.unfinished ?? options.limits.maxUnfinishedJobs);
    return { kind: "queued", job, balance: charged.balance };
  });
  if (outcome.kind === "queued") hints.announce(outcome.job);
  return "cost" in outcome || outcome.kind !== "refused" ? outcome : { ...outcome, cost };
}
