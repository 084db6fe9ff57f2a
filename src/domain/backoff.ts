/** Default retry delays, one RabbitMQ retry queue per tier. */
export const defaultBackoffTiersMs: readonly number[] = [1_000, 5_000, 15_000, 60_000, 300_000];

/**
 * The delay before the next try after `failedAttempt` (1-based) failed.
 * Attempts past the last tier reuse the last tier, so a type with more
 * attempts than tiers keeps a bounded number of retry queues.
 */
export function retryDelayMs(tiersMs: readonly number[], failedAttempt: number): number {
  if (tiersMs.length === 0) return 0;
  const index = Math.min(Math.max(failedAttempt, 1), tiersMs.length) - 1;
  return tiersMs[index]!;
}
