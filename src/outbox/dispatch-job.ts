import type { Logger } from "pino";
import { createBatchFlusher } from "../batching/batch-flusher.js";
import type { JobPublisher } from "../broker/publisher.js";
import type { Db } from "../db/client.js";
import { deleteOutboxEntriesOfJobs } from "../db/queries/outbox.js";

/**
 * Publishes a just-committed job without making the request wait. If the
 * broker is away or the publish fails, the outbox row stays and the relay
 * publishes it later. Confirmed jobs leave the outbox in batches (one DELETE
 * for many); `drain()` waits for publishes and deletes under way (shutdown).
 */
export function createJobDispatcher(deps: { db: Db; publisher: JobPublisher; log: Logger }) {
  const inFlight = new Set<Promise<void>>();
  const confirmed = createBatchFlusher<string>((jobIds) =>
    // Left behind, an entry is published again by the relay: a duplicate, which consumers ignore.
    deleteOutboxEntriesOfJobs(deps.db, jobIds).catch((err: Error) =>
      deps.log.warn({ jobs: jobIds.length, err: err.message }, "outbox entries of published jobs not deleted; the relay will publish them again"),
    ),
  );
  return {
    dispatch(job: { id: string; type: string; priority: number }): void {
      if (!deps.publisher.ready) return;
      const publish = deps.publisher
        .publishJob({ jobId: job.id, type: job.type }, job.priority)
        .then(() => confirmed.add(job.id))
        .catch((err: Error) => deps.log.warn({ jobId: job.id, err: err.message }, "publish failed; the outbox relay will retry"))
        .finally(() => inFlight.delete(publish));
      inFlight.add(publish);
    },
    async drain(): Promise<void> {
      await Promise.all(inFlight);
      await confirmed.flushed();
    },
  };
}
