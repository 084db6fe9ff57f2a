import { sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { sqlArray } from "../sql-array.js";

/**
 * For each of these types, how long each of its RUNNING attempts has run
 * (ms), and the instant that was measured at, both by the database's clock
 * (as `started_at` is), so an estimate made from them does not drift by the
 * time the answer took to reach the gateway. Only a first attempt's start is
 * on the row (`started_at`); a later attempt's is null (not known).
 */
export async function runningAttemptsElapsed(
  db: Db,
  types: readonly string[],
): Promise<{ byType: Map<string, (number | null)[]>; measuredAt: Date }> {
  const byType = new Map<string, (number | null)[]>(types.map((type) => [type, []]));
  if (types.length === 0) return { byType, measuredAt: new Date() };
  // One row per type even without a running attempt, so the statement always answers its now().
  const rows = await db.execute<{ type: string; running: boolean; elapsed_ms: number | null; measured_at_ms: number }>(sql`
    select t.type, case when j.attempts = 1 then extract(epoch from now() - j.started_at) * 1000 end::float8 as elapsed_ms,
      (extract(epoch from now()) * 1000)::float8 as measured_at_ms, j.id is not null as running
    from unnest(${sqlArray([...new Set(types)], "text")}) as t(type)
    left join jobs j on j.status = 'RUNNING' and j.type = t.type`);
  let measuredAt = new Date();
  for (const row of rows) {
    measuredAt = new Date(Number(row.measured_at_ms));
    if (row.running) byType.get(row.type)?.push(row.elapsed_ms == null ? null : Number(row.elapsed_ms));
  }
  return { byType, measuredAt };
}
