import { sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { sqlArray } from "../sql-array.js";
import type { OutputChunkRow } from "./append-job-output.js";

export interface AttemptOutputKey {
  jobId: string;
  attempt: number;
}

/** For each attempt, the text it streamed so far (its chunks joined in order), or null when it wrote none: one statement for all. */
export async function readAttemptOutputs(db: Db, keys: readonly AttemptOutputKey[]): Promise<(string | null)[]> {
  if (keys.length === 0) return [];
  const rows = await db.execute<{ i: number; text: string }>(sql`
    select w.i::int as i, string_agg(c.text, '' order by c."offset") as text
    from unnest(${sqlArray(keys.map((k) => k.jobId), "uuid")}, ${sqlArray(keys.map((k) => k.attempt), "int")}) with ordinality as w(job_id, attempt, i)
    join job_output_chunks c on c.job_id = w.job_id and c.attempt = w.attempt
    group by w.i`);
  const texts: (string | null)[] = keys.map(() => null);
  for (const row of rows) texts[row.i - 1] = row.text;
  return texts;
}

export interface OutputAfter extends AttemptOutputKey {
  /** Text from this character offset on is wanted. */
  after: number;
}

/**
 * For each request, up to `limit` chunks of its attempt, in order, from the
 * chunk that holds offset `after` (the last one starting at or before it)
 * on: one statement however many streams ask. The first chunk may begin
 * before `after`; the caller cuts what it already has.
 */
export async function listOutputChunksAfterEach(db: Db, requests: readonly OutputAfter[], limit: number): Promise<OutputChunkRow[][]> {
  if (requests.length === 0) return [];
  const rows = await db.execute<{ i: number; job_id: string; attempt: number; offset: number; text: string }>(sql`
    select w.i::int as i, c.job_id, c.attempt, c."offset", c.text
    from unnest(
      ${sqlArray(requests.map((r) => r.jobId), "uuid")}, ${sqlArray(requests.map((r) => r.attempt), "int")}, ${sqlArray(requests.map((r) => r.after), "int")}
    ) with ordinality as w(job_id, attempt, after, i)
    cross join lateral (
      select * from job_output_chunks o
      where o.job_id = w.job_id and o.attempt = w.attempt
        and o."offset" >= coalesce((
          select max(p."offset") from job_output_chunks p where p.job_id = w.job_id and p.attempt = w.attempt and p."offset" <= w.after
        ), 0)
      order by o."offset"
      limit ${limit}
    ) c
    order by w.i, c."offset"`);
  const pages: OutputChunkRow[][] = requests.map(() => []);
  for (const row of rows) pages[row.i - 1]!.push({ jobId: row.job_id, attempt: row.attempt, offset: row.offset, text: row.text });
  return pages;
}
