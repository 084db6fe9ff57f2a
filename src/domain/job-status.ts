/**
 * Glossary
 * - job: one paid unit of work of a job type, owned by a user, stored in `jobs`.
 * - attempt: one run of a job's handler; `attempts` counts the attempts begun.
 *   The attempt number also fences writes: a consumer may only write to a job
 *   whose `attempts` still equals the attempt it claimed.
 * - event: one row of `job_events`, numbered by the job's `seq`; every status
 *   change and every progress report is one event.
 * - transition: a named change of status (`transitions` below); every write of
 *   a job's status, `seq` or events is one (src/db/queries/transition-job.ts).
 * - terminal: a status no job leaves but by a paid retry (SUCCEEDED never).
 *
 * State machine (transition names in brackets; "fenced": only the attempt that holds the job)
 *   (new) ──submit──▶ QUEUED
 *   QUEUED | RETRYING ──claim──▶ RUNNING          (takeOver: from RUNNING too, a redelivered message)
 *   RUNNING ──progress, fenced──▶ RUNNING
 *   RUNNING ──succeed, fenced──▶ SUCCEEDED
 *   RUNNING ──scheduleRetry, fenced: failed, attempts left──▶ RETRYING ──claim──▶ RUNNING
 *   RUNNING ──fail, fenced: failed, none left──▶ FAILED (refunded)
 *   RUNNING ──release, fenced: worker shutting down──▶ QUEUED (handed back, the attempt not counted)
 *   QUEUED | RETRYING | RUNNING ──cancel──▶ CANCELLED (refunded)
 *   FAILED | CANCELLED ──recharge (retryJob)──▶ QUEUED (charged again)
 * The stalled-job sweeper ends an attempt whose heartbeat stopped with
 * scheduleRetry or fail, fenced by the attempt it found.
 */
export const JobStatus = {
  QUEUED: "QUEUED",
  RUNNING: "RUNNING",
  RETRYING: "RETRYING",
  SUCCEEDED: "SUCCEEDED",
  FAILED: "FAILED",
  CANCELLED: "CANCELLED",
} as const;

export type JobStatus = (typeof JobStatus)[keyof typeof JobStatus];

export const jobStatuses = Object.values(JobStatus);

export interface Transition {
  readonly from: readonly JobStatus[];
  readonly to: JobStatus;
  /** Only the attempt holding the job may make it: the row's `attempts` must equal the writer's. */
  readonly fenced: boolean;
}

/** Every way a job's status changes, as data; the writers' conditions come from here. */
export const transitions = {
  claim: { from: ["QUEUED", "RETRYING"], to: "RUNNING", fenced: false },
  // The message was redelivered, so the consumer that held the job is gone.
  takeOver: { from: ["QUEUED", "RETRYING", "RUNNING"], to: "RUNNING", fenced: false },
  progress: { from: ["RUNNING"], to: "RUNNING", fenced: true },
  succeed: { from: ["RUNNING"], to: "SUCCEEDED", fenced: true },
  scheduleRetry: { from: ["RUNNING"], to: "RETRYING", fenced: true },
  fail: { from: ["RUNNING"], to: "FAILED", fenced: true },
  release: { from: ["RUNNING"], to: "QUEUED", fenced: true },
  cancel: { from: ["QUEUED", "RETRYING", "RUNNING"], to: "CANCELLED", fenced: false },
  recharge: { from: ["FAILED", "CANCELLED"], to: "QUEUED", fenced: false },
} as const satisfies Record<string, Transition>;

export type TransitionName = keyof typeof transitions;

export const transitionNames = Object.keys(transitions) as TransitionName[];

export const terminalStatuses: readonly JobStatus[] = ["SUCCEEDED", "FAILED", "CANCELLED"];

/** A job not finished yet: what `MAX_UNFINISHED_JOBS` counts. The `jobs_user_unfinished` index (migration 0001) lists them too. */
export const unfinishedStatuses: readonly JobStatus[] = jobStatuses.filter((status) => !terminalStatuses.includes(status));

/** Statuses a consumer may claim a job from. */
export const claimableStatuses: readonly JobStatus[] = transitions.claim.from;

/** Statuses `cancelJob` accepts. */
export const cancellableStatuses: readonly JobStatus[] = transitions.cancel.from;

/** Statuses `retryJob` accepts. */
export const retryableStatuses: readonly JobStatus[] = transitions.recharge.from;

export function isTerminal(status: JobStatus): boolean {
  return terminalStatuses.includes(status);
}

/** Whether some transition moves a job from `from` to `to`. */
export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return Object.values(transitions).some((t: Transition) => t.to === to && t.from.includes(from));
}

/** Order of statuses within one attempt, for clients that check monotonic progress. */
export function statusRank(status: JobStatus): number {
  switch (status) {
    case "QUEUED":
    case "RETRYING":
      return 0;
    case "RUNNING":
      return 1;
    default:
      return 2;
  }
}
