import type { Logger } from "pino";
import type { Sql } from "../db/client.js";
import { jobEventsChannel, parseHint, type JobEventHint } from "../db/queries/append-job-event.js";

export type JobEventHintListener = (hint: JobEventHint) => void;

/**
 * One LISTEN connection per process, fanned out to in-process listeners.
 * A notification is only a hint: listeners re-read the rows. When the
 * connection comes back after a drop, notifications sent meanwhile are lost,
 * so every listener is told to re-read (`resync`).
 */
export async function createJobEventListener(sql: Sql, log: Logger) {
  const listeners = new Set<JobEventHintListener>();
  const resyncListeners = new Set<() => void>();
  let listening = false;

  const { unlisten } = await sql.listen(
    jobEventsChannel,
    (payload) => {
      const hint = parseHint(payload);
      if (!hint) return log.warn({ payload }, "ignoring a malformed job event notification");
      for (const listener of listeners) listener(hint);
    },
    () => {
      if (listening) {
        log.info("LISTEN re-established; subscribers re-read their jobs");
        for (const resync of resyncListeners) resync();
      }
      listening = true;
    },
  );

  return {
    /** Calls `onHint` for every event; `onResync` when hints may have been missed. */
    subscribe(onHint: JobEventHintListener, onResync?: () => void): () => void {
      listeners.add(onHint);
      if (onResync) resyncListeners.add(onResync);
      return () => {
        listeners.delete(onHint);
        if (onResync) resyncListeners.delete(onResync);
      };
    },
    close: () => unlisten(),
  };
}

export type JobEventListener = Awaited<ReturnType<typeof createJobEventListener>>;
