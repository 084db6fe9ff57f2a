import { and, desc, eq, sql } from "drizzle-orm";
import { unfinishedStatuses } from "../../domain/job-status.js";
import type { Db } from "../client.js";
import { jobs, type JobRow } from "../schema.js";

// Written out, not bound: a generic plan of a prepared statement cannot match bound statuses
// with the jobs_user_unfinished partial index's predicate.
const isUnfinished = sql`${jobs.status} in (${sql.raw(unfinishedStatuses.map((status) => `'${status}'`).join(", "))})`;

/**
 * A user's newest unfinished jobs (QUEUED, RUNNING, RETRYING), newest first,
 * at most `limit`. Read from the jobs_user_unfinished index, so it costs the
 * user's unfinished jobs (capped by MAX_UNFINISHED_JOBS), not all their jobs.
 */
export async function listUnfinishedJobs(db: Db, userId: string, limit: number): Promise<JobRow[]> {
  return db
    .select()
    .from(jobs)
    .where(and(eq(jobs.userId, userId), isUnfinished))
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(limit);
}
