import { Repeater } from "graphql-yoga";

// About half a minute of failed reads in a row, with the backoff below.
const maxReadFailures = 9;

export interface FollowOptions<T> {
  /** Starts listening; calls `wake` whenever something may have changed. Returns the unsubscribe. */
  listen(wake: () => void): () => void;
  /** Reads what is new since the last read (it keeps its own position). */
  readNew(): Promise<T[]>;
  /** True for the item after which the stream ends. */
  isLast?(item: T): boolean;
  /** True once the stream has sent all it ever will (asked after each read's items are sent): it ends even when that read found nothing. */
  isOver?(): boolean;
}

/**
 * Turns change hints into a stream of rows. It listens before its first read,
 * so a change committed during that read still wakes it; every read starts
 * from the rows, never from the hints, so nothing is skipped or repeated
 * however hints are lost, merged or reordered.
 */
export function followChanges<T>(options: FollowOptions<T>): AsyncIterable<T> {
  return new Repeater<T>(async (push, stop) => {
    let dirty = true;
    let wake: (() => void) | null = null;
    const unlisten = options.listen(() => {
      dirty = true;
      wake?.();
    });
    let stopped = false;
    void stop.then(() => {
      stopped = true;
      wake?.();
    });
    const pause = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    let failures = 0;
    try {
      while (!stopped) {
        if (!dirty) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          continue;
        }
        dirty = false;
        let items: T[];
        try {
          items = await options.readNew();
          failures = 0;
        } catch (error) {
          // A database blip should not end a subscription: read again, with
          // backoff, and give up only when it lasts.
          if (++failures > maxReadFailures) throw error;
          dirty = true;
          await pause(Math.min(100 * 2 ** failures, 5_000));
          wake = null;
          continue;
        }
        for (const item of items) {
          if (stopped) return;
          await push(item);
          if (options.isLast?.(item)) {
            stop();
            return;
          }
        }
        if (options.isOver?.()) {
          stop();
          return;
        }
      }
    } catch (error) {
      stop(error);
    } finally {
      unlisten();
    }
  });
}
