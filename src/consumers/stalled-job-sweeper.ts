import type { Logger } from "pino";
import type { Db } from "../db/client.js";
import type { JobHints } from "../events/job-hints.js";
import { stalledAfterMs } from "../domain/job-status.js";
import { requeueStalledJobs } from "../db/queries/requeue-stalled-jobs.js";
import type { JobTypeRegistry } from "../jobs/index.js";
import type { WebhookRouting } from "../webhooks/routing.js";

/**
 * Periodically ends attempts whose worker stopped sending heartbeats: the
 * broker still counts the delivery as held (a network cut it has not noticed),
 * so no redelivery would ever come.
 */
export function startStalledJobSweeper(deps: { db: Db; hints: JobHints; webhooks: WebhookRouting; registry: JobTypeRegistry; log: Logger; intervalMs: number; graceMs: number }) {
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = sweep().catch((err: Error) => deps.log.warn({ err: err.message }, "stalled-job sweep failed"));
  }, deps.intervalMs);
  timer.unref();

  async function sweep(): Promise<void> {
    for (const type of deps.registry.list) {
      const requeued = await requeueStalledJobs(deps.db, deps.hints, deps.webhooks, type.name, stalledAfterMs(type, deps.graceMs));
      for (const job of requeued) deps.log.warn({ jobId: job.id, type: job.type, attempt: job.attempts, status: job.status }, "stalled job re-queued");
    }
  }

  return {
    async stop(): Promise<void> {
      clearInterval(timer);
      await running;
    },
  };
}
