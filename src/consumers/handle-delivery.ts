import type { Logger } from "pino";
import { retryDelayMs } from "../domain/backoff.js";
import { JobErrorCode, type JobError } from "../domain/errors.js";
import { parseJobMessage, type JobMessage } from "../broker/messages.js";
import type { JobRow } from "../db/schema.js";
import type { ScheduledRetry } from "../db/queries/finish-attempt.js";
import type { JobType, JobTypeRegistry } from "../jobs/index.js";
import type { AttemptOutcome } from "./run-attempt.js";

/** What to tell RabbitMQ about a delivery once it is handled. */
export type Settlement = "ack" | "requeue";

export interface Delivery {
  body: unknown;
  redelivered: boolean;
  /** The type whose work queue the delivery came from. */
  queueType: string;
}

/** The I/O a delivery needs, injected so this logic runs without a broker. */
export interface DeliveryPorts {
  registry: JobTypeRegistry;
  log: Logger;
  /**
   * Claims the job if it is of `type` and waiting to run; with a number, also
   * a RUNNING one whose heartbeat is older than that many ms (claim-job.ts).
   */
  claimJob(jobId: string, type: string, takeOverAfterMs: number | null): Promise<JobRow | null>;
  /** The job's row as it is now, or null when there is no such job. */
  findJob(jobId: string): Promise<Pick<JobRow, "type" | "status" | "attempts"> | null>;
  /**
   * How long a RUNNING job's heartbeat must be silent before a redelivery may
   * take it over: the stalled-job sweeper's threshold (domain stalledAfterMs).
   */
  stalledAfterMs(type: JobType): number;
  /** Whether an attempt of this job is running in this process right now. */
  runsHere(jobId: string): boolean;
  runAttempt(job: JobRow): Promise<AttemptOutcome>;
  completeJob(job: JobRow, result: unknown): Promise<unknown>;
  /** RETRYING, with an outbox row due at `nextAttemptAt` that stands for the retry's message until it is confirmed. */
  scheduleRetry(job: JobRow, error: JobError, nextAttemptAt: Date): Promise<ScheduledRetry | null>;
  failJob(job: JobRow, error: JobError): Promise<JobRow | null>;
  /** Hands the job back (QUEUED) with a new message through the outbox. */
  releaseJob(job: JobRow): Promise<unknown>;
  /** Publishes a retry to its backoff tier and, once confirmed, deletes its outbox row. */
  publishRetry(message: JobMessage, priority: number, delayMs: number, outboxId: number): Promise<void>;
  deadLetter(type: string, body: unknown, reason: string): Promise<void>;
  now(): number;
}

/**
 * Claim, run, and settle one delivery; every path ends in an explicit
 * settlement. Poison messages go to the dead-letter queue with their reason.
 */
