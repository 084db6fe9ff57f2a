/**
 * Runs `work` over `items` with at most `limit` at once, and answers the
 * results in the items' order. The first failure stops the rest: the signal
 * each run gets aborts (with that error) so runs under way end their child
 * processes, no further run starts, and the failure is thrown once every run
 * under way has ended. `signal` (the attempt's) aborts them all the same.
 */
export async function mapWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  signal: AbortSignal,
  work: (item: T, index: number, signal: AbortSignal) => Promise<R>,
): Promise<R[]> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const runner = async () => {
    while (failure === null && !controller.signal.aborted && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index]!, index, controller.signal);
      } catch (error) {
        if (failure === null) {
          failure = { error };
          controller.abort(error);
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, runner));
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
  if (failure !== null) throw (failure as { error: unknown }).error;
  signal.throwIfAborted();
  return results;
}
