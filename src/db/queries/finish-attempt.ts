import { sql } from "drizzle-orm";
import type { JobError } from "../../domain/errors.js";
import type { JobHints } from "../../events/job-hints.js";
import type { WebhookRouting } from "../../webhooks/routing.js";
import type { Db, Tx } from "../client.js";
import { jobs, outbox, type JobRow } from "../schema.js";
import { slot, statement } from "../statement.js";
import { endpointUrls, recordWebhookDeliveries, webhookDeliveriesStatement } from "./record-webhook-deliveries.js";
import { refundCharge } from "./refund-charge.js";
import { jobRowOf, prepareTransition, transitionStatement, type TransitionRequest } from "./transition-job.js";

// Each ends an attempt with one fenced statement: a consumer whose attempt was
// cancelled, taken over or re-queued changes nothing and gets null. Each
// statement is built once (statement.ts): its slots are the job, the attempt
// and the values named below.
const fenced = { jobId: slot("jobId"), fence: { attempt: slot("attempt") } };

/**
 * RUNNING → SUCCEEDED with the handler's result. The webhook deliveries of
 * job.succeeded, when an endpoint wants it, are written by the same
 * statement: still one round trip, and none more without endpoints.
 */
export async function completeJob(
  db: Db,
  hints: JobHints,
  webhooks: WebhookRouting,
  jobId: string,
  attempt: number,
  result: unknown,
): Promise<JobRow | null> {
  const endpoints = webhooks.endpointsFor("job.succeeded");
  const values = { jobId, attempt, result: result ?? null };
  const [job = null] =
    endpoints.length > 0 ? await succeedTold.run(db, { ...values, endpointUrls: endpointUrls(endpoints) }) : await succeed.run(db, values);
  if (job) hints.announce(job);
  return job;
}

const succeedRequest: TransitionRequest = {
  ...fenced,
  transition: "succeed",
  changes: { result: slot("result", jobs.result), error: null, progress: 1, finishedAt: sql`now()` },
  message: (moved) => moved.progressMessage,
};

const succeed = statement<{ jobId: string; attempt: number; result: unknown }, Record<string, unknown>, JobRow>((q) => {
  const { moved, event } = transitionStatement(q, succeedRequest);
  return q.with(moved, event).select().from(moved);
}, jobRowOf);

// With the deliveries of job.succeeded to the endpoints given (an array, the slot endpointUrls).
const succeedTold = statement<{ jobId: string; attempt: number; result: unknown; endpointUrls: string[] }, Record<string, unknown>, JobRow>((q) => {
  const { moved, event } = transitionStatement(q, succeedRequest);
  return q.with(moved, event, webhookDeliveriesStatement(q, moved, "job.succeeded")).select().from(moved);
}, jobRowOf);

/**
 * RUNNING → RETRYING: the attempt failed and another one is due at
 * `nextAttemptAt`. The same statement writes the retry's outbox row, due at
 * `nextAttemptAt`: the consumer publishes the retry to its backoff tier and
 * deletes the row once confirmed (deleteOutboxEntry), and if that publish
 * fails (the broker away, the process gone) the relay publishes the job once
 * it is due. A retry is thus never lost, even when the delivery it came from
 * was redelivered elsewhere and dropped there, its attempt being alive.
 */
export async function scheduleRetry(
  db: Db,
  hints: JobHints,
  jobId: string,
  attempt: number,
  error: JobError,
  nextAttemptAt: Date,
): Promise<ScheduledRetry | null> {
  const [scheduled = null] = await retry.run(db, { jobId, attempt, error, nextAttemptAt, message: error.message });
  if (scheduled) hints.announce(scheduled.job);
  return scheduled;
}

export interface ScheduledRetry {
  job: JobRow;
  /** The retry's outbox row, to delete once its message is confirmed. */
  outboxId: number;
}

