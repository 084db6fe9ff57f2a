import type { z } from "zod";
import { chargeAndCreateJob } from "../db/queries/charge-and-create-job.js";
import { cancelJob } from "../db/queries/cancel-job.js";
import { rechargeJob } from "../db/queries/recharge-job.js";
import type { JobRow } from "../db/schema.js";
import { maxPriority } from "../broker/topology.js";
import { builder } from "./builder.js";
import {
  InsufficientBalanceError,
  InvalidJobStateError,
  NotFoundError,
  RateLimitedError,
  ValidationError,
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
import { isUuid } from "./ids.js";

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

type SubmitJobResultShape = SubmitJobSuccessShape | InsufficientBalanceErrorShape | ValidationErrorShape | RateLimitedErrorShape;

const SubmitJobInput = builder.inputType("SubmitJobInput", {
  fields: (t) => ({
    type: t.string({ required: true, description: "A name from `jobTypes`." }),
    params: t.field({ type: "JSON", required: true, description: "Checked against the type's `paramsSchema`." }),
    priority: t.int({ description: `0 (lowest) to ${maxPriority}; the type's default when omitted.` }),
    idempotencyKey: t.string({ description: "Submitting again with the same key returns the first job, charged once." }),
  }),
});

const maxIdempotencyKeyLength = 200;

const validationError = (issues: ValidationIssueShape[]): ValidationErrorShape => ({
  __typename: "ValidationError",
  message: issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "),
  issues,
});

const zodIssues = (error: z.ZodError, prefix: string[]): ValidationIssueShape[] =>
  error.issues.map((issue) => ({ path: [...prefix, ...issue.path.map(String)], message: issue.message }));

builder.mutationField("submitJob", (t) =>
  t.field({
    type: SubmitJobResult,
    description: "Charges the job's cost and queues it; answers at once. Follow it with `jobUpdated` or `jobEvents`.",
    args: { input: t.arg({ type: SubmitJobInput, required: true }) },
    resolve: async (_root, { input }, ctx): Promise<SubmitJobResultShape> => {
      const viewer = await ctx.viewer();
      const type = ctx.registry.get(input.type);
      if (!type) {
        ctx.metrics.submitRejected.inc({ reason: "validation" });
        const known = ctx.registry.list.map((t) => t.name).join(", ");
        return validationError([{ path: ["input", "type"], message: `unknown job type "${input.type}"; known types: ${known}` }]);
      }
      const issues: ValidationIssueShape[] = [];
      const priority = input.priority ?? type.defaultPriority;
      if (priority < 0 || priority > maxPriority) {
        issues.push({ path: ["input", "priority"], message: `must be between 0 and ${maxPriority}` });
      }
      if (input.idempotencyKey != null && (input.idempotencyKey.length === 0 || input.idempotencyKey.length > maxIdempotencyKeyLength)) {
        issues.push({ path: ["input", "idempotencyKey"], message: `must be 1 to ${maxIdempotencyKeyLength} characters` });
      }
      const params = type.params.safeParse(input.params);
      if (!params.success) issues.push(...zodIssues(params.error, ["input", "params"]));
      if (issues.length > 0 || !params.success) {
        ctx.metrics.submitRejected.inc({ reason: "validation" });
        return validationError(issues);
      }

      const outcome = await chargeAndCreateJob(ctx.db, {
        userId: viewer.user.id,
        type: type.name,
        params: params.data,
        priority,
        cost: type.cost,
        maxAttempts: type.maxAttempts,
        idempotencyKey: input.idempotencyKey ?? null,
      });
      if (outcome.kind === "insufficient-balance") {
        ctx.metrics.submitRejected.inc({ reason: "insufficient_balance" });
        return insufficientBalance(outcome.balance, type.cost);
      }
      if (outcome.kind === "created") {
        ctx.metrics.jobsSubmitted.inc({ type: type.name });
        ctx.dispatchJob(outcome.job);
      }
      return { __typename: "SubmitJobSuccess", job: outcome.job, balance: outcome.balance };
    },
  }),
);

builder.mutationField("cancelJob", (t) =>
  t.field({
    type: CancelJobResult,
    description: "Cancels a job not yet finished and refunds its cost; a running handler is told to stop.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx): Promise<CancelJobSuccessShape | NotFoundErrorShape | InvalidJobStateErrorShape> => {
      const viewer = await ctx.viewer();
      const id = String(args.id);
      if (!isUuid(id)) return notFound("job");
      const outcome = await cancelJob(ctx.db, id, viewer.ownerScope);
      switch (outcome.kind) {
        case "cancelled":
          return { __typename: "CancelJobSuccess", job: outcome.job, balance: outcome.balance };
        case "not-found":
          return notFound("job");
        case "invalid-state":
          return { __typename: "InvalidJobStateError", message: `a ${outcome.status} job cannot be cancelled`, status: outcome.status };
      }
    },
  }),
);

builder.mutationField("retryJob", (t) =>
  t.field({
    type: SubmitJobResult,
    description: "Runs a FAILED or CANCELLED job again as the same job; its owner is charged again.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx): Promise<SubmitJobResultShape> => {
      const viewer = await ctx.viewer();
      const id = String(args.id);
      const invalid = (message: string) => validationError([{ path: ["id"], message }]);
      if (!isUuid(id)) return invalid("job not found");
      const outcome = await rechargeJob(ctx.db, id, viewer.ownerScope, (type) => ctx.registry.get(type)?.maxAttempts ?? 1);
      switch (outcome.kind) {
        case "queued":
          ctx.metrics.jobsSubmitted.inc({ type: outcome.job.type });
          ctx.dispatchJob(outcome.job);
          return { __typename: "SubmitJobSuccess", job: outcome.job, balance: outcome.balance };
        case "insufficient-balance":
          return insufficientBalance(outcome.balance, outcome.cost);
        case "not-found":
          return invalid("job not found");
        case "invalid-state":
          return invalid(`only FAILED or CANCELLED jobs can be retried; this one is ${outcome.status}`);
      }
    },
  }),
);

function insufficientBalance(balance: number, cost: number): InsufficientBalanceErrorShape {
  return {
    __typename: "InsufficientBalanceError",
    message: `this job costs ${cost} credits; the balance is ${balance}`,
    balance,
    cost,
  };
}
