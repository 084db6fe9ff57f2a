// setTimeout fires at once for delays above 2^31 - 1 ms (about 24.8 days).
const longestTimeoutMs = 2 ** 31 - 1;

/** Calls `fn` at `at` (at once if that has passed); returns the cancel. */
export function callAt(at: Date, fn: () => void, now: () => number = Date.now): () => void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const delay = at.getTime() - now();
    timer = delay > longestTimeoutMs ? setTimeout(arm, longestTimeoutMs) : setTimeout(fn, Math.max(0, delay));
    // A deadline alone should not keep a stopping process alive.
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
