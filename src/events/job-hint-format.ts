import type { JobStatus } from "../domain/job-status.js";
import type { JobHintSource, JobOutputHint } from "./job-hints.js";

/** The channel job hints travel on (PostgreSQL LISTEN/NOTIFY). */
export const jobHintsChannel = "job_hints";

/** A notification's share of one job change: a hint to re-read, never the data itself. */
export interface JobEventHint {
  jobId: string;
  seq: number;
  status: JobStatus;
  attempt: number;
  userId: string;
}

/** PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more. */
export const maxNotifyPayloadBytes = 7_900;

export function formatHint(job: JobHintSource): string {
  return `${job.id} ${job.seq} ${job.status} ${job.attempts} ${job.userId}`;
}

/** One notification carries one hint per line (ASCII: uuids, numbers, status names). */
export function parseHints(payload: string): { hints: JobEventHint[]; malformed: number } {
  const hints: JobEventHint[] = [];
  let malformed = 0;
  for (const line of payload.split("\n")) {
    const [jobId, seq, status, attempt, userId, extra] = line.split(" ");
    if (!jobId || !seq || !status || !attempt || !userId || extra !== undefined || !Number.isInteger(Number(seq))) {
      malformed++;
      continue;
    }
    hints.push({ jobId, seq: Number(seq), status: status as JobStatus, attempt: Number(attempt), userId });
  }
  return { hints, malformed };
}

/**
 * The channel output hints travel on: apart from job hints, so the streams
 * and workers that follow a job's state are not woken by every chunk of its
 * text (and a process that predates them never reads one).
 */
export const jobOutputHintsChannel = "job_output_hints";

export function formatOutputHint(hint: JobOutputHint): string {
  return `${hint.jobId} ${hint.attempt} ${hint.end}`;
}

/** One notification carries one output hint per line. */
export function parseOutputHints(payload: string): { hints: JobOutputHint[]; malformed: number } {
  const hints: JobOutputHint[] = [];
  let malformed = 0;
  for (const line of payload.split("\n")) {
    const [jobId, attempt, end, extra] = line.split(" ");
    if (!jobId || !attempt || !end || extra !== undefined || !Number.isInteger(Number(attempt)) || !Number.isInteger(Number(end))) {
      malformed++;
      continue;
    }
    hints.push({ jobId, attempt: Number(attempt), end: Number(end) });
  }
  return { hints, malformed };
}
