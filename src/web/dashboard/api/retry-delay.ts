/** Longest wait before another try, without the jitter. */
export const maxRetryDelayMs = 30_000;
const jitterMs = 1_000;

/**
 * How long to wait before try `attempt` (0 for the first retry): 1 s,
 * doubling, at most 30 s, plus up to 1 s of jitter so that pages cut off
 * together do not all come back at the same moment.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  return Math.min(1_000 * 2 ** Math.max(0, attempt), maxRetryDelayMs) + Math.floor(random() * jitterMs);
}
