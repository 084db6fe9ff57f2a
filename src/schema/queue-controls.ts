import { concurrencyProblem, effectiveQueueControl } from "../domain/queue-controls.js";
import { purgeQueuedJobs } from "../db/queries/purge-queued-jobs.js";
import { saveJobTypeSettings, type JobTypeSettingsChanges } from "../db/queries/save-job-type-settings.js";
import { announceQueueControls } from "../events/queue-control-notices.js";
import { builder } from "./builder.js";
import type { GraphQLContext } from "./context.js";
import { codedError } from "../graphql/coded-error.js";
import { requireType } from "./argument-checks.js";

interface JobTypeSettingsShape {
  type: string;
  paused: boolean;
  concurrency: number;
  defaultConcurrency: number;
  updatedAt: Date;
}

const JobTypeSettings = builder.objectRef<JobTypeSettingsShape>("JobTypeSettings").implement({
  description: "An operator's queue controls of one job type. Every worker applies them within QUEUE_CONTROLS_POLL_MS (2 s by default), without a restart.",
  fields: (t) => ({
    type: t.exposeString("type"),
    paused: t.exposeBoolean("paused", { description: "Workers take no new job of this type; running ones finish, queued ones wait, submits are still taken." }),
    concurrency: t.exposeInt("concurrency", { description: "Attempts of this type at once per worker process (its consumer's prefetch)." }),
    defaultConcurrency: t.exposeInt("defaultConcurrency", { description: "The type's own concurrency, in force when none is set." }),
    updatedAt: t.expose("updatedAt", { type: "DateTime", description: "When an operator last changed them." }),
  }),
});

const typeArg = { required: true, description: "A name from `jobTypes`." } as const;

/** Writes the changes, tells the workers at once (they poll too), and answers the controls in force. */
async function changeControls(ctx: GraphQLContext, type: string, changes: JobTypeSettingsChanges): Promise<JobTypeSettingsShape> {
  requireType(ctx, type);
  const defaultConcurrency = ctx.registry.get(type)!.concurrency;
  const row = await saveJobTypeSettings(ctx.db, type, changes);
  await announceQueueControls(ctx.db, type, ctx.log);
  const viewer = ctx.knownViewer();
  ctx.log.info({ type, ...changes, by: viewer?.user.id }, "queue controls changed");
  return { type, ...effectiveQueueControl(defaultConcurrency, row), defaultConcurrency, updatedAt: row.updatedAt };
}

builder.mutationField("pauseJobType", (t) =>
  t.field({
    type: JobTypeSettings,
    description:
      "Admin: workers stop taking jobs of this type within seconds. Attempts already running finish; QUEUED jobs wait in the queue (submits are still accepted) until resumeJobType.",
    args: { type: t.arg.string(typeArg) },
    authScopes: { admin: true },
    complexity: 10,
    resolve: (_root, args, ctx) => changeControls(ctx, args.type, { paused: true }),
  }),
);

builder.mutationField("resumeJobType", (t) =>
  t.field({
    type: JobTypeSettings,
    description: "Admin: workers take jobs of this type again, within seconds.",
    args: { type: t.arg.string(typeArg) },
    authScopes: { admin: true },
    complexity: 10,
    resolve: (_root, args, ctx) => changeControls(ctx, args.type, { paused: false }),
  }),
);

builder.mutationField("setJobTypeConcurrency", (t) =>
  t.field({
    type: JobTypeSettings,
    description:
      "Admin: attempts of this type at once per worker process, from 1 to 1000; null or omitted goes back to the type's own. Running workers apply it within seconds; attempts already running finish, and a lowered limit waits for them.",
    args: {
      type: t.arg.string(typeArg),
      concurrency: t.arg.int({ description: "1 to 1000; null: the type's default." }),
    },
    authScopes: { admin: true },
    complexity: 10,
    resolve: (_root, args, ctx) => {
      const concurrency = args.concurrency ?? null;
      const problem = concurrencyProblem(concurrency);
      if (problem !== null) throw codedError(problem, "BAD_USER_INPUT");
      return changeControls(ctx, args.type, { concurrency });
    },
  }),
);

builder.mutationField("purgeJobType", (t) =>
  t.int({
    description:
      "Admin: cancels every QUEUED job of this type and refunds each, as cancelJob does (one job.cancelled webhook each); returns how many. RUNNING and RETRYING jobs are left alone, and so are the broker's messages (a cancelled job's message is skipped).",
    args: { type: t.arg.string(typeArg) },
    authScopes: { admin: true },
    // One transaction per purged job.
    complexity: 50,
    resolve: async (_root, args, ctx) => {
      requireType(ctx, args.type);
      const cancelled = await purgeQueuedJobs(ctx.db, ctx.hints, ctx.webhooks, args.type);
      ctx.log.info({ type: args.type, cancelled, by: ctx.knownViewer()?.user.id }, "queued jobs purged and refunded");
      return cancelled;
    },
  }),
);
