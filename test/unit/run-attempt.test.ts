import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { runAttempt, type RunAttemptDeps } from "../../src/consumers/run-attempt.js";
import type { JobRow } from "../../src/db/schema.js";
import { JobCancelledError, JobTimeoutError, WorkerShutdownError } from "../../src/domain/errors.js";
import { defineJobType } from "../../src/jobs/define-job-type.js";
import { PermanentJobError, type JobContext } from "../../src/jobs/handler.js";
import { makeJobRow } from "../helpers/job-row.js";

const params = z.object({ word: z.string().default("hello"), times: z.number().int().min(1).default(1) });
type Params = z.output<typeof params>;

function tinyType(overrides: { timeoutMs?: number } = {}) {
  return defineJobType({ name: "test.tiny", description: "a tiny job for unit tests", cost: 1, params, ...overrides });
}

function jobRow(overrides: Partial<JobRow> = {}): JobRow {
  return makeJobRow({ type: "test.tiny", params: { word: "hi", times: 2 }, attempts: 2, seq: 3, ...overrides });
}

/** Resolves never; rejects with the signal's reason once it aborts. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

function setup(run: (ctx: JobContext<Params>) => Promise<unknown>, options: { timeoutMs?: number; job?: Partial<JobRow>; held?: boolean } = {}) {
  const progressWrites: { fraction: number; message: string | null }[] = [];
  const controller = new AbortController();
  const deps: RunAttemptDeps = {
    type: tinyType(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    run: run as RunAttemptDeps["run"],
    job: jobRow(options.job),
    controller,
    log: pino({ level: "silent" }),
    progressMinIntervalMs: 1_000,
    writeProgress: async (fraction, message) => {
      progressWrites.push({ fraction, message });
      return options.held ?? true;
    },
  };
  return { deps, controller, progressWrites };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("runAttempt", () => {
  it("returns the handler's result, and the handler gets the parsed params and its attempt", async () => {
    const seen: unknown[] = [];
    const { deps } = setup(async (ctx) => {
      seen.push(ctx.jobId, ctx.attempt, ctx.params);
      return ctx.params.word.repeat(ctx.params.times);
    });
    await expect(runAttempt(deps)).resolves.toEqual({ kind: "succeeded", result: "hihi" });
    expect(seen).toEqual([deps.job.id, 2, { word: "hi", times: 2 }]);
  });

  it("applies the schema's defaults to stored params", async () => {
    const { deps } = setup(async (ctx) => ctx.params, { job: { params: {} } });
    await expect(runAttempt(deps)).resolves.toEqual({ kind: "succeeded", result: { word: "hello", times: 1 } });
  });

  it("flushes the last progress report before returning success", async () => {
    const { deps, progressWrites } = setup(async (ctx) => {
      await ctx.progress(0.1, "started");
      await ctx.progress(0.5, "half");
      await ctx.progress(1, "done");
      return "ok";
    });
    await expect(runAttempt(deps)).resolves.toEqual({ kind: "succeeded", result: "ok" });
    // Within one interval: the first report is written at once, the last by the flush; the middle one is coalesced away.
    expect(progressWrites).toEqual([
      { fraction: 0.1, message: "started" },
      { fraction: 1, message: "done" },
    ]);
  });

  it("fails with the thrown error's message and the attempt number", async () => {
    const { deps, progressWrites } = setup(async (ctx) => {
      await ctx.progress(0.2, "first");
      await ctx.progress(0.3, "waiting, never written");
      throw new Error("model unavailable");
    });
    await expect(runAttempt(deps)).resolves.toEqual({
      kind: "failed",
      error: { message: "model unavailable", code: "HANDLER_ERROR", attempt: 2 },
    });
    // The waiting report is discarded: a failed attempt does not write progress after the fact.
    expect(progressWrites).toEqual([{ fraction: 0.2, message: "first" }]);
  });

  it("keeps a string code the handler's error carries", async () => {
    const { deps } = setup(async () => {
      throw Object.assign(new Error("quota"), { code: "QUOTA_EXCEEDED" });
    });
    await expect(runAttempt(deps)).resolves.toEqual({ kind: "failed", error: { message: "quota", code: "QUOTA_EXCEEDED", attempt: 2 } });
  });

  it("marks a PermanentJobError's failure not retryable, with its code or HANDLER_ERROR", async () => {
    const { deps } = setup(async () => {
      throw new PermanentJobError("not a video", { code: "BAD_INPUT" });
    });
    await expect(runAttempt(deps)).resolves.toEqual({ kind: "failed", error: { message: "not a video", code: "BAD_INPUT", attempt: 2, retryable: false } });
    const plain = setup(async () => {
      throw new PermanentJobError("account closed");
    });
    await expect(runAttempt(plain.deps)).resolves.toEqual({ kind: "failed", error: { message: "account closed", code: "HANDLER_ERROR", attempt: 2, retryable: false } });
  });

  it("fails with a thrown non-Error turned into a message", async () => {
    const { deps } = setup(async () => {
      throw "plain string";
    });
    await expect(runAttempt(deps)).resolves.toEqual({ kind: "failed", error: { message: "plain string", code: "HANDLER_ERROR", attempt: 2 } });
  });

  it("fails with TIMEOUT when the attempt runs past the type's timeout", async () => {
    vi.useFakeTimers();
    let reason: unknown;
    const { deps } = setup(
      async (ctx) => {
        try {
          return await untilAborted(ctx.signal);
        } catch (error) {
          reason = error;
          throw error;
        }
      },
      { timeoutMs: 50 },
    );
    const outcome = runAttempt(deps);
    await vi.advanceTimersByTimeAsync(49);
    expect(reason).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);

    await expect(outcome).resolves.toEqual({
      kind: "failed",
      error: { message: expect.stringContaining("50 ms"), code: "TIMEOUT", attempt: 2 },
    });
    expect(reason).toBeInstanceOf(JobTimeoutError);
  });

  it("does not time out an attempt that finished in time", async () => {
    vi.useFakeTimers();
    const { deps, controller } = setup(async () => "quick", { timeoutMs: 50 });
    await expect(runAttempt(deps)).resolves.toEqual({ kind: "succeeded", result: "quick" });
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(controller.signal.aborted).toBe(false);
  });

  it("ends as cancelled when the controller aborts with JobCancelledError", async () => {
    const { deps, controller } = setup(async (ctx) => untilAborted(ctx.signal));
    const outcome = runAttempt(deps);
    controller.abort(new JobCancelledError());
    await expect(outcome).resolves.toEqual({ kind: "cancelled" });
  });

  it("ends as shutdown when the controller aborts with WorkerShutdownError", async () => {
    const { deps, controller } = setup(async (ctx) => untilAborted(ctx.signal));
    const outcome = runAttempt(deps);
    controller.abort(new WorkerShutdownError());
    await expect(outcome).resolves.toEqual({ kind: "shutdown" });
  });

  it("ends as cancelled even when the handler swallows the abort and returns", async () => {
    const { deps, controller } = setup(async (ctx) => {
      await untilAborted(ctx.signal).catch(() => {});
      return "pretend success";
    });
    const outcome = runAttempt(deps);
    controller.abort(new JobCancelledError());
    await expect(outcome).resolves.toEqual({ kind: "cancelled" });
  });

  it("ends on abort even when the handler ignores its signal, and fences out its late progress", async () => {
    let reportLate!: () => Promise<void>;
    const { deps, controller, progressWrites } = setup((ctx) => {
      reportLate = () => ctx.progress(0.9, "too late");
      return new Promise(() => {}); // never settles, never looks at the signal
    });
    const outcome = runAttempt(deps);
    controller.abort(new WorkerShutdownError());
    await expect(outcome).resolves.toEqual({ kind: "shutdown" });

    await reportLate();
    expect(progressWrites).toEqual([]);
  });

  it("ends on timeout even when the handler ignores its signal", async () => {
    vi.useFakeTimers();
    const { deps } = setup(() => new Promise(() => {}), { timeoutMs: 50 });
    const outcome = runAttempt(deps);
    await vi.advanceTimersByTimeAsync(50);
    await expect(outcome).resolves.toMatchObject({ kind: "failed", error: { code: "TIMEOUT", attempt: 2 } });
  });

  it("ends at once when the controller was aborted before the attempt began", async () => {
    const { deps, controller } = setup(async (ctx) => untilAborted(ctx.signal));
    controller.abort(new JobCancelledError());
    await expect(runAttempt(deps)).resolves.toEqual({ kind: "cancelled" });
  });

  it("fails with INVALID_PARAMS, without running the handler, when stored params no longer match", async () => {
    const run = vi.fn(async () => "ran");
    const { deps } = setup(run, { job: { params: { word: 42, times: 0 } } });
    const outcome = await runAttempt(deps);
    expect(outcome).toEqual({
      kind: "failed",
      error: { message: expect.stringMatching(/^params no longer match/), code: "INVALID_PARAMS", attempt: 2 },
    });
    expect(run).not.toHaveBeenCalled();
  });

  it("ends as cancelled when a progress write finds the job no longer held", async () => {
    let reason: unknown;
    const { deps, controller, progressWrites } = setup(
      async (ctx) => {
        await ctx.progress(0.5, "halfway");
        reason = ctx.signal.reason;
        return untilAborted(ctx.signal);
      },
      { held: false },
    );
    await expect(runAttempt(deps)).resolves.toEqual({ kind: "cancelled" });
    expect(progressWrites).toEqual([{ fraction: 0.5, message: "halfway" }]);
    expect(controller.signal.aborted).toBe(true);
    expect(reason).toBeInstanceOf(JobCancelledError);
  });

  it("ends as cancelled when the final flush finds the job no longer held", async () => {
    const { deps, progressWrites } = setup(
      async (ctx) => {
        // The first write is held; by the final flush the job was taken.
        await ctx.progress(0.5, "halfway");
        await ctx.progress(1, "done");
        return "result that must not be recorded";
      },
      { held: true },
    );
    const writeProgress = deps.writeProgress;
    deps.writeProgress = async (fraction, message) => (await writeProgress(fraction, message)) && fraction < 1;
    await expect(runAttempt(deps)).resolves.toEqual({ kind: "cancelled" });
    expect(progressWrites.map((w) => w.fraction)).toEqual([0.5, 1]);
  });
});
