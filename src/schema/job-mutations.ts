import type { ChargeRefusal } from "../domain/submit-limits.js";
import type { JobRow } from "../db/schema.js";
import { maxPriority } from "../broker/topology.js";
import type { Limits } from "../config.js";
import { cancelJob } from "../use-cases/cancel-job.js";
import type { Caller } from "../use-cases/job-commands.js";
import { retryJob } from "../use-cases/retry-job.js";
import { submitJob, submitJobs, type SubmitJobOutcome } from "../use-cases/submit-job.js";
import { pageSize } from "./cost-budget.js";
import { builder } from "./builder.js";
import {
  InsufficientBalanceError,
  InvalidJobStateError,
  NotFoundError,
  RateLimitedError,
  ValidationError,
  invalidJobState,
  notFound,
  resolveByTypename,
  type InsufficientBalanceErrorShape,
  type InvalidJobStateErrorShape,
  type NotFoundErrorShape,
  type RateLimitedErrorShape,
  type ValidationErrorShape,
  type ValidationIssueShape,
} from "./errors.js";
import { JobRef } from "./jobs.js";
import type { Viewer } from "./context.js";

type SubmitJobSuccessShape = { __typename: "SubmitJobSuccess"; job: JobRow; balance: number };
type CancelJobSuccessShape = { __typename: "CancelJobSuccess"; job: JobRow; balance: number };

const SubmitJobSuccess = builder.objectRef<SubmitJobSuccessShape>("SubmitJobSuccess").implement({
  fields: (t) => ({
    job: t.field({ type: JobRef, resolve: (r) => r.job }),
    balance: t.exposeInt("balance", { description: "The caller's balance after the charge." }),
  }),
});

const CancelJobSuccess = builder.objectRef<CancelJobSuccessShape>("CancelJobSuccess").implement({
  fields: (t) => ({
    job: t.field({ type: JobRef, resolve: (r) => r.job }),
    balance: t.exposeInt("balance", { description: "The owner's balance after the refund." }),
  }),
});

const SubmitJobResult = builder.unionType("SubmitJobResult", {
  types: [SubmitJobSuccess, InsufficientBalanceError, ValidationError, RateLimitedError],
  resolveType: resolveByTypename,
});

const CancelJobResult = builder.unionType("CancelJobResult", {
  types: [CancelJobSuccess, NotFoundError, InvalidJobStateError],
  resolveType: resolveByTypename,
});

const RetryJobResult = builder.unionType("RetryJobResult", {
  description: "What retryJob answers: the job queued again, or why not (NotFoundError and InvalidJobStateError as cancelJob answers them).",
  types: [SubmitJobSuccess, InsufficientBalanceError, ValidationError, RateLimitedError, NotFoundError, InvalidJobStateError],
  resolveType: resolveByTypename,
});

type SubmitJobResultShape = SubmitJobSuccessShape | InsufficientBalanceErrorShape | ValidationErrorShape | RateLimitedErrorShape;
type RetryJobResultShape = SubmitJobResultShape | NotFoundErrorShape | InvalidJobStateErrorShape;

const SubmitJobInput = builder.inputType("SubmitJobInput", {
  fields: (t) => ({
    type: t.string({ required: true, description: "A name from `jobTypes`." }),
    params: t.field({ type: "JSON", required: true, description: "Checked against the type's `paramsSchema`." }),
    priority: t.int({
      description: `0 (lowest) to the type's \`maxUserPriority\` (${maxPriority} for admins); the type's default when omitted.`,
    }),
    idempotencyKey: t.string({
      description:
        "Submitting again with the same key, type and params returns the first job, charged once; the same key with another type or params is a ValidationError.",
    }),
  }),
});

const validationError = (issues: ValidationIssueShape[]): ValidationErrorShape => ({
  __typename: "ValidationError",
  message: issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "),
  issues,
});

const callerOf = (viewer: Viewer): Caller => ({ userId: viewer.user.id, isAdmin: viewer.isAdmin });

builder.mutationField("submitJob", (t) =>
  t.field({
    type: SubmitJobResult,
    description: "Charges the job's cost and queues it; answers at once. Follow it with `jobUpdated` or `jobEvents`.",
    authScopes: { authenticated: true },
    // A transaction and a publish: a document fits only a few.
    complexity: 50,
    args: { input: t.arg({ type: SubmitJobInput, required: true }) },
    resolve: async (_root, { input }, ctx): Promise<SubmitJobResultShape> => answerOf(await submitJob(ctx, callerOf(await ctx.viewer()), input), ctx.limits),
  }),
);

