import type { JobStatus } from "../domain/job-status.js";
import type { ValidationIssue } from "../domain/validation-issue.js";
import { builder } from "./builder.js";
import { JobStatusEnum } from "./job-status.js";

// Expected failures are union members, tagged with __typename so unions resolve by tag.
export type ValidationIssueShape = ValidationIssue;
export type ValidationErrorShape = { __typename: "ValidationError"; message: string; issues: ValidationIssueShape[] };
export type InsufficientBalanceErrorShape = { __typename: "InsufficientBalanceError"; message: string; balance: number; cost: number };
export type RateLimitedErrorShape = { __typename: "RateLimitedError"; message: string; retryAfterMs: number; limit: RateLimit };
/** Which per-user limit a submit ran into. */
export type RateLimit = "SUBMIT_RATE" | "UNFINISHED_JOBS";
export type NotFoundErrorShape = { __typename: "NotFoundError"; message: string };
export type InvalidJobStateErrorShape = { __typename: "InvalidJobStateError"; message: string; status: JobStatus };

export const ErrorInterface = builder.interfaceRef<{ message: string }>("Error").implement({
  description: "An expected failure, returned as data.",
  fields: (t) => ({ message: t.exposeString("message") }),
});

const ValidationIssue = builder.objectRef<ValidationIssueShape>("ValidationIssue").implement({
  fields: (t) => ({
    path: t.exposeStringList("path", { description: "Where the problem is, e.g. [\"params\", \"steps\"]." }),
    message: t.exposeString("message"),
  }),
});

export const ValidationError = builder.objectRef<ValidationErrorShape>("ValidationError").implement({
  interfaces: [ErrorInterface],
  fields: (t) => ({ issues: t.field({ type: [ValidationIssue], resolve: (e) => e.issues }) }),
});

export const InsufficientBalanceError = builder.objectRef<InsufficientBalanceErrorShape>("InsufficientBalanceError").implement({
  interfaces: [ErrorInterface],
  fields: (t) => ({ balance: t.exposeInt("balance"), cost: t.exposeInt("cost") }),
});

const RateLimitEnum = builder.enumType("RateLimit", {
  values: {
    SUBMIT_RATE: { description: "Submits per second (SUBMIT_BURST, SUBMIT_RATE_PER_SECOND): a token comes back after retryAfterMs." },
    UNFINISHED_JOBS: { description: "Jobs QUEUED, RUNNING or RETRYING at once (MAX_UNFINISHED_JOBS): wait for one to finish." },
  },
  description: "Which per-user limit a request ran into.",
});

export const RateLimitedError = builder.objectRef<RateLimitedErrorShape>("RateLimitedError").implement({
  interfaces: [ErrorInterface],
  fields: (t) => ({
    retryAfterMs: t.exposeInt("retryAfterMs", { description: "How long to wait before trying again (for UNFINISHED_JOBS, a hint)." }),
    limit: t.field({ type: RateLimitEnum, resolve: (e) => e.limit }),
  }),
});

export const NotFoundError = builder.objectRef<NotFoundErrorShape>("NotFoundError").implement({
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

export const InvalidJobStateError = builder.objectRef<InvalidJobStateErrorShape>("InvalidJobStateError").implement({
  interfaces: [ErrorInterface],
  fields: (t) => ({ status: t.field({ type: JobStatusEnum, resolve: (e) => e.status }) }),
});

export const notFound = (what: string): NotFoundErrorShape => ({ __typename: "NotFoundError", message: `${what} not found` });
export const invalidJobState = (status: JobStatus, message: string): InvalidJobStateErrorShape => ({ __typename: "InvalidJobStateError", message, status });

export const resolveByTypename = (value: { __typename: string }) => value.__typename;
