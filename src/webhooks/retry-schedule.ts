/**
 * Standard Webhooks' retry schedule: after the first try (at once), retries
 * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h after the previous one failed,
 * eight tries over about 27 hours; then the delivery is given up.
 */
export const standardRetryDelaysMs: readonly number[] = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];

/** What follows a try: the delivery is done, tried again after `delayMs`, or given up (status failed). */
export type TryOutcome = { kind: "delivered" } | { kind: "retry"; delayMs: number } | { kind: "failed" };

/** Whether the endpoint took it: any 2xx. A redirect is not followed, so it counts as a refusal. */
export const isAccepted = (statusCode: number | null) => statusCode !== null && statusCode >= 200 && statusCode < 300;

/**
 * The outcome of try number `tries` (1-based, counting this one) that got
 * `statusCode` (null: no answer, a refused connection or a timeout).
 */
export function tryOutcome(statusCode: number | null, tries: number, delaysMs: readonly number[]): TryOutcome {
  if (isAccepted(statusCode)) return { kind: "delivered" };
  const delayMs = delaysMs[Math.max(tries, 1) - 1];
  return delayMs === undefined ? { kind: "failed" } : { kind: "retry", delayMs };
}
