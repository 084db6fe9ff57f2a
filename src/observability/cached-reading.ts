import { settledWithin } from "../timers/settled-within.js";

export interface CachedReadingOptions {
  /** How long an answer (or the lack of one) is served before the source is read again. */
  maxAgeMs: number;
  /** How long a caller waits for the source; past it, the caller gets null. */
  timeoutMs: number;
  now?: () => number;
}

/**
 * Reads a slow or unreliable source (a broker's queue depths) for callers
 * that must answer fast and never fail (a /metrics scrape): at most one read
 * at a time, its answer kept `maxAgeMs`; a read that fails or takes longer
 * than `timeoutMs` answers null, also kept `maxAgeMs`, so an unreachable
 * source costs one timeout per period, not one per caller. A read still
 * pending past its timeout is not repeated until it settles.
 */
export function createCachedReading<T>(read: () => Promise<T>, options: CachedReadingOptions) {
  const now = options.now ?? Date.now;
  let answer: { value: T | null; at: number } | null = null;
  let pending: Promise<T | null> | null = null;
  let pendingSettled = true;

  const start = (): Promise<T | null> => {
    const startedAt = now();
    pendingSettled = false;
    const reading = read();
    const markSettled = () => {
      pendingSettled = true;
    };
    reading.then(markSettled, markSettled);
    return settledWithin(reading, options.timeoutMs).then((value) => {
      answer = { value, at: startedAt };
      pending = null;
      return value;
    });
  };

  return {
    get(): Promise<T | null> {
      if (answer && now() - answer.at < options.maxAgeMs) return Promise.resolve(answer.value);
      if (pending) return pending;
      // The last read timed out and has not settled yet: asking again would pile reads up.
      if (!pendingSettled) return Promise.resolve(null);
      pending = start();
      return pending;
    },
  };
}
