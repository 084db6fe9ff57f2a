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
    jobWait: new Histogram({
      name: "jobgw_job_wait_seconds",
      help: "Time from submission to the start of a job's first attempt (its claim by a worker), by type",
      labelNames: ["type"] as const,
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800, 3600],
      registers: [registry],
    }),
    attemptDuration: new Histogram({
      name: "jobgw_attempt_duration_seconds",
      help: "Run time: from claim to the end of an attempt, by type and outcome",
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
    webhookDeliveries: new Counter({
      name: "jobgw_webhook_deliveries_total",
      help: "Webhook delivery tries, by outcome: delivered (a 2xx), retried (another try is scheduled) or failed (the last try failed: given up)",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: "jobgw_dead_lettered_total",
      help: "Messages sent to a dead-letter queue, by type and reason: malformed, unknown_type, wrong_queue, unknown_job, wrong_job_type, attempts_exhausted, not_retryable or other (the full reason is the message's x-reason header)",
      labelNames: ["type", "reason"] as const,
      registers: [registry],
    }),
    operationDuration: new Histogram({
      name: "jobgw_graphql_operation_duration_seconds",
      help: "Time to execute a GraphQL operation (a subscription: until its stream is set up), by operation type, name and outcome. operation_name: the name for the project's own clients' operations, and for up to 100 other names first sent by an authenticated caller (one whose token a field checked); unauthenticated for other names from a caller not authenticated by the operation; other past the 100 or for a malformed name; anonymous without a name",
      labelNames: ["operation_type", "operation_name", "outcome"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    subscriptionsActive: new Gauge({
      name: "jobgw_subscriptions_active",
      help: "Open GraphQL subscriptions (WebSocket and SSE) on this gateway",
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
