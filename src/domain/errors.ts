/** Error codes stored on a job's `error.code` and used in logs and metrics. */
export const JobErrorCode = {
  HANDLER_ERROR: "HANDLER_ERROR",
  TIMEOUT: "TIMEOUT",
  STALLED: "STALLED",
  CANCELLED: "CANCELLED",
  SHUTDOWN: "SHUTDOWN",
  /** An HTTP handler's endpoint answered an error status, broke the answer format, or dropped the connection. */
  HTTP_ERROR: "HTTP_ERROR",
} as const;

export type JobErrorCode = (typeof JobErrorCode)[keyof typeof JobErrorCode];

export interface JobError {
  message: string;
  code: string | null;
  attempt: number;
  /**
   * False when the handler said another attempt cannot help (bad input, say):
   * the job fails at once, refunded, without its remaining attempts. Absent
   * otherwise: a failed attempt is retried while attempts remain.
   */
  retryable?: false;
}

/**
 * Thrown by a handler when another attempt cannot succeed (the input is not a
 * video, the account was closed): the job fails at once and is refunded like
 * any FAILED job, instead of spending its remaining attempts. `code` is
 * stored on the job's error (default HANDLER_ERROR). An HTTP handler says the
 * same with `{"error":{"message":"…","retryable":false}}`.
 */
export class PermanentJobError extends Error {
  readonly retryable = false;
  readonly code: string;
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "PermanentJobError";
    this.code = options.code ?? JobErrorCode.HANDLER_ERROR;
  }
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
    const error: JobError = { message: thrown.message || thrown.name, code, attempt };
    // Duck-typed rather than instanceof: a handler bundling its own copy of this module must work too.
    if ("retryable" in thrown && thrown.retryable === false) error.retryable = false;
    return error;
  }
  return { message: String(thrown), code: JobErrorCode.HANDLER_ERROR, attempt };
}