builder.mutationField("submitJobs", (t) =>
  t.field({
    type: [SubmitJobResult],
    description:
      "Submits many jobs in one transaction, one result per input in order: an invalid or refused input refuses nothing else, and the balance covers the inputs in order. At most MAX_SUBMIT_BATCH (default 100) inputs; a ValidationError's paths start with [\"inputs\", index].",
    authScopes: { authenticated: true },
    // One transaction for all: cheaper per job than submitJob, and a batch's size is refused here, before anything runs.
    complexity: (args, ctx) => {
      const count = pageSize("inputs", args.inputs.length, { default: 0, min: 1, max: ctx.limits.maxSubmitBatch });
      return { field: 10 * count, multiplier: count };
    },
    args: { inputs: t.arg({ type: [SubmitJobInput], required: true }) },
    resolve: async (_root, { inputs }, ctx): Promise<SubmitJobResultShape[]> => {
      const outcomes = await submitJobs(ctx, callerOf(await ctx.viewer()), inputs);
      return outcomes.map((outcome, index) =>
        answerOf(outcome.kind === "invalid" ? { ...outcome, issues: outcome.issues.map((issue) => ({ ...issue, path: inBatch(issue.path, index) })) } : outcome, ctx.limits),
      );
    },
  }),
);

/** An input's path within a batch: ["input", …] becomes ["inputs", "3", …]. */
const inBatch = (path: string[], index: number) => (path[0] === "input" ? ["inputs", String(index), ...path.slice(1)] : path);

function answerOf(outcome: SubmitJobOutcome, limits: Limits): SubmitJobResultShape {
  switch (outcome.kind) {
    case "invalid":
      return validationError(outcome.issues);
    case "refused":
      return refusalAnswer(outcome.refusal, outcome.cost, limits);
    case "submitted":
      return { __typename: "SubmitJobSuccess", job: outcome.job, balance: outcome.balance };
  }
}

builder.mutationField("cancelJob", (t) =>
  t.field({
    type: CancelJobResult,
    description: "Cancels a job not yet finished and refunds its cost; a running handler is told to stop.",
    authScopes: { authenticated: true },
    complexity: 10,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx): Promise<CancelJobSuccessShape | NotFoundErrorShape | InvalidJobStateErrorShape> => {
      const outcome = await cancelJob(ctx, callerOf(await ctx.viewer()), String(args.id));
      switch (outcome.kind) {
        case "cancelled":
          return { __typename: "CancelJobSuccess", job: outcome.job, balance: outcome.balance };
        case "not-found":
          return notFound("job");
        case "invalid-state":
          return invalidJobState(outcome.status, `a ${outcome.status} job cannot be cancelled`);
      }
    },
  }),
);

builder.mutationField("retryJob", (t) =>
  t.field({
    type: RetryJobResult,
    description: "Runs a FAILED or CANCELLED job again as the same job; its owner is charged again.",
    authScopes: { authenticated: true },
    complexity: 50,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx): Promise<RetryJobResultShape> => {
      const outcome = await retryJob(ctx, callerOf(await ctx.viewer()), String(args.id));
      switch (outcome.kind) {
        case "queued":
          return { __typename: "SubmitJobSuccess", job: outcome.job, balance: outcome.balance };
        case "refused":
          return refusalAnswer(outcome.refusal, outcome.cost, ctx.limits);
        case "priority-too-high":
          return validationError([
            {
              path: ["id"],
              message: `this job's priority ${outcome.priority} is above ${outcome.maxPriority}, the most a non-admin may use for its type; submit it again with a lower priority`,
            },
          ]);
        case "not-found":
          return notFound("job");
        case "invalid-state":
          return invalidJobState(outcome.status, `only FAILED or CANCELLED jobs can be retried; this one is ${outcome.status}`);
      }
    },
  }),
);

function refusalAnswer(refusal: ChargeRefusal, cost: number, limits: Limits): RateLimitedErrorShape | InsufficientBalanceErrorShape {
  switch (refusal.kind) {
    case "rate-limited":
      return {
        __typename: "RateLimitedError",
        message: `too many submits: at most ${limits.submitBurst} at once, then ${limits.submitRatePerSecond} a second; try again in ${refusal.retryAfterMs} ms`,
        retryAfterMs: refusal.retryAfterMs,
        limit: "SUBMIT_RATE",
      };
    case "too-many-unfinished":
      return {
        __typename: "RateLimitedError",
        message: `too many unfinished jobs: at most ${limits.maxUnfinishedJobs} may be queued, running or retrying at once; submit again when one has finished`,
        retryAfterMs: refusal.retryAfterMs,
        limit: "UNFINISHED_JOBS",
      };
    case "insufficient-balance":
      return insufficientBalance(refusal.balance, cost);
  }
}

function insufficientBalance(balance: number, cost: number): InsufficientBalanceErrorShape {
  return {
    __typename: "InsufficientBalanceError",
    message: `this job costs ${cost} credits; the balance is ${balance}`,
    balance,
    cost,
  };
}
