import { transitions, type JobStatus, type Transition, type TransitionName } from "../../src/domain/job-status.js";

// Readings of the state machine that only tests need.

export const transitionNames = Object.keys(transitions) as TransitionName[];

/** Statuses `cancelJob` accepts. */
export const cancellableStatuses: readonly JobStatus[] = transitions.cancel.from;

/** Whether some transition moves a job from `from` to `to`. */
export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return Object.values(transitions).some((t: Transition) => t.to === to && t.from.includes(from));
}

/** Order of statuses within one attempt, for checking that a stream's statuses only move forward. */
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
