/**
 * Reads of a value that changes on the gateway (the balance), so that an
 * older value never replaces a newer one: one read at a time, and a
 * refresh asked while one is in flight reads once more after it (its
 * answer might predate the change that asked). A value from elsewhere (a
 * mutation's answer) drops the reads in flight and reads once more after
 * them. Pure: the read and what to do with it are passed in.
 */
export function createSequencedReads<T>(read: () => Promise<T>, apply: (value: T) => void, fail: (error: unknown) => void) {
  let inFlight = false;
  let again = false;
  let generation = 0;
  let disposed = false;

  const start = () => {
    inFlight = true;
    again = false;
    const mine = generation;
    read()
      .then(
        (value) => {
          if (!disposed && mine === generation) apply(value);
        },
        (error: unknown) => {
          if (!disposed && mine === generation) fail(error);
        },
      )
      .finally(() => {
        inFlight = false;
        if (again && !disposed) start();
      });
  };

  return {
    /** The value may have changed: read it (now, or after the read in flight). */
    refresh(): void {
      if (disposed) return;
      if (inFlight) again = true;
      else start();
    },
    /** A newer value came from elsewhere: the reads in flight are dropped. */
    supersede(): void {
      generation += 1;
      if (inFlight) again = true;
    },
    dispose(): void {
      disposed = true;
    },
  };
}
