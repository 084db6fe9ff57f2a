import { resolveCursorConnection, type ResolveCursorConnectionArgs } from "@pothos/plugin-relay";
import { z } from "zod";
import type { JobError } from "../domain/errors.js";
import { countedQueuePositions, findJob, listJobEvents, listJobs, queuePositionBeyondCount } from "../db/queries/read-jobs.js";
import type { JobEventRow, JobRow } from "../db/schema.js";
import type { JobType as JobTypeDef } from "../jobs/index.js";
import { builder } from "./builder.js";
import { pageSize, type PageBounds } from "./cost-budget.js";
import { codedError } from "../graphql/coded-error.js";
import { JobStatusEnum } from "./job-status.js";
import { isUuid } from "../domain/ids.js";
import { maxNameLength, requireText } from "./argument-checks.js";
import { decodeJobCursor, encodeJobCursor } from "./job-cursor.js";
import { estimatedStartOf, queuePositionOf } from "./start-estimates.js";

const JobErrorType = builder.objectRef<JobError>("JobError").implement({
  fields: (t) => ({
    message: t.exposeString("message"),
    code: t.exposeString("code", { nullable: true }),
    attempt: t.exposeInt("attempt"),
  }),
});

export const JobEventType = builder.objectRef<JobEventRow>("JobEvent").implement({
  description: "One entry of a job's append-only log: a status change or a progress report.",
  fields: (t) => ({
    jobId: t.exposeID("jobId"),
    seq: t.exposeInt("seq"),
    at: t.expose("at", { type: "DateTime" }),
    status: t.field({ type: JobStatusEnum, resolve: (e) => e.status }),
    progress: t.exposeFloat("progress"),
    message: t.exposeString("message", { nullable: true }),
  }),
});

const eventsPage: PageBounds = { default: 100, max: 1000 };
const jobsPage: PageBounds = { default: 20, max: 100 };

/** The page a `jobs` call reads: `first` or `last` (both checked), the larger when both are given. */
function jobsPageSize(args: { first?: number | null; last?: number | null }): number {
  const first = pageSize("first", args.first, jobsPage);
  const last = pageSize("last", args.last, jobsPage);
  if (args.last == null) return first;
  return args.first == null ? last : Math.max(first, last);
}

/** Longest `jobs(status:)` list: the six statuses, with room for a client's repeats. */
const maxStatusFilterLength = 20;

