import { createBatchFlusher } from "../batching/batch-flusher.js";
import type { Db } from "../db/client.js";
import { recordProgress } from "../db/queries/record-progress.js";
import type { ProgressReportRow } from "../db/queries/transition-job.js";
import type { JobHints } from "../events/job-hints.js";

interface PendingReport extends ProgressReportRow {
  settle: (written: boolean) => void;
  fail: (error: unknown) => void;
}

/**
 * Writes the progress of all the jobs a worker runs: reports made while a
 * write is in flight go together in the next statement, so a worker running
 * hundreds of jobs spends one round trip and one commit on many reports
 * instead of one each. A job has one report in flight at a time (its
 * coalescer chains them), so a batch never holds a job twice.
 */
export function createProgressWriter(db: Db, hints: JobHints) {
  const batches = createBatchFlusher<PendingReport>(async (reports) => {
    try {
      const written = await recordProgress(db, hints, reports);
      reports.forEach((report, i) => report.settle(written[i]!));
    } catch (error) {
      for (const report of reports) report.fail(error);
    }
  });
  return {
    /** Resolves true once written, false when the attempt no longer holds the job. */
    write(report: ProgressReportRow): Promise<boolean> {
      return new Promise((settle, fail) => batches.add({ ...report, settle, fail }));
    },
    flushed: () => batches.flushed(),
  };
}

export type ProgressWriter = ReturnType<typeof createProgressWriter>;
