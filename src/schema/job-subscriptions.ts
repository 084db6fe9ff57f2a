import { isTerminal } from "../domain/job-status.js";
import { findJob, findJobsByIds, listJobEvents } from "../db/queries/read-jobs.js";
import type { JobEventRow, JobRow } from "../db/schema.js";
import { followChanges } from "../events/follow-changes.js";
import { builder } from "./builder.js";
import type { GraphQLContext, Viewer } from "./context.js";
import { codedError } from "./errors.js";
import { guardedSubscription, unlessExpired } from "./guarded-subscription.js";
import { JobEventType, JobRef } from "./jobs.js";
import { isUuid } from "./ids.js";

const eventsPageSize = 500;
const maxRememberedJobs = 1_000;

async function requireOwnJob(ctx: GraphQLContext, viewer: Viewer, id: string): Promise<JobRow> {
  const job = isUuid(id) ? await findJob(ctx.db, id, viewer.ownerScope) : null;
  if (!job) throw codedError("job not found", "NOT_FOUND");
  return job;
}

builder.subscriptionField("jobUpdated", (t) =>
  t.field({
    type: JobRef,
    description: "The job's current state at once, then each change; ends after a terminal status.",
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ required: true }) },
    subscribe: (_root, args, ctx) =>
      guardedSubscription(ctx, async (viewer) => {
        const first = await requireOwnJob(ctx, viewer, String(args.id));
        let lastSeq = 0;
        return followChanges<JobRow>({
          listen: (wake) =>
            ctx.events.subscribe((hint) => {
              if (hint.jobId === first.id && hint.seq > lastSeq) wake();
            }, wake),
          readNew: async () => {
            // Read after listening (not the row read for the access check), so no change falls between.
            const job = await findJob(ctx.db, first.id, null);
            if (!job || job.seq <= lastSeq) return [];
            lastSeq = job.seq;
            return [job];
          },
          isLast: (job) => isTerminal(job.status),
        });
      }),
    resolve: (item) => unlessExpired(item),
  }),
);

builder.subscriptionField("jobEvents", (t) =>
  t.field({
    type: JobEventType,
    description: "Every event with seq > after, in order, with no gap and no duplicate, then live; ends after a terminal status.",
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ required: true }), after: t.arg.int({ defaultValue: 0 }) },
    subscribe: (_root, args, ctx) =>
      guardedSubscription(ctx, async (viewer) => {
        const job = await requireOwnJob(ctx, viewer, String(args.id));
        let lastSeq = Math.max(0, args.after ?? 0);
        // Already over and nothing newer asked for: no event will ever come.
        if (isTerminal(job.status) && lastSeq >= job.seq) return (async function* () {})();
        return followChanges<JobEventRow>({
          listen: (wake) =>
            ctx.events.subscribe((hint) => {
              if (hint.jobId === job.id && hint.seq > lastSeq) wake();
            }, wake),
          readNew: async () => {
            const events: JobEventRow[] = [];
            for (;;) {
              const page = await listJobEvents(ctx.db, job.id, lastSeq, eventsPageSize);
              events.push(...page);
              if (page.length > 0) lastSeq = page.at(-1)!.seq;
              if (page.length < eventsPageSize) return events;
            }
          },
          isLast: (event) => isTerminal(event.status),
        });
      }),
    resolve: (item) => unlessExpired(item),
  }),
);

builder.subscriptionField("myJobUpdated", (t) =>
  t.field({
    type: JobRef,
    description: "Each change to any of the caller's jobs (its latest state; quick successive changes may arrive as one).",
    authScopes: { authenticated: true },
    subscribe: (_root, _args, ctx) =>
      guardedSubscription(ctx, async (viewer) => {
        const changed = new Set<string>();
        const lastSeqs = new Map<string, number>();
        return followChanges<JobRow>({
          listen: (wake) =>
            ctx.events.subscribe(
              (hint) => {
                if (hint.userId !== viewer.user.id) return;
                changed.add(hint.jobId);
                wake();
              },
              // Notifications may have been lost: re-read every job seen so far.
              () => {
                for (const id of lastSeqs.keys()) changed.add(id);
                wake();
              },
            ),
          readNew: async () => {
            const ids = [...changed];
            changed.clear();
            const jobs = await findJobsByIds(ctx.db, ids);
            const fresh = jobs.filter((job) => job.seq > (lastSeqs.get(job.id) ?? 0));
            for (const job of fresh) {
              lastSeqs.delete(job.id);
              lastSeqs.set(job.id, job.seq);
            }
            // Remember the most recently changed jobs only (a Map keeps insertion order).
            for (const id of lastSeqs.keys()) {
              if (lastSeqs.size <= maxRememberedJobs) break;
              lastSeqs.delete(id);
            }
            return fresh.sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime());
          },
        });
      }),
    resolve: (item) => unlessExpired(item),
  }),
);
