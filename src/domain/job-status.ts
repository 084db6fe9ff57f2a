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
 * - heartbeat: a RUNNING job's `heartbeat_at`, refreshed by the worker holding
 *   the attempt every HEARTBEAT_MS. It, not the broker, says who holds a job:
 *   stale (older than the type's timeout plus STALLED_GRACE_MS, stalledAfterMs)
 *   means the holder is gone; the stalled-job sweeper re-queues such a job and
 *   a redelivered message may take it over. Fresh, a redelivery is dropped.
 *
 * State machine (transition names in brackets; "fenced": only the attempt that holds the job)
 *   (new) ──submit──▶ QUEUED
 *   QUEUED | RETRYING ──claim──▶ RUNNING          (takeOver: from RUNNING too, a redelivered message
 *                                                  whose holder's heartbeat is stale: claim-job.ts)
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
  // A redelivered message, and from RUNNING only when the holder's heartbeat is stale (claimJob's
  // condition): a redelivery alone may be a connection blip while the holder still runs the job.
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

export const terminalStatuses: readonly JobStatus[] = ["SUCCEEDED", "FAILED", "CANCELLED"];

/** A job not finished yet: what `MAX_UNFINISHED_JOBS` counts. The `jobs_user_unfinished` index (migration 0001) lists them too. */
export const unfinishedStatuses: readonly JobStatus[] = jobStatuses.filter((status) => !terminalStatuses.includes(status));

/** Statuses a consumer may claim a job from. */
export const claimableStatuses: readonly JobStatus[] = transitions.claim.from;

/** Statuses `retryJob` accepts. */
export const retryableStatuses: readonly JobStatus[] = transitions.recharge.from;

export function isTerminal(status: JobStatus): boolean {
  return terminalStatuses.includes(status);
}

/**
 * How long a RUNNING job's heartbeat may be silent before its holder counts
 * as gone: the type's timeout plus STALLED_GRACE_MS. One threshold for both
 * who act on it, so a job is never alive to one and dead to the other: the
 * stalled-job sweeper re-queues such a job, and a redelivered message takes
 * it over (claimJob). Why the timeout and not a few heartbeats: the attempt
 * began before its last heartbeat, so by then its own timeout has aborted it
 * even in a worker that is alive but cut off from the database (a network
 * partition), and the grace covers the abort's latency. A new attempt thus
 * never starts while an old one may still run. The price: a job whose worker
 * died waits that long to run again.
 */
export function stalledAfterMs(type: { readonly timeoutMs: number }, graceMs: number): number {
  return type.timeoutMs + graceMs;
}
