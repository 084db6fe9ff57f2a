import DataLoader from "dataloader";
import { createContextCache } from "@pothos/core";
import { isTerminal } from "../domain/job-status.js";
import { isUuid } from "../domain/ids.js";
import type { OutputChunkRow } from "../db/queries/append-job-output.js";
import { readAttemptOutputs, type AttemptOutputKey } from "../db/queries/read-job-output.js";
import { findJob } from "../db/queries/read-jobs.js";
import { followChanges } from "../events/follow-changes.js";
import { outputPageSize } from "../events/stream-reads.js";
import { trimOutputChunks } from "../events/trim-output-chunks.js";
import { codedError } from "../graphql/coded-error.js";
import { requireNonNegative } from "./argument-checks.js";
import { builder } from "./builder.js";
import type { GraphQLContext } from "./context.js";
import { guardedSubscription, unlessExpired } from "./guarded-subscription.js";
import { JobRef } from "./jobs.js";

/** Each attempt's text so far, one statement for all the jobs of a tick (a page of jobs and their outputs). No cache across ticks. */
const outputLoader = createContextCache(
  (ctx: GraphQLContext) => new DataLoader<AttemptOutputKey, string | null>((keys) => readAttemptOutputs(ctx.db, keys), { cache: false }),
);

const JobOutputChunkType = builder.objectRef<OutputChunkRow>("JobOutputChunk").implement({
  description:
    "A piece of the text a job streams while it runs (a story as it is written). Offsets count UTF-16 code units (JavaScript's String length) " +
    "from the start of the attempt's output: a chunk's text covers offset to offset + text.length.",
  fields: (t) => ({
    jobId: t.exposeID("jobId"),
    attempt: t.exposeInt("attempt", { description: "The attempt that wrote it. A chunk of a newer attempt than the last one received starts over at offset 0: drop the text so far." }),
    offset: t.exposeInt("offset", { description: "Where the text begins in the attempt's output." }),
    text: t.exposeString("text"),
  }),
});

builder.objectField(JobRef, "output", (t) =>
  t.string({
    nullable: true,
    description:
      "The text the job's latest attempt has streamed so far (a story.generate job's story, say); null while that attempt has written none. " +
      "A new attempt starts its output over. To follow it live without a gap: read `output` and `attempts`, then subscribe to " +
      "`jobOutput(id, attempt: attempts, offset: output.length)`.",
    // One statement per tick for every job asked, but the text may be long.
    complexity: 5,
    resolve: (job, _args, ctx) => (job.attempts === 0 ? null : outputLoader(ctx).load({ jobId: job.id, attempt: job.attempts })),
  }),
);

builder.subscriptionField("jobOutput", (t) =>
  t.field({
    type: JobOutputChunkType,
    description:
      "The text the job's latest attempt streams, in order: first what it wrote after `offset`, then each chunk as it is written; ends once the job is finished " +
      "(SUCCEEDED, FAILED or CANCELLED) and every chunk of its last attempt is sent. Resumable: after a reconnect, subscribe again with the `attempt` " +
      "and `offset + text.length` of the last chunk received, and the stream goes on from there with no gap and no repeat. When a new attempt " +
      "starts (a retry), its chunks follow from offset 0 with its attempt number, so a client resets its text.",
    authScopes: { authenticated: true },
    args: {
      id: t.arg.id({ required: true }),
      offset: t.arg.int({ defaultValue: 0, description: "Send the text from this offset on (of `attempt`'s output). Default 0: all of it." }),
      attempt: t.arg.int({
        description:
          "The attempt `offset` belongs to (the last chunk's). When it is not the job's latest attempt, the stream starts at offset 0 of the latest. Default: the latest attempt when the stream opens.",
      }),
    },
    subscribe: (_root, args, ctx) =>
      guardedSubscription(ctx, async (viewer) => {
        const id = String(args.id);
        const job = isUuid(id) ? await findJob(ctx.db, id, viewer.ownerScope) : null;
        if (!job) throw codedError("job not found", "NOT_FOUND");
        // Where the client is: the attempt it reads and how much of that attempt's text it has.
        const at = {
          attempt: args.attempt ?? job.attempts,
          position: requireNonNegative("offset", args.offset) ?? 0,
        };
        let over = false;
        return followChanges<OutputChunkRow>({
          listen: (wake) => {
            const unlistenOutput = ctx.hintListener.subscribeOutput(
              job.id,
              (hint) => {
                if (hint.attempt !== at.attempt || hint.end > at.position) wake();
              },
              wake,
            );
            // A new attempt and the end of the job come as job hints.
            const unlistenJob = ctx.hintListener.subscribeJob(
              job.id,
              (hint) => {
                if (hint.attempt !== at.attempt || isTerminal(hint.status)) wake();
              },
              wake,
            );
            return () => {
              unlistenOutput();
              unlistenJob();
            };
          },
          readNew: async () => {
            // The row first, then the chunks: once it says finished, every chunk of its last attempt is committed
            // (a chunk is written only while its attempt holds the job), so this read has them all.
            const row = await ctx.streamReads.job.load(job.id);
            if (!row) {
              over = true;
              return [];
            }
            const attempt = row.attempts;
            let position = attempt === at.attempt ? at.position : 0;
            const chunks: OutputChunkRow[] = [];
            // The position moves only once every page is read: a failed page reads them all again.
            for (;;) {
              const page = await ctx.streamReads.outputAfter.load({ jobId: job.id, attempt, after: position });
              const fresh = trimOutputChunks(page, position);
              chunks.push(...fresh);
              if (fresh.length > 0) position = fresh.at(-1)!.offset + fresh.at(-1)!.text.length;
              if (page.length < outputPageSize) break;
            }
            at.attempt = attempt;
            at.position = position;
            over = isTerminal(row.status);
            return chunks;
          },
          isOver: () => over,
        });
      }),
    resolve: (item) => unlessExpired(item),
  }),
);
