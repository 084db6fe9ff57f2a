import { sql } from "drizzle-orm";
import type { JobHints } from "../../events/job-hints.js";
import type { Db } from "../client.js";
import { transitionJob } from "./transition-job.js";

/**
 * Writes one progress report of the given attempt. False when the attempt no
 * longer holds the job (cancelled, taken over, finished): nothing is written.
 */
export async function recordProgress(
  db: Db,
  hints: JobHints,
  jobId: string,
  attempt: number,
  fraction: number,
  message: string | null,
): Promise<boolean> {
  const job = await transitionJob(db, {
    jobId,
    transition: "progress",
    fence: { attempt },
    changes: { progress: fraction, progressMessage: message, heartbeatAt: sql`now()` },
    message,
  });
  if (job) hints.announce(job);
  return job !== null;
}
