import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { jobs } from "../schema.js";

/** Marks the given running jobs as alive; no event, it is bookkeeping only. */
export async function recordHeartbeats(db: Db, jobIds: string[]): Promise<void> {
  if (jobIds.length === 0) return;
  await db
    .update(jobs)
    .set({ heartbeatAt: sql`now()` })
    .where(and(inArray(jobs.id, jobIds), eq(jobs.status, "RUNNING")));
}
