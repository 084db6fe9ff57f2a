/** What a load run did: operations completed, how long it took, and each operation's latency in ms. */
export interface LoadResult {
  completed: number;
  seconds: number;
  latenciesMs: number[];
}

/**
 * Closed loop: `workers` loops each run `operation` back to back, until
 * `count` operations have started or `durationMs` has passed. The first
 * error stops every loop and is thrown.
 */
export async function closedLoop(options: {
  workers: number;
  count?: number;
  durationMs?: number;
  operation: (worker: number, index: number) => Promise<void>;
}): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  const started = performance.now();
  const deadline = options.durationMs === undefined ? Infinity : started + options.durationMs;
  const count = options.count ?? Infinity;
  let next = 0;
  let failed = false;
  await Promise.all(
    Array.from({ length: options.workers }, async (_, worker) => {
      while (!failed && next < count && performance.now() < deadline) {
        const index = next++;
        const t0 = performance.now();
        try {
          await options.operation(worker, index);
        } catch (error) {
          failed = true;
          throw error;
        }
        latenciesMs.push(performance.now() - t0);
      }
    }),
  );
  return { completed: latenciesMs.length, seconds: (performance.now() - started) / 1000, latenciesMs };
}

/**
 * Open loop: starts `operation` at `ratePerSecond` for `durationMs`, whether
 * or not earlier ones have finished. Latency counts from the moment an
 * operation was due, so a stalled server is not hidden by a stalled client.
 */
export async function openLoop(options: {
  ratePerSecond: number;
  durationMs: number;
  operation: (index: number) => Promise<void>;
}): Promise<LoadResult> {
  const total = Math.max(1, Math.round((options.ratePerSecond * options.durationMs) / 1000));
  const intervalMs = 1000 / options.ratePerSecond;
  const latenciesMs: number[] = [];
  const pending: Promise<void>[] = [];
  const started = performance.now();
  let failure: unknown = null;
  let index = 0;
  while (index < total && failure === null) {
    const now = performance.now();
    while (index < total && started + index * intervalMs <= now) {
      const dueAt = started + index * intervalMs;
      pending.push(
        options.operation(index).then(
          () => void latenciesMs.push(performance.now() - dueAt),
          (error: unknown) => void (failure ??= error),
        ),
      );
      index++;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(5, started + index * intervalMs - performance.now()))));
  }
  await Promise.all(pending);
  if (failure !== null) throw failure;
  return { completed: latenciesMs.length, seconds: (performance.now() - started) / 1000, latenciesMs };
}
