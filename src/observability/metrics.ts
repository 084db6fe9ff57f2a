import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** The process's Prometheus metrics; one registry per process (or per test app). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    jobsSubmitted: new Counter({
      name: "jobgw_jobs_submitted_total",
      help: "Jobs accepted by submitJob and retryJob, by type",
      labelNames: ["type"] as const,
      registers: [registry],
    }),
    submitRejected: new Counter({
      name: "jobgw_submit_rejected_total",
      help: "submitJob calls answered with an expected error, by reason",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    attemptsFinished: new Counter({
      name: "jobgw_attempts_finished_total",
      help: "Attempts ended by a worker, by type and outcome",
      labelNames: ["type", "outcome"] as const,
      registers: [registry],
    }),
    attemptDuration: new Histogram({
      name: "jobgw_attempt_duration_seconds",
      help: "Time from claim to the end of an attempt",
      labelNames: ["type", "outcome"] as const,
      buckets: [0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
      registers: [registry],
    }),
    attemptsRunning: new Gauge({
      name: "jobgw_attempts_running",
      help: "Attempts this worker is running now, by type",
      labelNames: ["type"] as const,
      registers: [registry],
    }),
    outboxPublished: new Counter({
      name: "jobgw_outbox_relayed_total",
      help: "Jobs published by the outbox relay rather than by the request that submitted them",
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: "jobgw_dead_lettered_total",
      help: "Messages sent to a dead-letter queue, by type and reason",
      labelNames: ["type", "reason"] as const,
      registers: [registry],
    }),
    subscriptionsActive: new Gauge({
      name: "jobgw_subscriptions_active",
      help: "Open GraphQL subscriptions on this gateway",
      registers: [registry],
    }),
    websocketsOpen: new Gauge({
      name: "jobgw_websockets_open",
      help: "Open graphql-ws WebSockets on this gateway",
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
