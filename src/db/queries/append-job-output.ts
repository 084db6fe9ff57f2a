import { sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { sqlArray } from "../sql-array.js";
import { jobOutputChunks, jobs } from "../schema.js";

/** One chunk of an attempt's streamed text, at its character offset within that attempt's output. */
export interface OutputChunkRow {
  jobId: string;
  attempt: number;
  offset: number;
  text: string;
}

/**
 * Writes chunks of many jobs' output in one statement, each fenced by its
 * attempt: a chunk is written only while its job is RUNNING with that
 * attempt. The job rows are share-locked (in id order, as progress writes
 * and heartbeats lock them), so a transition that ends the attempt waits for
 * this statement or this statement sees it: no chunk lands after its
 * attempt is over, and a reader that saw the job finished has every chunk.
 *
 * A chunk written again at the same offset (a retry after an error whose
 * commit was not known) replaces the first. Answers, per chunk, whether it
 * was written; false means the attempt no longer holds the job.
 */
export async function appendJobOutput(db: Db, chunks: readonly OutputChunkRow[]): Promise<boolean[]> {
  if (chunks.length === 0) return [];
  const rows = await db.execute<{ job_id: string; attempt: number; offset: number }>(sql`
    with chunk as (
      select * from unnest(
        ${sqlArray(chunks.map((c) => c.jobId), "uuid")}, ${sqlArray(chunks.map((c) => c.attempt), "int")},
        ${sqlArray(chunks.map((c) => c.offset), "int")}, ${sqlArray(chunks.map((c) => c.text), "text")}
      ) as c(job_id, attempt, "offset", text)
    ),
    held as materialized (
      select ${jobs.id}, ${jobs.attempts} from ${jobs}
      where ${jobs.id} in (select job_id from chunk) and ${jobs.status} = 'RUNNING'
      order by ${jobs.id} for share of ${jobs}
    )
    insert into ${jobOutputChunks} (job_id, attempt, "offset", text)
    select chunk.job_id, chunk.attempt, chunk."offset", chunk.text from chunk join held on held.id = chunk.job_id and held.attempts = chunk.attempt
    on conflict (job_id, attempt, "offset") do update set text = excluded.text, at = now()
    returning job_id, attempt, "offset"`);
  const written = new Set([...rows].map((row) => `${row.job_id} ${row.attempt} ${row.offset}`));
  return chunks.map((chunk) => written.has(`${chunk.jobId} ${chunk.attempt} ${chunk.offset}`));
}
