/** The label values jobgw_dead_lettered_total's `reason` takes: a fixed set, whatever the messages hold. */
export type DeadLetterReasonCode = "malformed" | "unknown_type" | "wrong_queue" | "unknown_job" | "wrong_job_type" | "attempts_exhausted" | "not_retryable" | "other";

// The shapes of the reasons handleDelivery and parseJobMessage write (x-reason); ids and types in them stay out of labels.
const codes: [RegExp, DeadLetterReasonCode][] = [
  [/^body is not (JSON|a job message)\b/, "malformed"],
  [/^unknown job type "/, "unknown_type"],
  [/^a ".*" job on the queue of "/s, "wrong_queue"],
  [/^job \S+ does not exist$/, "unknown_job"],
  [/^job \S+ is a ".*" job, not "/s, "wrong_job_type"],
  [/^failed after \d+ attempts\b/, "attempts_exhausted"],
  [/^failed on attempt \d+, not retryable\b/, "not_retryable"],
];

/** The fixed code for a dead-letter reason (the text sent in x-reason), for a metric label. */
export function deadLetterReasonCode(reason: string): DeadLetterReasonCode {
  return codes.find(([shape]) => shape.test(reason))?.[1] ?? "other";
}
