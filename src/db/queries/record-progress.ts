import type { JobHints } from "../../events/job-hints.js";
import type { Db } from "../client.js";
import { transitionProgressOfMany, type ProgressReportRow } from "./transition-job.js";

/**
 * Writes progress reports, each fenced by its attempt, in
 * one statement. Answers, per report, whether it was written: false when
 * the attempt no longer holds the job (cancelled, taken over, finished).
 */
export async function recordProgress(db: Db, hints: JobHints, reports: readonly ProgressReportRow[]): Promise<boolean[]> {
  const moved = await transitionProgressOfMany(db, reports);
  for (const job of moved) hints.announce(job);
  // By attempt: after a takeover in the same process, the old attempt's last write may share the batch.
  const written = new Set(moved.map((job) => `${job.id} ${job.attempts}`));
  return reports.map((report) => written.has(`${report.jobId} ${report.attempt}`));
}
