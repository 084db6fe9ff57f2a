import type { JobStatus } from "../domain/job-status.js";

/** What a writer tells listeners about a job it changed: enough to decide whether to re-read. */
export interface JobHintSource {
  id: string;
  seq: number;
  status: JobStatus;
  attempts: number;
  userId: string;
}

/** Announces committed job changes to every process; writers call it only after their commit. */
export interface JobHints {
  announce(job: JobHintSource): void;
}

export const noJobHints: JobHints = { announce() {} };

/**
 * What an output writer tells listeners about a chunk it committed
 * (job_output_chunks): the attempt's streamed text now reaches `end`
 * characters. Like every hint, only a reason to re-read.
 */
export interface JobOutputHint {
  jobId: string;
  attempt: number;
  end: number;
}

/** Announces committed output chunks to every process; writers call it only after their commit. */
export interface JobOutputHints {
  announceOutput(hint: JobOutputHint): void;
}
