import type { Limits } from "../config.js";
import type { Db } from "../db/client.js";
import type { SubmitLimits } from "../domain/submit-limits.js";
import type { JobHints } from "../events/job-hints.js";
import type { JobTypeRegistry } from "../jobs/index.js";
import type { Metrics } from "../observability/metrics.js";
import type { WebhookRouting } from "../webhooks/routing.js";

/** The I/O submit, cancel and retry need; a GraphQL context is one, a test or a CLI can make another. */
export interface JobCommandDeps {
  db: Db;
  hints: JobHints;
  webhooks: WebhookRouting;
  registry: JobTypeRegistry;
  limits: Limits;
  metrics: Metrics;
  /** Publishes a committed job now, leaving it to the outbox relay if the broker is away. */
  dispatchJob(job: { id: string; type: string; priority: number }): void;
}

/** Who asks: a user acts on their own jobs, an admin on any. */
export interface Caller {
  userId: string;
  isAdmin: boolean;
}

export const ownerScopeOf = (caller: Caller): string | null => (caller.isAdmin ? null : caller.userId);

export const submitLimitsOf = (limits: Limits): SubmitLimits => ({
  burst: limits.submitBurst,
  ratePerSecond: limits.submitRatePerSecond,
  maxUnfinishedJobs: limits.maxUnfinishedJobs,
});
