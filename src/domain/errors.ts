/** Error codes stored on a job's `error.code` and used in logs and metrics. */
export const JobErrorCode = {
  HANDLER_ERROR: "HANDLER_ERROR",
  TIMEOUT: "TIMEOUT",
  STALLED: "STALLED",
  CANCELLED: "CANCELLED",
  SHUTDOWN: "SHUTDOWN",
} as const;

export type JobErrorCode = (typeof JobErrorCode)[keyof typeof JobErrorCode];

export interface JobError {
  message: string;
  code: string | null;
  attempt: number;
}

/** Thrown inside a handler's signal when the attempt exceeded its type's timeout. */
export class JobTimeoutError extends Error {
  readonly code = JobErrorCode.TIMEOUT;
  constructor(readonly timeoutMs: number) {
    super(`attempt timed out after ${timeoutMs} ms`);
    this.name = "JobTimeoutError";
  }
}

/** The reason of a signal aborted because the job was cancelled. */
export class JobCancelledError extends Error {
  readonly code = JobErrorCode.CANCELLED;
  constructor() {
    super("job cancelled");
    this.name = "JobCancelledError";
  }
}

/** The reason of a signal aborted because the worker is shutting down. */
export class WorkerShutdownError extends Error {
  readonly code = JobErrorCode.SHUTDOWN;
  constructor() {
    super("worker shutting down");
    this.name = "WorkerShutdownError";
  }
}

/** Turns whatever a handler threw into the error stored on the job. */
export function toJobError(thrown: unknown, attempt: number): JobError {
  if (thrown instanceof Error) {
    const code = "code" in thrown && typeof thrown.code === "string" ? thrown.code : JobErrorCode.HANDLER_ERROR;
    return { message: thrown.message || thrown.name, code, attempt };
  }
  return { message: String(thrown), code: JobErrorCode.HANDLER_ERROR, attempt };
}
