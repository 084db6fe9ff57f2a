export interface ProgressReport {
  fraction: number;
  message: string | null;
}

export interface ProgressCoalescerOptions {
  /** Least time between two writes of one job. */
  minIntervalMs: number;
  write: (report: ProgressReport) => Promise<void>;
  now?: () => number;
}

/**
 * Bounds progress writes per job: a report arriving within `minIntervalMs` of
 * the last write replaces any report still waiting, and the waiting one is
 * written when the interval has passed. `flush()` writes what waits at once,
 * so the last report always lands before the job finishes.
 */
export function createProgressCoalescer(options: ProgressCoalescerOptions) {
  const now = options.now ?? Date.now;
  let lastWriteAt = -Infinity;
  let pending: ProgressReport | null = null;
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();

  const writePending = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    const report = pending;
    pending = null;
    if (!report) return writing;
    lastWriteAt = now();
    // Writes are chained so they land in the order they were reported; a
    // failed write is its caller's to see, not every later write's.
    writing = writing.catch(() => {}).then(() => options.write(report));
    return writing;
  };

  return {
    report(fraction: number, message: string | null): Promise<void> {
      pending = { fraction: clampFraction(fraction), message };
      const wait = lastWriteAt + options.minIntervalMs - now();
      if (wait <= 0) return writePending();
      timer ??= setTimeout(() => void writePending().catch(() => {}), wait);
      return Promise.resolve();
    },
    flush(): Promise<void> {
      return writePending();
    },
    /** Drops a waiting report without writing it (the attempt is over). */
    discard(): void {
      if (timer) clearTimeout(timer);
      timer = null;
      pending = null;
    },
  };
}

export function clampFraction(fraction: number): number {
  if (Number.isNaN(fraction)) return 0;
  return Math.min(1, Math.max(0, fraction));
}
