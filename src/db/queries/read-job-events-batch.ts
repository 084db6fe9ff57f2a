import { sql } from "drizzle-orm";
import type { JobStatus } from "../../domain/job-status.js";
import type { Db } from "../client.js";
import type { JobEventRow } from "../schema.js";
import { slot, statement } from "../statement.js";

export interface EventsAfter {
  jobId: string;
  /** Events with a seq greater than this. */
  after: number;
}

interface RawEventRow extends Record<string, unknown> {
  job_id: string;
  seq: number;
  status: JobStatus;
  progress: number;
  message: string | null;
  at: string;
}

// The requests go as two arrays, one parameter each, so the text is the same for any number of them.
const eventsAfterEach = statement<{ jobIds: string[]; afters: number[]; limit: number }, RawEventRow & { i: number }>(
  () => sql`
    select w.i::int as i, e.job_id, e.seq, e.status, e.progress, e.message, e.at
    from unnest(${slot("jobIds")}::uuid[], ${slot("afters")}::int[]) with ordinality as w(job_id, after, i)
    cross join lateral (
      select * from job_events
      where job_events.job_id = w.job_id and job_events.seq > w.after
      order by job_events.seq
      limit ${slot("limit")}::int
    ) e
    order by w.i, e.seq`,
);

/**
 * For each request, up to `limit` events of its job after its seq, in order:
 * one statement (a lateral join on the primary key) however many streams ask.
 */
export async function listJobEventsAfterEach(db: Db, requests: readonly EventsAfter[], limit: number): Promise<JobEventRow[][]> {
  if (requests.length === 0) return [];
  const rows = await eventsAfterEach.run(db, { jobIds: requests.map((r) => r.jobId), afters: requests.map((r) => r.after), limit });
  const pages: JobEventRow[][] = requests.map(() => []);
  for (const row of rows) {
    pages[row.i - 1]!.push({
      jobId: row.job_id,
      seq: row.seq,
      status: row.status,
      progress: Number(row.progress),
      message: row.message,
      at: new Date(row.at),
    });
  }
  return pages;
}
