import type { Logger } from "pino";
import { ConsumerStatus, type Connection, type Consumer } from "rabbitmq-client";
import { JobCancelledError, WorkerShutdownError } from "../domain/errors.js";
import type { JobPublisher } from "../broker/publisher.js";
import { workQueueName, type Topology } from "../broker/topology.js";
import type { Db } from "../db/client.js";
import type { JobRow } from "../db/schema.js";
import { parseJobMessage } from "../broker/messages.js";
import { claimJob, isFirstClaim } from "../db/queries/claim-job.js";
import { stalledAfterMs } from "../domain/job-status.js";
import { completeJob, failJob, releaseJob, scheduleRetry } from "../db/queries/finish-attempt.js";
import { recordHeartbeats } from "../db/queries/heartbeat.js";
import { findJob } from "../db/queries/read-jobs.js";
import { deleteOutboxEntry } from "../db/queries/outbox.js";
import type { JobHintListener } from "../events/job-hint-listener.js";
import type { JobHints } from "../events/job-hints.js";
import type { JobTypeRegistry } from "../jobs/index.js";
import type { RunJob } from "../jobs/handler.js";
import type { Metrics } from "../observability/metrics.js";
import type { WebhookRouting } from "../webhooks/routing.js";
import { deadLetterReasonCode } from "./dead-letter-reason.js";
import { handleDelivery, type DeliveryPorts } from "./handle-delivery.js";
import { createProgressWriter } from "./progress-writer.js";
import { runAttempt } from "./run-attempt.js";
import type { OpenAttemptResources } from "./attempt-resources.js";
import { readJobTypeSettings } from "../db/queries/read-job-type-settings.js";
import { listenForQueueControls } from "../events/queue-control-notices.js";
import type { JobType } from "../jobs/index.js";
import { startQueueControlsWatch } from "./queue-controls-watch.js";
import { createTypeConsumers, type AdmittedDelivery } from "./type-consumers.js";

export interface ConsumerRuntimeDeps {
  connection: Connection;
  db: Db;
  publisher: JobPublisher;
  registry: JobTypeRegistry;
  /** The handler of each type this worker serves; a type without one is not consumed here. */
  handlers: ReadonlyMap<string, RunJob>;
  /** What app start declared: consumers re-declare their queues with the same arguments. */
  topology: Topology;
  hintListener: JobHintListener;
  /** Announces this process's committed job changes to every process. */
  hints: JobHints;
  /** The app's endpoints told of finished jobs: their deliveries are written with the transition. */
  webhooks: WebhookRouting;
  metrics: Metrics;
  log: Logger;
  progressMinIntervalMs: number;
  heartbeatMs: number;
  /**
   * STALLED_GRACE_MS: a redelivered RUNNING job is taken over only when its
   * heartbeat is older than its type's timeout plus this, the age at which the
   * stalled-job sweeper re-queues it (domain stalledAfterMs); younger, its
   * holder is alive and the redelivery is dropped.
   */
  stalledGraceMs: number;
  shutdownGraceMs: number;
  /** Each attempt's work directory, artifacts, uploads and output (attempt-resources.ts). */
  openResources: OpenAttemptResources;
  /** QUEUE_CONTROLS_POLL_MS: how often the operators' queue controls (pause, concurrency per type) are re-read. */
  queueControlsPollMs: number;
}

// After an unexpected error (database down, say) the message goes back to the
// queue; waiting first keeps a broken dependency from becoming a hot loop.
const requeueDelayMs = 1_000;

