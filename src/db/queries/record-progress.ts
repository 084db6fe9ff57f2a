import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { jobs } from "../schema.js";
import { appendJobEvent } from "./append-job-event.js";

/**
 * Writes one progress report of the given attempt. False when the attempt no
 * longer holds the job (cancelled, taken over, finished): nothing is written.
 */
export async function recordProgress(
  db: Db,
  jobId: string,
  attempt: number,
  fraction: number,
  message: string | null,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [job] = await tx
      .update(jobs)
      .set({
        progress: fraction,
        progressMessage: message,
        seq: sql`${jobs.seq} + 1`,
        heartbeatAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(jobs.id, jobId), eq(jobs.status, "RUNNING"), eq(jobs.attempts, attempt)))
      .returning();
    if (!job) return false;
    await appendJobEvent(tx, job);
    return true;
  });
}
