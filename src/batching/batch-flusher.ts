/**
 * Collects items and hands them to `flush` in batches: the first item waits
 * for the current I/O callbacks to finish (so work completing together shares
 * a batch), and while a flush is in flight new items wait for the next one,
 * so batches grow with the load and one flush at a time runs. `flush` must
 * handle its own errors.
 */
export function createBatchFlusher<T>(flush: (items: T[]) => Promise<void>) {
  let pending: T[] = [];
  let flushing: Promise<void> | null = null;

  function schedule(): void {
    if (flushing) return;
    flushing = new Promise<void>((resolve) => setImmediate(resolve))
      .then(async () => {
        while (pending.length > 0) {
          const items = pending;
          pending = [];
          await flush(items);
        }
      })
      .finally(() => {
        flushing = null;
        if (pending.length > 0) schedule();
      });
  }

  return {
    add(item: T): void {
      pending.push(item);
      schedule();
    },
    /** Resolves once every item added so far was flushed. */
    async flushed(): Promise<void> {
      while (flushing) await flushing;
    },
  };
}
