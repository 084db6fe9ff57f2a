import type { Logger } from "pino";
import type { JobPublisher } from "../broker/publisher.js";
import type { Db } from "../db/client.js";
import { relayOutbox } from "../db/queries/outbox.js";
import type { Metrics } from "../observability/metrics.js";

export interface OutboxRelayDeps {
  db: Db;
  publisher: JobPublisher;
  log: Logger;
  metrics: Metrics;
  pollMs: number;
}

// Younger rows belong to requests still publishing them; leaving them alone
// avoids publishing a job twice in the common case (a duplicate is harmless).
const minAgeMs = 1_000;
const batchSize = 100;

/** Publishes committed jobs that no request managed to publish. */
export function startOutboxRelay(deps: OutboxRelayDeps) {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  async function relayAll(): Promise<void> {
    while (!stopped && deps.publisher.ready) {
      const published = await relayOutbox(deps.db, { minAgeMs, limit: batchSize }, async (entries) => {
        const results = await Promise.allSettled(
          entries.map((entry) => deps.publisher.publishJob({ jobId: entry.jobId, type: entry.type }, entry.priority)),
        );
        const failed = results.filter((r) => r.status === "rejected");
        if (failed.length > 0) deps.log.warn({ failed: failed.length, err: String(failed[0]!.reason) }, "outbox relay: some publishes failed");
        return entries.filter((_, index) => results[index]!.status === "fulfilled").map((entry) => entry.id);
      });
      if (published > 0) {
        deps.metrics.outboxPublished.inc(published);
        deps.log.info({ published }, "outbox relay published jobs");
      }
      if (published < batchSize) return;
    }
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = relayAll()
        .catch((err: Error) => deps.log.warn({ err: err.message }, "outbox relay pass failed"))
        .finally(() => schedule(deps.pollMs));
    }, delayMs);
  }
  schedule(0);

  return {
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
