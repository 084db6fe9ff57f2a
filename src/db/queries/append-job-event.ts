import { sql } from "drizzle-orm";
import type { Tx } from "../client.js";
import { jobEvents, type JobRow } from "../schema.js";

/** The channel every job event is announced on. */
export const jobEventsChannel = "job_events";

/** What a notification carries: a hint to re-read, never the data itself. */
export interface JobEventHint {
  jobId: string;
  seq: number;
  status: JobRow["status"];
  attempt: number;
  userId: string;
}

export function formatHint(hint: JobEventHint): string {
  return `${hint.jobId} ${hint.seq} ${hint.status} ${hint.attempt} ${hint.userId}`;
}

export function parseHint(payload: string): JobEventHint | null {
  const [jobId, seq, status, attempt, userId] = payload.split(" ");
  if (!jobId || !seq || !status || !attempt || !userId) return null;
  return { jobId, seq: Number(seq), status: status as JobRow["status"], attempt: Number(attempt), userId };
}

/**
 * Records the event a job row's update just numbered (its `seq`) and
 * announces it. NOTIFY is transactional: listeners hear it only on commit.
 */
export async function appendJobEvent(tx: Tx, job: JobRow, message: string | null = job.progressMessage): Promise<void> {
  await tx.insert(jobEvents).values({
    jobId: job.id,
    seq: job.seq,
    status: job.status,
    progress: job.progress,
    message,
    at: job.updatedAt,
  });
  const hint = formatHint({ jobId: job.id, seq: job.seq, status: job.status, attempt: job.attempts, userId: job.userId });
  await tx.execute(sql`select pg_notify(${jobEventsChannel}, ${hint})`);
}
