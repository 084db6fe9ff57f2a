/**
 * Glossary
 * - job: one paid unit of work of a job type, owned by a user, stored in `jobs`.
 * - attempt: one run of a job's handler; `attempts` counts the attempts begun.
 *   The attempt number also fences writes: a consumer may only write to a job
 *   whose `attempts` still equals the attempt it claimed.
 * - event: one row of `job_events`, numbered by the job's `seq`; every status
 *   change and every progress report is one event.
 * - terminal: a status no job leaves (SUCCEEDED, FAILED, CANCELLED).
 *
 * State machine
 *   QUEUED ──claim──▶ RUNNING ──success──▶ SUCCEEDED
 *                       │  └──failure, attempts left──▶ RETRYING ──claim──▶ RUNNING
 *                       └──failure, none left──▶ FAILED
 *   QUEUED | RETRYING | RUNNING ──cancel──▶ CANCELLED
 *   RUNNING ──worker shutting down──▶ QUEUED (handed back, the attempt not counted)
 *   FAILED | CANCELLED ──retryJob──▶ QUEUED (charged again)
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

export const terminalStatuses: readonly JobStatus[] = ["SUCCEEDED", "FAILED", "CANCELLED"];

/** A job not finished yet: what `MAX_UNFINISHED_JOBS` counts. The `jobs_user_unfinished` index (migration 0001) lists them too. */
export const unfinishedStatuses: readonly JobStatus[] = ["QUEUED", "RUNNING", "RETRYING"];

/** Statuses a consumer may claim a job from. */
export const claimableStatuses: readonly JobStatus[] = ["QUEUED", "RETRYING"];

/** Statuses `cancelJob` accepts. */
export const cancellableStatuses: readonly JobStatus[] = ["QUEUED", "RETRYING", "RUNNING"];

/** Statuses `retryJob` accepts. */
export const retryableStatuses: readonly JobStatus[] = ["FAILED", "CANCELLED"];

const transitions: Record<JobStatus, readonly JobStatus[]> = {
  QUEUED: ["RUNNING", "CANCELLED"],
  RUNNING: ["RUNNING", "SUCCEEDED", "RETRYING", "FAILED", "CANCELLED", "QUEUED"],
  RETRYING: ["RUNNING", "CANCELLED"],
  SUCCEEDED: [],
  FAILED: ["QUEUED"],
  CANCELLED: ["QUEUED"],
};

export function isTerminal(status: JobStatus): boolean {
  return terminalStatuses.includes(status);
}

export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return transitions[from].includes(to);
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
