import { credits, elapsedMs, formatDuration, nextAttemptIn, ordinal, startsIn } from "../format.js";

export interface TimedJob {
  type: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  cost: number;
  queuePosition?: number | null;
  estimatedStartAt?: string | null;
  nextAttemptAt?: string | null;
  startedAt?: string | null;
  finishedAt?: string | null;
}

/**
 * The line under a job's progress bar: where it stands in the queue and when
 * it should start, when it retries, or how long it has run. Pure: `now` is
 * an argument.
 */
export function jobTimingText(job: TimedJob, now: number): string {
  const elapsed = elapsedMs(job, now);
  const ran = elapsed === null ? null : formatDuration(elapsed);
  const parts: string[] = [];
  switch (job.status) {
    case "QUEUED":
      // queuePosition is 1-based: 1 = the next job of its type to start.
      parts.push(job.queuePosition != null ? `${ordinal(job.queuePosition)} in the ${job.type} queue` : "queued");
      parts.push(startsIn(job.estimatedStartAt, now) ?? "start time not known yet");
      break;
    case "RUNNING":
      parts.push(`running for ${ran ?? formatDuration(0)}`);
      if (job.attempts > 1) parts.push(`attempt ${job.attempts} of ${job.maxAttempts}`);
      break;
    case "RETRYING":
      parts.push(`attempt ${job.attempts} of ${job.maxAttempts} failed`);
      parts.push(nextAttemptIn(job.nextAttemptAt, now) ?? "next attempt soon");
      break;
    case "SUCCEEDED":
      parts.push(ran ? `took ${ran}` : "done");
      break;
    case "FAILED":
      parts.push(`failed after ${job.attempts} ${job.attempts === 1 ? "attempt" : "attempts"}`);
      if (ran) parts.push(`ran ${ran}`);
      break;
    case "CANCELLED":
      parts.push(ran ? `cancelled after ${ran}` : "cancelled before it started");
      break;
  }
  return parts.join(" · ");
}

/** A failed or cancelled job's cost comes back to its owner; null for any other status. */
export function refundText(job: { status: string; cost: number }): string | null {
  return job.status === "FAILED" || job.status === "CANCELLED" ? `refunded ${credits(job.cost)}` : null;
}
