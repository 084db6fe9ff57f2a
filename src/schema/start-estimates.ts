import DataLoader from "dataloader";
import { createContextCache } from "@pothos/core";
import { estimateStartAt } from "../domain/estimate-start.js";
import type { Db } from "../db/client.js";
import { countedQueuePositions, queuePositions } from "../db/queries/read-jobs.js";
import { recentMeanRunTime, type RunHistory } from "../db/queries/recent-run-time.js";
import { runningAttemptsElapsed } from "../db/queries/running-attempts.js";
import type { JobRow } from "../db/schema.js";
import type { GraphQLContext } from "./context.js";

/** The run times an estimate averages: the latest 50 successful first attempts of the last 24 hours. */
export const runHistory: RunHistory = { samples: 50, windowMs: 24 * 60 * 60_000 };

/** How long a process reuses a type's mean run time (its slot count is the shared queue depths', ctx.queueDepths). */
export const meanRunTimeTtlMs = 5_000;

// Per process (its db stands for it: one per app), each type's mean run time for
// a few seconds: a page of queued jobs, or every client of a dashboard, costs
// one history read per type, not one per job.
const meanRunTimesByProcess = new WeakMap<Db, Map<string, { expiresAt: number; meanRunMs: Promise<number | null> }>>();

function meanRunTime(ctx: GraphQLContext, typeName: string): Promise<number | null> {
  let cache = meanRunTimesByProcess.get(ctx.db);
  if (!cache) meanRunTimesByProcess.set(ctx.db, (cache = new Map()));
  const now = Date.now();
  const cached = cache.get(typeName);
  if (cached && cached.expiresAt > now) return cached.meanRunMs;
  const cacheOfProcess = cache;
  const meanRunMs = recentMeanRunTime(ctx.db, typeName, runHistory).catch((error: unknown) => {
    cacheOfProcess.delete(typeName);
    throw error;
  });
  cache.set(typeName, { expiresAt: now + meanRunTimeTtlMs, meanRunMs });
  return meanRunMs;
}

/**
 * Consumers on the type's work queue × its concurrency (every worker runs this
 * build, so each consumer takes `concurrency` attempts at once); null when the
 * broker does not answer in time (ctx.queueDepths bounds the wait).
 */
async function slots(ctx: GraphQLContext, typeName: string): Promise<number | null> {
  const type = ctx.registry.get(typeName);
  if (!type) return null;
  const depth = await ctx.queueDepths.get(typeName);
  return depth === null ? null : depth.consumers * type.concurrency;
}

// Per operation, batched per tick and never cached: a subscription's context
// lives as long as it does, and each of its payloads must read the queue anew.
const positionLoader = createContextCache(
  (ctx: GraphQLContext) =>
    new DataLoader<Pick<JobRow, "id" | "type">, number | null>(
      async (jobs) => {
        const positions = await queuePositions(ctx.db, jobs);
        return jobs.map((job) => positions.get(job.id) ?? null);
      },
      { cache: false },
    ),
);

interface RunningAttempts {
  elapsedMs: (number | null)[];
  /** When they were measured: the estimates of a page all count from this one instant. */
  measuredAt: Date;
}

const runningLoader = createContextCache(
  (ctx: GraphQLContext) =>
    new DataLoader<string, RunningAttempts>(
      async (types) => {
        const { byType, measuredAt } = await runningAttemptsElapsed(ctx.db, types);
        return types.map((type) => ({ elapsedMs: byType.get(type) ?? [], measuredAt }));
      },
      { cache: false },
    ),
);

/** 1-based position of a QUEUED job in its type's queue (1: next to start); null otherwise. */
export function queuePositionOf(ctx: GraphQLContext, job: JobRow): Promise<number | null> | null {
  return job.status === "QUEUED" ? positionLoader(ctx).load(job) : null;
}

/**
 * When a QUEUED job should start (domain/estimate-start.ts); null otherwise,
 * or when it cannot be told: no recent run, no consumer or no answer from the
 * broker, or a position past the ones counted (read-jobs.ts).
 */
export async function estimatedStartOf(ctx: GraphQLContext, job: JobRow): Promise<Date | null> {
  if (job.status !== "QUEUED") return null;
  // All asked at once, so a page's reads join the batches its queuePosition fields make.
  const [meanRunMs, slotCount, position, running] = await Promise.all([
    meanRunTime(ctx, job.type),
    slots(ctx, job.type),
    positionLoader(ctx).load(job),
    runningLoader(ctx).load(job.type),
  ]);
  if (meanRunMs === null || !slotCount || position === null || position > countedQueuePositions) return null;
  return estimateStartAt({ meanRunMs, slots: slotCount, runningElapsedMs: running.elapsedMs }, position, running.measuredAt);
}
