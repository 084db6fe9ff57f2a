import type { Logger } from "pino";
import { effectiveQueueControls, type QueueControl, type QueueControlSetting } from "../domain/queue-controls.js";

export interface QueueControlsWatchDeps {
  /** The types whose controls are wanted, with their own concurrency (the default). */
  types: readonly { name: string; concurrency: number }[];
  readSettings(): Promise<QueueControlSetting[]>;
  /** Calls `onNotice` when a change is announced (and when LISTEN is re-established); resolves to its unlisten. */
  listen(onNotice: () => void): Promise<() => Promise<void>>;
  /** Re-read this often, notice or not: a notice is only a hint. */
  pollMs: number;
  apply(controls: Map<string, QueueControl>): void;
  log: Logger;
}

/**
 * Reads the queue controls at once, then every `pollMs` and on each notice,
 * and hands every reading to `apply`. One reading at a time; a notice during
 * one makes another follow it. A failed reading keeps what was applied.
 */
export function startQueueControlsWatch(deps: QueueControlsWatchDeps) {
  let reading: Promise<void> | null = null;
  let readAgain = false;
  let failing = false;
  let stopped = false;
  let unlisten: (() => Promise<void>) | null = null;

  const readOnce = async () => {
    try {
      const settings = await deps.readSettings();
      if (stopped) return;
      deps.apply(effectiveQueueControls(deps.types, settings));
      if (failing) deps.log.info("queue controls read again");
      failing = false;
    } catch (err) {
      // Once per outage, not every poll.
      if (!failing) deps.log.warn({ err: (err as Error).message }, "reading queue controls failed; keeping the current ones");
      failing = true;
    }
  };

  /** Reads the controls now (or right after the reading under way) and applies them. */
  const refresh = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (reading) {
      readAgain = true;
      return reading;
    }
    reading = (async () => {
      do {
        readAgain = false;
        await readOnce();
      } while (readAgain && !stopped);
    })().finally(() => {
      reading = null;
    });
    return reading;
  };

  const timer = setInterval(() => void refresh(), deps.pollMs);
  timer.unref();
  const first = refresh();
  // Not awaited: the poll does not depend on LISTEN, which may wait for a database that is away.
  deps.listen(() => void refresh()).then(
    (stop) => (stopped ? void stop().catch(() => {}) : (unlisten = stop)),
    (err: Error) => deps.log.warn({ err: err.message }, "not listening for queue controls notices; polling only"),
  );

  return {
    /** Resolves once the first reading was applied (or failed). */
    started: first,
    refresh,
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      await reading;
      await unlisten?.().catch(() => {});
    },
  };
}

export type QueueControlsWatch = ReturnType<typeof startQueueControlsWatch>;