export const JobRef = builder.objectRef<JobRow>("Job").implement({
  fields: (t) => ({
    id: t.exposeID("id"),
    type: t.exposeString("type"),
    status: t.field({ type: JobStatusEnum, resolve: (job) => job.status }),
    priority: t.exposeInt("priority"),
    params: t.expose("params", { type: "JSON" }),
    progress: t.exposeFloat("progress", { description: "0 to 1, for the current attempt." }),
    progressMessage: t.exposeString("progressMessage", { nullable: true }),
    attempts: t.exposeInt("attempts"),
    maxAttempts: t.exposeInt("maxAttempts"),
    cost: t.exposeInt("cost"),
    result: t.expose("result", { type: "JSON", nullable: true }),
    error: t.field({ type: JobErrorType, nullable: true, description: "The last attempt's error.", resolve: (job) => job.error }),
    seq: t.exposeInt("seq", { description: "Number of the job's latest event." }),
    queuePosition: t.int({
      nullable: true,
      description:
        `While QUEUED: its place in its type's queue, 1 being the next to start (order: priority, highest first, then time queued). Counted up to ${countedQueuePositions}: a job further back answers ${queuePositionBeyondCount}, meaning "${queuePositionBeyondCount} or later". Null otherwise.`,
      // At most the type's first positions up to this one (capped), read for a page's jobs in one statement.
      complexity: 5,
      resolve: (job, _args, ctx) => queuePositionOf(ctx, job),
    }),
    estimatedStartAt: t.field({
      type: "DateTime",
      nullable: true,
      description:
        "While QUEUED: when it should start, from its queue position, the type's recent run times and the consumers serving its queue. Null otherwise, or when that is not known (no recent run, no consumer, no answer from the broker, a position past the ones counted).",
      // Its position, the type's running attempts; run times and consumers are reused for a few seconds.
      complexity: 5,
      resolve: (job, _args, ctx) => estimatedStartOf(ctx, job),
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    startedAt: t.expose("startedAt", { type: "DateTime", nullable: true, description: "When the first attempt began (one handed back by a stopping worker does not count)." }),
    finishedAt: t.expose("finishedAt", { type: "DateTime", nullable: true }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
    nextAttemptAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "While RETRYING: when the next attempt is due. Null otherwise.",
      resolve: (job) => (job.status === "RETRYING" ? job.nextAttemptAt : null),
    }),
    events: t.field({
      type: [JobEventType],
      args: { after: t.arg.int({ defaultValue: 0 }), first: t.arg.int({ defaultValue: eventsPage.default }) },
      complexity: (args) => ({ field: 1, multiplier: pageSize("first", args.first, eventsPage) }),
      resolve: (job, args, ctx) => listJobEvents(ctx.db, job.id, args.after ?? 0, pageSize("first", args.first, eventsPage)),
    }),
  }),
});

export const JobTypeRef = builder.objectRef<JobTypeDef>("JobType").implement({
  fields: (t) => ({
    name: t.exposeString("name"),
    description: t.exposeString("description"),
    cost: t.exposeInt("cost"),
    defaultPriority: t.exposeInt("defaultPriority"),
    maxUserPriority: t.exposeInt("maxUserPriority", {
      description: "Highest priority a submit (or retry) may ask for without the admin role; admins may use up to 9.",
    }),
    maxAttempts: t.exposeInt("maxAttempts"),
    timeoutMs: t.exposeInt("timeoutMs"),
    concurrency: t.exposeInt("concurrency", { description: "Attempts of this type one worker process runs at once." }),
    paramsSchema: t.field({
      type: "JSON",
      description: "JSON Schema of `params` (draft 2020-12).",
      // Built from the zod schema on every read.
      complexity: 10,
      resolve: (type) => z.toJSONSchema(type.params, { io: "input", unrepresentable: "any" }),
    }),
  }),
});

builder.queryField("jobTypes", (t) =>
  t.field({
    type: [JobTypeRef],
    // A public catalogue, so no scope; its cost counts every type.
    complexity: (_args, ctx) => ({ field: 1, multiplier: ctx.registry.list.length }),
    resolve: (_root, _args, ctx) => [...ctx.registry.list],
  }),
);

builder.queryField("job", (t) =>
  t.field({
    type: JobRef,
    nullable: true,
    description: "A job of the caller's (any job for an admin); null when there is none.",
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const viewer = await ctx.viewer();
      const id = String(args.id);
      return isUuid(id) ? findJob(ctx.db, id, viewer.ownerScope) : null;
    },
  }),
);

builder.queryField("jobs", (t) =>
  t.connection(
    {
      type: JobRef,
      description: "The caller's jobs (all jobs for an admin), newest first.",
      authScopes: { authenticated: true },
      complexity: (args) => ({ field: 1, multiplier: jobsPageSize(args) }),
      args: {
        status: t.arg({ type: [JobStatusEnum] }),
        type: t.arg.string(),
      },
      resolve: async (_root, args, ctx) => {
        const viewer = await ctx.viewer();
        jobsPageSize(args);
        const type = requireText("type", args.type, maxNameLength);
        if (args.status && args.status.length > maxStatusFilterLength) {
          throw codedError(`status lists at most ${maxStatusFilterLength} statuses`, "BAD_USER_INPUT");
        }
        // Six distinct statuses at most: repeats are dropped before SQL.
        const statuses = args.status ? [...new Set(args.status)] : null;
        const after = decodeCursor("after", args.after);
        const before = decodeCursor("before", args.before);
        return resolveCursorConnection(
          { args, toCursor: (job: JobRow) => encodeJobCursor(job), defaultSize: jobsPage.default, maxSize: jobsPage.max },
          ({ limit, inverted }: ResolveCursorConnectionArgs) =>
            listJobs(ctx.db, { ownerId: viewer.ownerScope, statuses, type }, { after, before, limit, oldestFirst: inverted }),
        );
      },
    },
    { name: "JobConnection" },
    { name: "JobEdge" },
  ),
);

function decodeCursor(name: string, cursor: string | null | undefined) {
  if (!cursor) return null;
  const decoded = decodeJobCursor(cursor);
  if (!decoded) throw codedError(`${name} is not a cursor of this connection`, "BAD_USER_INPUT");
  return decoded;
}
