import { claimableStatuses } from "../domain/job-status.js";
import { countJobsByTypeAndStatus, findJob } from "../db/queries/read-jobs.js";
import { readJobTypeSettings } from "../db/queries/read-job-type-settings.js";
import { effectiveQueueControl } from "../domain/queue-controls.js";
import type { DeadLetter } from "../broker/broker-admin.js";
import { builder } from "./builder.js";
import { requireNonNegative, requireType } from "./argument-checks.js";
import { pageSize, type PageBounds } from "./cost-budget.js";

const deadLettersPage: PageBounds = { default: 20, max: 200 };

interface QueueStatsShape {
  type: string;
  queued: number;
  running: number;
  retrying: number;
  ready: number | null;
  consumers: number | null;
  deadLettered: number | null;
  paused: boolean;
  concurrency: number;
  defaultConcurrency: number;
}

const QueueStats = builder.objectRef<QueueStatsShape>("QueueStats").implement({
  description: "One job type's backlog: job counts from PostgreSQL, queue depths from RabbitMQ (null while it is unreachable).",
  fields: (t) => ({
    type: t.exposeString("type"),
    queued: t.exposeInt("queued"),
    running: t.exposeInt("running"),
    retrying: t.exposeInt("retrying"),
    ready: t.exposeInt("ready", { nullable: true, description: "Messages waiting in the work queue." }),
    consumers: t.exposeInt("consumers", { nullable: true, description: "Consumers on the work queue (one per worker process)." }),
    deadLettered: t.exposeInt("deadLettered", { nullable: true, description: "Messages in the dead-letter queue." }),
    paused: t.exposeBoolean("paused", { description: "Workers take no new job of this type (pauseJobType); running ones finish, queued ones wait." }),
    concurrency: t.exposeInt("concurrency", {
      description: "Attempts of this type at once per worker process (its consumer's prefetch): setJobTypeConcurrency's value, or defaultConcurrency.",
    }),
    defaultConcurrency: t.exposeInt("defaultConcurrency", { description: "The type's own concurrency, in force when no operator set one." }),
  }),
});

const DeadLetterType = builder.objectRef<DeadLetter>("DeadLetter").implement({
  fields: (t) => ({
    jobId: t.exposeID("jobId", { nullable: true }),
    reason: t.exposeString("reason", { nullable: true }),
    body: t.exposeString("body"),
  }),
});

builder.queryField("queueStats", (t) =>
  t.field({
    type: [QueueStats],
    description: "Admin: backlog per job type.",
    authScopes: { admin: true },
    complexity: (_args, ctx) => ({ field: 1, multiplier: ctx.registry.list.length }),
    resolve: async (_root, _args, ctx) => {
      const [counts, settings] = await Promise.all([countJobsByTypeAndStatus(ctx.db, [...claimableStatuses, "RUNNING"]), readJobTypeSettings(ctx.db)]);
      const count = (type: string, status: string) => counts.find((c) => c.type === type && c.status === status)?.count ?? 0;
      return Promise.all(
        ctx.registry.list.map(async (type) => {
          // Bounded: during a broker outage, when an admin looks most, the counts still answer at once.
          const depth = await ctx.queueDepths.fresh(type.name);
          const control = effectiveQueueControl(type.concurrency, settings.find((setting) => setting.type === type.name));
          return {
            type: type.name,
            queued: count(type.name, "QUEUED"),
            running: count(type.name, "RUNNING"),
            retrying: count(type.name, "RETRYING"),
            ready: depth?.ready ?? null,
            consumers: depth?.consumers ?? null,
            deadLettered: depth?.deadLettered ?? null,
            paused: control.paused,
            concurrency: control.concurrency,
            defaultConcurrency: type.concurrency,
          };
        }),
      );
    },
  }),
);

builder.queryField("deadLetters", (t) =>
  t.field({
    type: [DeadLetterType],
    description: "Admin: the first messages of a type's dead-letter queue, with the reason each was given up on.",
    args: { type: t.arg.string({ required: true }), first: t.arg.int({ defaultValue: deadLettersPage.default }) },
    authScopes: { admin: true },
    complexity: (args) => ({ field: 1, multiplier: pageSize("first", args.first, deadLettersPage) }),
    resolve: async (_root, args, ctx) => {
      requireType(ctx, args.type);
      return ctx.brokerAdmin.peekDeadLetters(args.type, pageSize("first", args.first, deadLettersPage));
    },
  }),
);

builder.mutationField("redriveDeadLetters", (t) =>
  t.int({
    description:
      "Admin: moves up to `limit` dead letters back to the work queue; returns how many. A job already finished ignores its message: use retryJob to run a FAILED job again.",
    args: { type: t.arg.string({ required: true }), limit: t.arg.int({ defaultValue: 100 }) },
    authScopes: { admin: true },
    resolve: async (_root, args, ctx) => {
      requireType(ctx, args.type);
      requireNonNegative("limit", args.limit);
      return ctx.brokerAdmin.redriveDeadLetters(args.type, Math.min(Math.max(args.limit ?? 100, 0), 10_000), async (jobId) => {
        const job = await findJob(ctx.db, jobId, null);
        return job ? job.priority : null;
      });
    },
  }),
);
