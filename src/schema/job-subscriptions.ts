import { isTerminal } from "../domain/job-status.js";
import { listUnfinishedJobs } from "../db/queries/list-unfinished-jobs.js";
import { findJob } from "../db/queries/read-jobs.js";
import type { JobEventRow, JobRow } from "../db/schema.js";
import { followChanges } from "../events/follow-changes.js";
import { eventsPageSize } from "../events/stream-reads.js";
import { builder } from "./builder.js";
import type { GraphQLContext, Viewer } from "./context.js";
import { codedError } from "../graphql/coded-error.js";
import { guardedSubscription, unlessExpired } from "./guarded-subscription.js";
import { JobEventType, JobRef } from "./jobs.js";
import { isUuid } from "../domain/ids.js";

const maxRememberedJobs = 1_000;
/** At most this many unfinished jobs open `myJobUpdated(includeCurrent: true)`, the newest. */
export const currentJobsSent = 100;

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
            ctx.hintListener.subscribeJob(
              first.id,
              (hint) => {
                if (hint.seq > lastSeq) wake();
              },
              wake,
            ),
          readNew: async () => {
            // Read after listening (not the row read for the access check), so no change falls between.
            const job = await ctx.streamReads.job.load(first.id);
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
            ctx.hintListener.subscribeJob(
              job.id,
              (hint) => {
                if (hint.seq > lastSeq) wake();
              },
              wake,
            ),
          readNew: async () => {
            const events: JobEventRow[] = [];
            // The position moves only once every page is read: a failed page reads them all again.
            let after = lastSeq;
            for (;;) {
              const page = await ctx.streamReads.eventsAfter.load({ jobId: job.id, after });
              events.push(...page);
              if (page.length > 0) after = page.at(-1)!.seq;
              if (page.length < eventsPageSize) break;
            }
            lastSeq = after;
            return events;
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
    description:
      "Each change to any of the caller's jobs (its latest state; quick successive changes may arrive as one). " +
      `With includeCurrent, first the caller's unfinished jobs (QUEUED, RUNNING, RETRYING; the newest ${currentJobsSent}, newest first) as they are once the stream listens, then the changes.`,
    authScopes: { authenticated: true },
    args: {
      includeCurrent: t.arg.boolean({
        defaultValue: false,
        description: "Start with the caller's unfinished jobs as they are now, so no change between a read of the list and this stream is lost.",
      }),
    },
    subscribe: (_root, args, ctx) =>
      guardedSubscription(ctx, async (viewer) => {
        const changed = new Set<string>();
        const lastSeqs = new Map<string, number>();
        let currentPending = args.includeCurrent === true;
        const readCurrent = () => listUnfinishedJobs(ctx.db, viewer.user.id, currentJobsSent);
        return followChanges<JobRow>({
          listen: (wake) =>
            ctx.hintListener.subscribeUser(
              viewer.user.id,
              (hint) => {
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
            let current: JobRow[];
            let jobs: JobRow[];
            try {
              // The first read comes after listening has begun, so a change after it still wakes the stream.
              [current, jobs] = await Promise.all([
                currentPending ? readCurrent() : [],
                Promise.all(ids.map((id) => ctx.streamReads.job.load(id))).then((rows) => rows.filter((job) => job !== null)),
              ]);
            } catch (error) {
              // Read again on the retry.
              for (const id of ids) changed.add(id);
              throw error;
            }
            currentPending = false;
            const byId = new Map(jobs.map((job) => [job.id, job]));
            // The current jobs first, in their order, each as the newer of its two reads; then the other changes, oldest change first.
            const first = current.map((job) => newerOf(job, byId.get(job.id)));
            const firstIds = new Set(first.map((job) => job.id));
            const rest = jobs.filter((job) => !firstIds.has(job.id)).sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime());
            const fresh = [...first, ...rest].filter((job) => job.seq > (lastSeqs.get(job.id) ?? 0));
            for (const job of fresh) {
              lastSeqs.delete(job.id);
              lastSeqs.set(job.id, job.seq);
            }
            // Remember the most recently changed jobs only (a Map keeps insertion order).
            for (const id of lastSeqs.keys()) {
              if (lastSeqs.size <= maxRememberedJobs) break;
              lastSeqs.delete(id);
            }
            return fresh;
          },
        });
      }),
    resolve: (item) => unlessExpired(item),
  }),
);

const newerOf = (a: JobRow, b: JobRow | undefined): JobRow => (b && b.seq > a.seq ? b : a);
