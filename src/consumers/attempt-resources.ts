import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";
import type { JobRow } from "../db/schema.js";
import type { JobArtifacts, JobOutput, JobUploads } from "../jobs/handler.js";
import type { AttemptOutcome } from "./run-attempt.js";

/** What a handler gets besides its params and signal, and how the runtime settles it when the attempt ends. */
export interface AttemptResources {
  artifacts: JobArtifacts;
  uploads: JobUploads;
  output: JobOutput;
  workDir: string;
  /**
   * Called once the attempt has an outcome, before it is recorded: a
   * succeeded attempt's output is flushed and its artifacts kept; any other
   * outcome's partial files are removed. The work directory always goes.
   */
  settle(outcome: AttemptOutcome["kind"]): Promise<void>;
}

export type OpenAttemptResources = (job: JobRow, signal: AbortSignal, log: Logger) => Promise<AttemptResources>;

/** One part of an attempt's resources (artifacts, uploads or output) and how it ends. */
export interface AttemptPart<T> {
  value: T;
  settle(outcome: AttemptOutcome["kind"]): Promise<void>;
}

export interface AttemptParts {
  /** `workDir()` makes the attempt's work directory on first call. */
  artifacts(job: JobRow, workDir: () => string, log: Logger): AttemptPart<JobArtifacts>;
  uploads(job: JobRow, workDir: () => string, log: Logger): AttemptPart<JobUploads>;
  output(job: JobRow, signal: AbortSignal, log: Logger): AttemptPart<JobOutput>;
}

const unavailable = (what: string) => async (): Promise<never> => {
  throw new Error(`${what} are not available in this worker`);
};

/** Parts for a worker without file stores (and for unit tests): each call says what is missing. */
export const noAttemptParts: AttemptParts = {
  artifacts: () => ({ value: { write: unavailable("artifacts") }, settle: async () => {} }),
  uploads: () => ({ value: { open: unavailable("uploads") }, settle: async () => {} }),
  output: () => ({ value: { write: unavailable("streamed output") }, settle: async () => {} }),
};

/**
 * Opens each attempt's parts. Its work directory is made when first asked
 * for (most handlers never need one: no file system work per attempt for
 * them); settling removes it, if made, whatever the outcome.
 */
export function makeAttemptResources(parts: AttemptParts): OpenAttemptResources {
  return async (job, signal, log) => {
    let workDir: string | null = null;
    const workDirOf = () => (workDir ??= mkdtempSync(join(tmpdir(), `job-${job.id}-${job.attempts}-`)));
    const artifacts = parts.artifacts(job, workDirOf, log);
    const uploads = parts.uploads(job, workDirOf, log);
    const output = parts.output(job, signal, log);
    return {
      artifacts: artifacts.value,
      uploads: uploads.value,
      output: output.value,
      get workDir() {
        return workDirOf();
      },
      async settle(outcome) {
        const settled = await Promise.allSettled([output.settle(outcome), artifacts.settle(outcome), uploads.settle(outcome)]);
        if (workDir !== null) await rm(workDir, { recursive: true, force: true });
        for (const result of settled) if (result.status === "rejected") log.warn({ err: (result.reason as Error).message, outcome }, "attempt resources not settled");
      },
    };
  };
}