export async function handleDelivery(delivery: Delivery, ports: DeliveryPorts): Promise<Settlement> {
  const parsed = parseJobMessage(delivery.body);
  if (!parsed.ok) return poison(delivery, ports, parsed.reason);
  const { message } = parsed;
  const type = ports.registry.get(message.type);
  if (!type) return poison(delivery, ports, `unknown job type "${message.type}"`, message.jobId);
  if (message.type !== delivery.queueType) {
    return poison(delivery, ports, `a "${message.type}" job on the queue of "${delivery.queueType}"`, message.jobId);
  }

  // A redelivery says only that the channel it was first delivered on closed: its consumer may
  // have died, or a connection blip cut it off while the attempt runs on. The database decides:
  // the claim takes over a RUNNING job only when its heartbeat is stale, by the same threshold
  // the stalled-job sweeper re-queues at. An attempt running in this very process is alive
  // whatever its heartbeat says: then only a job waiting to run is claimed.
  const takeOverAfterMs = delivery.redelivered && !ports.runsHere(message.jobId) ? ports.stalledAfterMs(type) : null;
  const job = await ports.claimJob(message.jobId, message.type, takeOverAfterMs);
  if (!job) {
    const row = await ports.findJob(message.jobId);
    if (row === null) return poison(delivery, ports, `job ${message.jobId} does not exist`, message.jobId);
    if (row.type !== message.type) return poison(delivery, ports, `job ${message.jobId} is a "${row.type}" job, not "${message.type}"`, message.jobId);
    if (delivery.redelivered && row.status === "RUNNING") {
      // Acked, not requeued: the holder ends the attempt through the database (its own ack may
      // fail on its closed channel, harmlessly), and if it dies instead, its heartbeat goes stale
      // and the sweeper re-queues the job with a message of its own.
      const reason = takeOverAfterMs === null ? "its attempt still runs in this worker" : "its holder's heartbeat is fresh";
      ports.log.info({ jobId: message.jobId, attempt: row.attempts }, `redelivery of a RUNNING job dropped: ${reason}`);
    } else {
      ports.log.debug({ jobId: message.jobId, status: row.status }, "skipping a delivery for a job not waiting to run");
    }
    return "ack";
  }
  const log = ports.log.child({ jobId: job.id, type: job.type, attempt: job.attempts });

  if (job.attempts > job.maxAttempts) {
    // Taken over after its consumer died during the last attempt.
    const error: JobError = { message: "the worker running the last attempt stopped", code: JobErrorCode.STALLED, attempt: job.attempts };
    return giveUp(job, error, delivery, ports, log);
  }

  const outcome = await ports.runAttempt(job);
  switch (outcome.kind) {
    case "succeeded":
      if (await ports.completeJob(job, outcome.result)) log.info("job succeeded");
      else log.info("attempt finished after the job was taken from it; result dropped");
      return "ack";
    case "cancelled":
      log.info("attempt stopped: the job was cancelled or taken over");
      return "ack";
    case "shutdown":
      // Acked: the job gets a new message with the hand-back (releaseJob). A requeue would be lost
      // if this delivery's channel closed meanwhile and its redelivery was dropped as held.
      await ports.releaseJob(job);
      log.info("attempt handed back: worker shutting down");
      return "ack";
    case "failed": {
      if (job.attempts >= job.maxAttempts || outcome.error.retryable === false) return giveUp(job, outcome.error, delivery, ports, log);
      const delayMs = retryDelayMs(type.backoffMs, job.attempts);
      const retrying = await ports.scheduleRetry(job, outcome.error, new Date(ports.now() + delayMs));
      if (!retrying) return "ack";
      log.warn({ error: outcome.error.message, delayMs }, "attempt failed; retry scheduled");
      // Acked either way: the retry's outbox row stands for its message, and the relay publishes
      // it when due. A requeue would be lost if this delivery's channel closed meanwhile.
      await ports
        .publishRetry(message, job.priority, delayMs, retrying.outboxId)
        .catch((err: Error) => log.warn({ err: err.message }, "retry not published now; the outbox relay publishes it when due"));
      return "ack";
    }
  }
}

async function giveUp(job: JobRow, error: JobError, delivery: Delivery, ports: DeliveryPorts, log: Logger): Promise<Settlement> {
  const failed = await ports.failJob(job, error);
  if (failed) {
    const reason = error.retryable === false ? `failed on attempt ${job.attempts}, not retryable: ${error.message}` : `failed after ${job.attempts} attempts: ${error.message}`;
    await ports.deadLetter(job.type, delivery.body, reason);
    log.warn({ error: error.message }, "job failed; refunded and dead-lettered");
  }
  return "ack";
}

async function poison(delivery: Delivery, ports: DeliveryPorts, reason: string, jobId?: string): Promise<Settlement> {
  ports.log.error({ reason, queueType: delivery.queueType, jobId }, "poison message dead-lettered");
  await ports.deadLetter(delivery.queueType, delivery.body, reason);
  return "ack";
}
