import { createBatchFlusher } from "../batching/batch-flusher.js";
import type { Db } from "../db/client.js";
import { appendJobOutput, type OutputChunkRow } from "../db/queries/append-job-output.js";
import type { JobOutputHints } from "../events/job-hints.js";

interface PendingChunk extends OutputChunkRow {
  settle: (written: boolean) => void;
  fail: (error: unknown) => void;
}

/**
 * Writes the output chunks of all the jobs a worker runs, as the progress
 * writer writes their progress: chunks flushed while a write is in flight
 * go together in the next statement. Each attempt has one chunk in flight
 * at a time (its coalescer chains them), so a batch never holds an attempt
 * twice. Each written chunk is announced after the commit.
 */
export function createOutputWriter(db: Db, hints: JobOutputHints) {
  const batches = createBatchFlusher<PendingChunk>(async (chunks) => {
    try {
      const written = await appendJobOutput(db, chunks);
      chunks.forEach((chunk, i) => {
        if (written[i]) hints.announceOutput({ jobId: chunk.jobId, attempt: chunk.attempt, end: chunk.offset + chunk.text.length });
        chunk.settle(written[i]!);
      });
    } catch (error) {
      for (const chunk of chunks) chunk.fail(error);
    }
  });
  return {
    /** Resolves true once written, false when the attempt no longer holds the job. */
    write(chunk: OutputChunkRow): Promise<boolean> {
      return new Promise((settle, fail) => batches.add({ ...chunk, settle, fail }));
    },
    flushed: () => batches.flushed(),
  };
}

export type OutputWriter = ReturnType<typeof createOutputWriter>;
