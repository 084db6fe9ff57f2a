import { chargeAndCreateJob, chargeAndCreateJobs, type ChargeAndCreateJobResult, type NewJob } from "../db/queries/charge-and-create-job.js";
import type { JobRow } from "../db/schema.js";
import { rejectionReason, type ChargeRefusal } from "../domain/submit-limits.js";
import type { ValidationIssue } from "../domain/validation-issue.js";
import { uploadRefsIn } from "../jobs/upload-ref.js";
import { checkSubmitInput, type SubmitInput } from "./check-submit-input.js";
import { checkUploadRefs } from "./check-upload-refs.js";
import { submitLimitsOf, type Caller, type JobCommandDeps } from "./job-commands.js";

export type SubmitJobOutcome =
  /** `created` false: the idempotency key's first job, charged once. */
  | { kind: "submitted"; job: JobRow; balance: number; created: boolean }
  | { kind: "invalid"; issues: ValidationIssue[] }
  | { kind: "refused"; refusal: ChargeRefusal; cost: number };

export type SubmitJobInput = SubmitInput & { type: string };

/** Echoes a client's string in a message only when it is short enough to help. */
const quoted = (value: string) => (value.length <= 100 ? JSON.stringify(value) : `${JSON.stringify(value.slice(0, 100))}…`);

/**
 * Checks a submit, then charges the caller and records the job in one
 * transaction, then hands it to the broker without waiting. Nothing is
 * written or charged for an invalid or refused submit.
 */
export async function submitJob(deps: JobCommandDeps, caller: Caller, input: SubmitJobInput): Promise<SubmitJobOutcome> {
  const checked = await checkSubmit(deps, caller, input);
  if (checked.kind === "invalid") return checked;
  const outcome = await chargeAndCreateJob(deps.db, deps.hints, checked.job, submitLimitsOf(deps.limits));
  return settleSubmit(deps, checked.job, outcome);
}

/**
 * Many submits in one transaction, one outcome per input in order: an
 * invalid or refused input refuses nothing else, and the balance check
 * covers the inputs in order (each charge sees what the ones before left).
 */
export async function submitJobs(deps: JobCommandDeps, caller: Caller, inputs: readonly SubmitJobInput[]): Promise<SubmitJobOutcome[]> {
  const checked = await Promise.all(inputs.map((input) => checkSubmit(deps, caller, input)));
  const ready = checked.flatMap((check) => (check.kind === "ready" ? [check.job] : []));
  const charged = ready.length > 0 ? await chargeAndCreateJobs(deps.db, deps.hints, ready, submitLimitsOf(deps.limits)) : [];
  let next = 0;
  return checked.map((check) => (check.kind === "invalid" ? check : settleSubmit(deps, check.job, charged[next++]!)));
}

type CheckedSubmit = { kind: "ready"; job: NewJob } | { kind: "invalid"; issues: ValidationIssue[] };

/** Everything that can be said of a submit before anything is written: its type, priority, key and params. */
async function checkSubmit(deps: JobCommandDeps, caller: Caller, input: SubmitJobInput): Promise<CheckedSubmit> {
  const type = deps.registry.get(input.type);
  if (!type) {
    deps.metrics.submitRejected.inc({ reason: "validation" });
    const known = deps.registry.list.map((t) => t.name).join(", ");
    return { kind: "invalid", issues: [{ path: ["input", "type"], message: `unknown job type ${quoted(input.type)}; known types: ${known}` }] };
  }
  const checked = checkSubmitInput(type, input, caller, deps.limits);
  if (checked.issues.length > 0) {
    deps.metrics.submitRejected.inc({ reason: "validation" });
    return { kind: "invalid", issues: checked.issues };
  }
  // Empty at once for a type without upload references: no query.
  const uploadRefs = uploadRefsIn(type.params, checked.params);
  if (uploadRefs.length > 0) {
    const issues = await checkUploadRefs(deps.db, caller.userId, uploadRefs, ["input", "params"]);
    if (issues.length > 0) {
      deps.metrics.submitRejected.inc({ reason: "validation" });
      return { kind: "invalid", issues };
    }
  }
  return {
    kind: "ready",
    job: {
      userId: caller.userId,
      type: type.name,
      params: checked.params,
      priority: checked.priority,
      cost: type.cost,
      maxAttempts: type.maxAttempts,
      idempotencyKey: input.idempotencyKey ?? null,
    },
  };
}

/** Counts and dispatches what the charge decided, and says it as a submit's outcome. */
function settleSubmit(deps: JobCommandDeps, job: NewJob, outcome: ChargeAndCreateJobResult): SubmitJobOutcome {
  switch (outcome.kind) {
    case "refused":
      deps.metrics.submitRejected.inc({ reason: rejectionReason(outcome.refusal) });
      return { kind: "refused", refusal: outcome.refusal, cost: job.cost };
    case "key-reused":
      deps.metrics.submitRejected.inc({ reason: "validation" });
      return {
        kind: "invalid",
        issues: [
          {
            path: ["input", "idempotencyKey"],
            message: `already used for a different request (job ${outcome.job.id}, of type ${outcome.job.type}): a key may be reused only with the same type and params`,
          },
        ],
      };
    case "created":
      deps.metrics.jobsSubmitted.inc({ type: job.type });
      deps.dispatchJob(outcome.job);
      return { kind: "submitted", job: outcome.job, balance: outcome.balance, created: true };
    case "existing":
      return { kind: "submitted", job: outcome.job, balance: outcome.balance, created: false };
  }
}
