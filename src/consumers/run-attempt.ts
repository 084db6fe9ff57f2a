import type { Logger } from "pino";
import { JobCancelledError, JobTimeoutError, WorkerShutdownError, toJobError, type JobError } from "../domain/errors.js";
import type { JobRow } from "../db/schema.js";
import type { JobType } from "../jobs/index.js";
import type { RunJob } from "../jobs/handler.js";
import { makeAttemptResources, noAttemptParts, type OpenAttemptResources } from "./attempt-resources.js";
import { makeJobContext } from "./job-context.js";

export type AttemptOutcome =
  | { kind: "succeeded"; result: unknown }
  | { kind: "failed"; error: JobError }
  | { kind: "cancelled" }
  | { kind: "shutdown" };

export interface RunAttemptDeps {
  type: JobType;
  /** The type's handler. */
  run: RunJob;
  job: JobRow;
  /** Aborted by the runtime on cancellation (JobCancelledError) or shutdown (WorkerShutdownError). */
  controller: AbortController;
  log: Logger;
  progressMinIntervalMs: number;
  writeProgress: (fraction: number, message: string | null) => Promise<boolean>;
  /** The attempt's work directory, artifacts, uploads and output. Default: a work directory only. */
  openResources?: OpenAttemptResources;
}

const withoutFiles = makeAttemptResources(noAttemptParts);

/**
 * Runs one attempt of a handler to an outcome. The attempt ends when the
 * handler settles or the signal aborts, whichever is first: a handler that
 * ignores its signal cannot hold the job, and its late writes are fenced out.
 */
export async function runAttempt(deps: RunAttemptDeps): Promise<AttemptOutcome> {
  const { controller, job, type } = deps;
  const params = type.params.safeParse(job.params);
  if (!params.success) {
    return { kind: "failed", error: { message: `params no longer match the type's schema: ${params.error.message}`, code: "INVALID_PARAMS", attempt: job.attempts } };
  }
  const timeout = setTimeout(() => controller.abort(new JobTimeoutError(type.timeoutMs)), type.timeoutMs);
  const resources = await (deps.openResources ?? withoutFiles)(job, controller.signal, deps.log);
  const { context, coalescer } = makeJobContext({
    resources,
    job,
    deadline: new Date(Date.now() + type.timeoutMs),
    params: params.data,
    signal: controller.signal,
    log: deps.log,
    progressMinIntervalMs: deps.progressMinIntervalMs,
    writeProgress: deps.writeProgress,
    onLostJob: () => controller.abort(new JobCancelledError()),
  });
  const aborted = new Promise<never>((_, reject) => {
    const onAbort = () => reject(controller.signal.reason);
    if (controller.signal.aborted) onAbort();
    else controller.signal.addEventListener("abort", onAbort, { once: true });
  });
  let outcome: AttemptOutcome;
  try {
    const result = await Promise.race([deps.run(context), aborted]);
    await coalescer.flush();
    outcome = controller.signal.aborted ? outcomeOfAbort(controller.signal.reason, job.attempts) : { kind: "succeeded", result };
  } catch (thrown) {
    coalescer.discard();
    outcome = controller.signal.aborted ? outcomeOfAbort(controller.signal.reason, job.attempts) : { kind: "failed", error: toJobError(thrown, job.attempts) };
  } finally {
    clearTimeout(timeout);
    aborted.catch(() => {});
  }
  // Before the outcome is recorded: a succeeded attempt's output and files are in place by then.
  await resources.settle(outcome.kind);
  return outcome;
}

function outcomeOfAbort(reason: unknown, attempt: number): AttemptOutcome {
  if (reason instanceof JobCancelledError) return { kind: "cancelled" };
  if (reason instanceof WorkerShutdownError) return { kind: "shutdown" };
  return { kind: "failed", error: toJobError(reason, attempt) };
}
