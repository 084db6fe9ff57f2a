import { sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { sqlArray } from "../sql-array.js";

/**
 * For each of these types, how long each of its RUNNING attempts has run
 * (ms), by the database's clock. Only a first attempt's start is on the row
 * (`started_at`); a later attempt's is null (not known).
 */
export async function runningAttemptsElapsed(db: Db, types: readonly string[]): Promise<Map<string, (number | null)[]>> {
  const byType = new Map<string, (number | null)[]>(types.map((type) => [type, []]));
  if (types.length === 0) return byType;
  const rows = await db.execute<{ type: string; elapsed_ms: number | null }>(sql`
    select type, case when attempts = 1 then extract(epoch from now() - started_at) * 1000 end::float8 as elapsed_ms
    from jobs
    where status = 'RUNNING' and type = any(${sqlArray([...new Set(types)], "text")})`);
  for (const row of rows) byType.get(row.type)?.push(row.elapsed_ms == null ? null : Number(row.elapsed_ms));
  return byType;
}