const retry = statement<{ jobId: string; attempt: number; error: JobError; nextAttemptAt: Date; message: string }, Record<string, unknown>, ScheduledRetry>(
  (q) => {
    const { moved, event } = transitionStatement(q, {
      ...fenced,
      transition: "scheduleRetry",
      changes: { error: slot("error", jobs.error), nextAttemptAt: slot("nextAttemptAt", jobs.nextAttemptAt) },
      message: () => sql`${slot("message")}::text`,
    });
    const queued = q
      .$with("queued", { outboxId: sql<number>`outbox_id`.as("outbox_id") })
      .as(sql`insert into ${outbox} (job_id, available_at) select id, next_attempt_at from ${moved} returning id as outbox_id`);
    return q.with(moved, event, queued).select().from(moved).innerJoin(queued, sql`true`);
  },
  (raw) => ({ job: jobRowOf(raw), outboxId: Number(raw.outbox_id) }),
);

/** RUNNING → FAILED: no attempt left; the charge is refunded in the same transaction. */
export async function failJob(
  db: Db,
  hints: JobHints,
  webhooks: WebhookRouting,
  jobId: string,
  attempt: number,
  error: JobError,
): Promise<JobRow | null> {
  const job = await db.transaction((tx) => failAttempt(tx, webhooks, { jobId, attempt, error, refundReason: "job failed" }));
  if (job) hints.announce(job);
  return job;
}

/**
 * The one FAILED-and-refund write, for a worker's last failed attempt and for
 * a stalled one alike: the attempt's job becomes FAILED, its charge is
 * given back and its job.failed deliveries are written, in the caller's
 * transaction (which announces after commit).
 */
export async function failAttempt(
  tx: Tx,
  webhooks: WebhookRouting,
  attempt: { jobId: string; attempt: number; error: JobError; refundReason: string },
): Promise<JobRow | null> {
  const job = await fail(tx, { jobId: attempt.jobId, attempt: attempt.attempt, error: attempt.error, message: attempt.error.message });
  if (!job) return null;
  await refundCharge(tx, job, attempt.refundReason);
  await recordWebhookDeliveries(tx, job.id, "job.failed", webhooks.endpointsFor("job.failed"));
  return job;
}

const fail = prepareTransition<{ jobId: string; attempt: number; error: JobError; message: string }>({
  ...fenced,
  transition: "fail",
  changes: { error: slot("error", jobs.error), nextAttemptAt: null, finishedAt: sql`now()` },
  message: () => sql`${slot("message")}::text`,
});

/**
 * RUNNING → QUEUED without spending the attempt: the worker is stopping and
 * hands the job back for another worker to start over. Handing back the
 * first attempt also forgets when it began (`started_at` is when the first
 * attempt began): the next claim starts the job anew, so its wait and run
 * time do not count the attempt given up.
 *
 * The job gets a new message through the outbox, in the same statement, and
 * its delivery is acked, not requeued: the channel it came on may have closed
 * while the attempt ran (a broker blip) and its redelivery been dropped, the
 * attempt being alive (claimJob); a requeue on that channel would be lost,
 * leaving the job QUEUED with no message.
 */
export async function releaseJob(db: Db, hints: JobHints, jobId: string, attempt: number): Promise<JobRow | null> {
  const [job = null] = await release.run(db, { jobId, attempt });
  if (job) hints.announce(job);
  return job;
}

const release = statement<{ jobId: string; attempt: number }, Record<string, unknown>, JobRow>((q) => {
  const { moved, event } = transitionStatement(q, {
    ...fenced,
    transition: "release",
    changes: {
      attempts: sql`${jobs.attempts} - 1`,
      startedAt: sql`case when ${jobs.attempts} = 1 then null else ${jobs.startedAt} end`,
      progress: 0,
      progressMessage: null,
    },
    message: "handed back: worker shutting down",
  });
  const queued = q.$with("queued", {}).as(sql`insert into ${outbox} (job_id) select id from ${moved}`);
  return q.with(moved, event, queued).select().from(moved);
}, jobRowOf);
