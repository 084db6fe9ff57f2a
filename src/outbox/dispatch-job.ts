import type { Logger } from "pino";
import type { JobPublisher } from "../broker/publisher.js";
import type { Db } from "../db/client.js";
import { deleteOutboxEntriesOfJob } from "../db/queries/outbox.js";

/**
 * Publishes a just-committed job without making the request wait. If the
 * broker is away or the publish fails, the outbox row stays and the relay
 * publishes it later; `drain()` waits for publishes under way (shutdown).
 */
export function createJobDispatcher(deps: { db: Db; publisher: JobPublisher; log: Logger }) {
  const inFlight = new Set<Promise<void>>();
  return {
    dispatch(job: { id: string; type: string; priority: number }): void {
      if (!deps.publisher.ready) return;
      const publish = deps.publisher
        .publishJob({ jobId: job.id, type: job.type }, job.priority)
        .then(() => deleteOutboxEntriesOfJob(deps.db, job.id))
        .catch((err: Error) => deps.log.warn({ jobId: job.id, err: err.message }, "publish failed; the outbox relay will retry"))
        .finally(() => inFlight.delete(publish));
      inFlight.add(publish);
    },
    async drain(): Promise<void> {
      await Promise.all(inFlight);
    },
  };
}
