import type { Logger } from "pino";
import { createProgressCoalescer } from "../domain/progress-coalescer.js";
import type { JobRow } from "../db/schema.js";
import type { JobContext } from "../jobs/handler.js";
import type { AttemptResources } from "./attempt-resources.js";

export interface JobContextDeps {
  job: JobRow;
  params: unknown;
  deadline: Date;
  signal: AbortSignal;
  log: Logger;
  progressMinIntervalMs: number;
  /** Writes one report; false when the attempt no longer holds the job. */
  writeProgress: (fraction: number, message: string | null) => Promise<boolean>;
  /** Called when a write finds the job no longer held (cancelled or taken over). */
  onLostJob: () => void;
  resources: AttemptResources;
}

/** Builds what a handler gets, and the coalescer the runtime flushes at the end. */
export function makeJobContext(deps: JobContextDeps) {
  const coalescer = createProgressCoalescer({
    minIntervalMs: deps.progressMinIntervalMs,
    write: async ({ fraction, message }) => {
      if (deps.signal.aborted) return;
      try {
        const held = await deps.writeProgress(fraction, message);
        if (!held) deps.onLostJob();
      } catch (err) {
        // Progress is best effort: a lost write must not fail work that may
        // still complete; the next report (or the completion) catches up.
        deps.log.warn({ err: (err as Error).message }, "progress write failed");
      }
    },
  });
  const context: JobContext<unknown> = {
    jobId: deps.job.id,
    type: deps.job.type,
    deadline: deps.deadline,
    attempt: deps.job.attempts,
    params: deps.params,
    signal: deps.signal,
    log: deps.log,
    progress: (fraction, message) => coalescer.report(fraction, message ?? null),
    artifacts: deps.resources.artifacts,
    uploads: deps.resources.uploads,
    output: deps.resources.output,
    // Made on first use (attempt-resources.ts).
    get workDir() {
      return deps.resources.workDir;
    },
  };
  return { context, coalescer };
}
