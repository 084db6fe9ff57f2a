import { maxPriority } from "../broker/topology.js";
import { rechargeJob, type RechargeJobResult } from "../db/queries/recharge-job.js";
import { isUuid } from "../domain/ids.js";
import { rejectionReason } from "../domain/submit-limits.js";
import { defaultMaxUserPriority } from "../jobs/define-job-type.js";
import { ownerScopeOf, submitLimitsOf, type Caller, type JobCommandDeps } from "./job-commands.js";

/** Runs a FAILED or CANCELLED job again as the same job; its owner is charged again. */
export async function retryJob(deps: JobCommandDeps, caller: Caller, jobId: string): Promise<RechargeJobResult> {
  if (!isUuid(jobId)) return { kind: "not-found" };
  const outcome = await rechargeJob(deps.db, deps.hints, jobId, ownerScopeOf(caller), {
    attemptsPerRun: (type) => deps.registry.get(type)?.maxAttempts ?? 1,
    maxPriority: (type) => (caller.isAdmin ? maxPriority : (deps.registry.get(type)?.maxUserPriority ?? defaultMaxUserPriority)),
    limits: submitLimitsOf(deps.limits),
  });
  if (outcome.kind === "queued") {
    deps.metrics.jobsSubmitted.inc({ type: outcome.job.type });
    deps.dispatchJob(outcome.job);
  } else if (outcome.kind === "refused") {
    deps.metrics.submitRejected.inc({ reason: rejectionReason(outcome.refusal) });
  }
  return outcome;
}
