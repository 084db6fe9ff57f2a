import { sql } from "drizzle-orm";
import type { Db } from "../client.js";

export interface RunHistory {
  /** At most this many of the latest attempts count. */
  samples: number;
  /** Only attempts that ended within this many ms count. */
  windowMs: number;
}

/**
 * Mean run time (ms) of a type's latest successful first attempts: for a job
 * that succeeded on its first attempt, `finished_at - started_at` is that
 * attempt's run time alone (later attempts would add their retry delays).
 * Null when none ended within the window. Reads at most `samples` rows of the
 * jobs_succeeded index.
 */
export async function recentMeanRunTime(db: Db, type: string, history: RunHistory): Promise<number | null> {
  const [row] = await db.execute<{ mean_ms: number | null }>(sql`
    select avg(extract(epoch from recent.finished_at - recent.started_at) * 1000)::float8 as mean_ms
    from (
      select started_at, finished_at from jobs
      where type = ${type} and status = 'SUCCEEDED'
        and finished_at > now() - make_interval(secs => ${history.windowMs / 1000})
        and attempts = 1 and started_at is not null
      order by finished_at desc
      limit ${history.samples}
    ) recent`);
  return row?.mean_ms == null ? null : Number(row.mean_ms);
}