/** Starts one consumer per job type; `stop()` drains them (see README: graceful shutdown). */
export function startConsumers(deps: ConsumerRuntimeDeps) {
  const { db, hints, log, metrics } = deps;
  const progress = createProgressWriter(db, hints);
  const running = new Map<string, { attempt: number; claimSeq: number; controller: AbortController }>();
  let stopping = false;

  // Any event of a job this worker runs that is not its own attempt's progress
  // means the job was taken from it: cancelled, taken over by another worker
  // (a new attempt) or re-queued as stalled. The NOTIFY reaches every worker,
  // so the handler stops within moments wherever it runs.
  const unsubscribe = deps.hintListener.subscribe((hint) => {
    const run = running.get(hint.jobId);
    // Hints from before the claim (a late NOTIFY of the previous attempt) are not news.
    if (!run || hint.seq <= run.claimSeq) return;
    if (hint.status !== "RUNNING" || hint.attempt !== run.attempt) run.controller.abort(new JobCancelledError());
  });

  const heartbeat = setInterval(() => {
    const held = [...running].map(([jobId, run]) => ({ jobId, attempt: run.attempt }));
    recordHeartbeats(db, held)
      .then((lost) => {
        // The hint that the job was taken may have been lost: the row says so all the same.
        for (const { jobId, attempt } of lost) {
          const run = running.get(jobId);
          if (run?.attempt === attempt) run.controller.abort(new JobCancelledError());
        }
      })
      .catch((err: Error) => log.warn({ err: err.message }, "heartbeat failed"));
  }, deps.heartbeatMs);
  heartbeat.unref();

  const ports = (type: string): DeliveryPorts => ({
    registry: deps.registry,
    log: log.child({ queue: workQueueName(type) }),
    claimJob: (jobId, type, takeOverAfterMs) => claimJob(db, hints, jobId, { type, takeOverAfterMs }),
    findJob: (jobId) => findJob(db, jobId, null),
    stalledAfterMs: (jobType) => stalledAfterMs(jobType, deps.stalledGraceMs),
    runsHere: (jobId) => running.has(jobId),
    runAttempt: async (job) => {
      const controller = new AbortController();
      // A redelivery never takes a job from an attempt running here (runsHere), but a new message
      // may claim it after the database moved it on from that attempt (re-queued as stalled while
      // this process could not record heartbeats): that attempt is fenced out, so stop it.
      running.get(job.id)?.controller.abort(new JobCancelledError());
      const run = { attempt: job.attempts, claimSeq: job.seq, controller };
      running.set(job.id, run);
      metrics.attemptsRunning.inc({ type: job.type });
      // Both timestamps are the database's: no clock skew between the gateway and this worker.
      if (isFirstClaim(job) && job.startedAt) metrics.jobWait.observe({ type: job.type }, Math.max(0, job.startedAt.getTime() - job.createdAt.getTime()) / 1000);
      const startedAt = performance.now();
      try {
        const outcome = await runAttempt({
          type: deps.registry.get(job.type)!,
          run: deps.handlers.get(job.type)!,
          job,
          controller,
          log: log.child({ jobId: job.id, type: job.type, attempt: job.attempts }),
          progressMinIntervalMs: deps.progressMinIntervalMs,
          writeProgress: (fraction, message) => progress.write({ jobId: job.id, attempt: job.attempts, fraction, message }),
          openResources: deps.openResources,
        });
        metrics.attemptsFinished.inc({ type: job.type, outcome: outcome.kind });
        metrics.attemptDuration.observe({ type: job.type, outcome: outcome.kind }, (performance.now() - startedAt) / 1000);
        return outcome;
      } finally {
        if (running.get(job.id) === run) running.delete(job.id);
        metrics.attemptsRunning.dec({ type: job.type });
      }
    },
    completeJob: (job, result) => completeJob(db, hints, deps.webhooks, job.id, job.attempts, result),
    scheduleRetry: (job, error, nextAttemptAt) => scheduleRetry(db, hints, job.id, job.attempts, error, nextAttemptAt),
    failJob: (job, error) => failJob(db, hints, deps.webhooks, job.id, job.attempts, error),
    releaseJob: (job) => releaseJob(db, hints, job.id, job.attempts),
    publishRetry: async (message, priority, delayMs, outboxId) => {
      await deps.publisher.publishRetry(message, priority, delayMs);
      // Left behind, the row makes the relay publish the job again once due: a duplicate, which consumers skip.
      await deleteOutboxEntry(db, outboxId).catch((err: Error) => log.warn({ jobId: message.jobId, err: err.message }, "outbox row of a published retry not deleted"));
    },
    deadLetter: async (queueType, body, reason) => {
      metrics.deadLettered.inc({ type: queueType, reason: deadLetterReasonCode(reason) });
      await deps.publisher.publishDeadLetter(queueType, toBuffer(body), reason);
    },
    now: Date.now,
  });

  const queueSpecs = new Map(deps.topology.queues.map((q) => [q.queue, q]));

  const served = deps.registry.list.filter((type) => deps.handlers.has(type.name));
  // A type's consumer; createTypeConsumers pauses, resumes and resizes it as its queue controls say.
  const subscribe = (type: JobType, prefetchCount: number, admit: (delivery: AdmittedDelivery) => Promise<ConsumerStatus>): Consumer => {
    const queue = workQueueName(type.name);
    const typePorts = ports(type.name);
    const consumer = deps.connection.createConsumer(
      {
        queue,
        // Re-declared on every reconnect, in case the broker lost its state.
        queueOptions: { durable: true, arguments: queueSpecs.get(queue)!.arguments },
        // The type's concurrency now. The consumer has no `concurrency` of its own: the type's
        // delivery slots (type-consumers.ts) limit the attempts at once, across an old and a new consumer.
        qos: { prefetchCount },
        requeue: true,
      },
      (msg) => admit(async () => {
        // Remembered for the log line of an unexpected failure: which job and attempt it hit.
        let claimed: JobRow | null = null;
        const deliveryPorts: DeliveryPorts = {
          ...typePorts,
          claimJob: async (jobId, jobType, takeOverAfterMs) => (claimed = await typePorts.claimJob(jobId, jobType, takeOverAfterMs)),
        };
        try {
          const settlement = await handleDelivery({ body: msg.body, redelivered: msg.redelivered, queueType: type.name }, deliveryPorts);
          return settlement === "ack" ? ConsumerStatus.ACK : ConsumerStatus.REQUEUE;
        } catch (err) {
          const parsed = parseJobMessage(msg.body);
          const job = claimed as JobRow | null;
          log.error({ err, queue, jobId: job?.id ?? (parsed.ok ? parsed.message.jobId : undefined), attempt: job?.attempts }, "delivery failed unexpectedly; requeued");
          if (!stopping) await new Promise((resolve) => setTimeout(resolve, requeueDelayMs));
          return ConsumerStatus.REQUEUE;
        }
      }),
    );
    consumer.on("error", (err) => {
      // The channel a delivery came on closed while it was handled (a connection blip): the ack
      // cannot be sent and the broker has redelivered the message already. Harmless: the attempt
      // ended in the database, which the redelivery's claim reads (and then skips).
      if (err.message.startsWith("failed to ack/nack")) log.warn({ err: err.message, queue }, "delivery settled after its channel closed; the broker redelivers it, the database decides");
      else log.warn({ err: err.message, queue }, "consumer error");
    });
    return consumer;
  };
  const consumers = createTypeConsumers({ types: served, subscribe, log });
  // Read at start, then every queueControlsPollMs and at once on a NOTIFY: paused types wait, resized ones resubscribe.
  const controls = startQueueControlsWatch({
    types: served,
    readSettings: () => readJobTypeSettings(db),
    listen: (onNotice) => listenForQueueControls(db, onNotice),
    pollMs: deps.queueControlsPollMs,
    apply: (read) => consumers.apply(read),
    log,
  });

  return {
    /** Connected, the queue controls read, and every type not paused has subscribed to its queue. */
    get consuming() {
      return deps.connection.ready && consumers.consuming;
    },
    /**
     * Stops taking deliveries, gives running attempts `shutdownGraceMs` to
     * finish, then aborts the rest, which hand their jobs back to the broker.
     */
    async stop(): Promise<void> {
      stopping = true;
      const watched = controls.stop();
      const closed = consumers.stop();
      const grace = setTimeout(() => {
        for (const run of running.values()) run.controller.abort(new WorkerShutdownError());
      }, deps.shutdownGraceMs);
      await closed;
      await watched;
      clearTimeout(grace);
      clearInterval(heartbeat);
      unsubscribe();
    },
  };
}

function toBuffer(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === "string") return Buffer.from(body);
  return Buffer.from(JSON.stringify(body) ?? "");
}

export type ConsumerRuntime = ReturnType<typeof startConsumers>;
