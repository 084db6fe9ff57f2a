import type { Logger } from "pino";
import { retryDelayMs } from "../domain/backoff.js";
import { JobErrorCode, type JobError } from "../domain/errors.js";
import { parseJobMessage, type JobMessage } from "../broker/messages.js";
import type { JobRow } from "../db/schema.js";
import type { JobTypeRegistry } from "../jobs/index.js";
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
  /** Claims the job if it is of `type` and waiting to run (or, with takeOver, RUNNING). */
  claimJob(jobId: string, type: string, takeOver: boolean): Promise<JobRow | null>;
  /** The type of the job's row, or null when there is no such job. */
  findJobType(jobId: string): Promise<string | null>;
  runAttempt(job: JobRow): Promise<AttemptOutcome>;
  completeJob(job: JobRow, result: unknown): Promise<unknown>;
  scheduleRetry(job: JobRow, error: JobError, nextAttemptAt: Date): Promise<JobRow | null>;
  failJob(job: JobRow, error: JobError): Promise<JobRow | null>;
  releaseJob(job: JobRow): Promise<unknown>;
  publishRetry(message: JobMessage, priority: number, delayMs: number): Promise<void>;
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

  const job = await ports.claimJob(message.jobId, message.type, delivery.redelivered);
  if (!job) {
    const rowType = await ports.findJobType(message.jobId);
    if (rowType === null) return poison(delivery, ports, `job ${message.jobId} does not exist`, message.jobId);
    if (rowType !== message.type) return poison(delivery, ports, `job ${message.jobId} is a "${rowType}" job, not "${message.type}"`, message.jobId);
    ports.log.debug({ jobId: message.jobId }, "skipping a delivery for a job not waiting to run");
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
      await ports.releaseJob(job);
      log.info("attempt handed back: worker shutting down");
      return "requeue";
    case "failed": {
      if (job.attempts >= job.maxAttempts || outcome.error.retryable === false) return giveUp(job, outcome.error, delivery, ports, log);
      const delayMs = retryDelayMs(type.backoffMs, job.attempts);
      const retrying = await ports.scheduleRetry(job, outcome.error, new Date(ports.now() + delayMs));
      if (retrying) await ports.publishRetry(message, job.priority, delayMs);
      log.warn({ error: outcome.error.message, delayMs }, "attempt failed; retry scheduled");
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
