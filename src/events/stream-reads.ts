import DataLoader from "dataloader";
import type { Db } from "../db/client.js";
import { findJobsByIds } from "../db/queries/read-jobs.js";
import { listJobEventsAfterEach, type EventsAfter } from "../db/queries/read-job-events-batch.js";
import { listOutputChunksAfterEach, type OutputAfter } from "../db/queries/read-job-output.js";
import type { OutputChunkRow } from "../db/queries/append-job-output.js";
import type { JobEventRow, JobRow } from "../db/schema.js";

/** Largest page of events one stream gets per read; it reads again for more. */
export const eventsPageSize = 500;

/** Largest page of output chunks one stream gets per read; it reads again for more. */
export const outputPageSize = 200;

/**
 * The reads live streams make after a hint, shared by all of a process's
 * streams: the reads asked for in the same tick go to PostgreSQL as one
 * statement. Nothing is cached: a read asked for after a hint always sees
 * the change that hint announced, since its batch is sent after it is asked.
 */
export function createStreamReads(db: Db) {
  return {
    job: new DataLoader<string, JobRow | null>(
      async (ids) => {
        const rows = await findJobsByIds(db, [...new Set(ids)]);
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id) ?? null);
      },
      { cache: false, maxBatchSize: 1_000 },
    ),
    eventsAfter: new DataLoader<EventsAfter, JobEventRow[]>((requests) => listJobEventsAfterEach(db, requests, eventsPageSize), {
      cache: false,
      maxBatchSize: 500,
    }),
    outputAfter: new DataLoader<OutputAfter, OutputChunkRow[]>((requests) => listOutputChunksAfterEach(db, requests, outputPageSize), {
      cache: false,
      maxBatchSize: 500,
    }),
  };
}

export type StreamReads = ReturnType<typeof createStreamReads>;
