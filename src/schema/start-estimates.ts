import DataLoader from "dataloader";
import { createContextCache } from "@pothos/core";
import { estimateStartAt } from "../domain/estimate-start.js";
import type { Db } from "../db/client.js";
import { queuePositions } from "../db/queries/read-jobs.js";
import { recentMeanRunTime, type RunHistory } from "../db/queries/recent-run-time.js";
import { runningAttemptsElapsed } from "../db/queries/running-attempts.js";
import type { JobRow } from "../db/schema.js";
import type { GraphQLContext } from "./context.js";

/** The run times an estimate averages: the latest 50 successful first attempts of the last 24 hours. */
export const runHistory: RunHistory = { samples: 50, windowMs: 24 * 60 * 60_000 };

/** How long a process reuses a type's mean run time and slot count. */
export const typeInputsTtlMs = 5_000;

interface TypeInputs {
  meanRunMs: number | null;
  /** Consumers on the type's work queue × its concurrency; null when the broker did not answer. */
  slots: number | null;
}

// Per process (its db stands for it: one per app), each type's inputs for a few
// seconds: a page of queued jobs, or every client of a dashboard, costs one
// history read and one broker call per type, not one per job.
const typeInputsByProcess = new WeakMap<Db, Map<string, { expiresAt: number; inputs: Promise<TypeInputs> }>>();

function typeInputs(ctx: GraphQLContext, typeName: string): Promise<TypeInputs> {
  let cache = typeInputsByProcess.get(ctx.db);
  if (!cache) typeInputsByProcess.set(ctx.db, (cache = new Map()));
  const now = Date.now();
  const cached = cache.get(typeName);
  if (cached && cached.expiresAt > now) return cached.inputs;
  const cacheOfProcess = cache;
  const inputs = readTypeInputs(ctx, typeName).catch((error: unknown) => {
    cacheOfProcess.delete(typeName);
    throw error;
  });
  cache.set(typeName, { expiresAt: now + typeInputsTtlMs, inputs });
  return inputs;
}

async function readTypeInputs(ctx: GraphQLContext, typeName: string): Promise<TypeInputs> {
  const type = ctx.registry.get(typeName);
  if (!type) return { meanRunMs: null, slots: null };
  const [meanRunMs, consumers] = await Promise.all([
    recentMeanRunTime(ctx.db, typeName, runHistory),
    ctx.brokerAdmin.queueDepth(typeName).then(
      (depth) => depth.consumers,
      () => null,
    ),
  ]);
  // Every worker runs this build, so each consumer takes `concurrency` attempts at once.
  return { meanRunMs, slots: consumers === null ? null : consumers * type.concurrency };
}

// Per operation, batched per tick and never cached: a subscription's context
// lives as long as it does, and each of its payloads must read the queue anew.
const positionLoader = createContextCache(
  (ctx: GraphQLContext) =>
    new DataLoader<string, number | null>(
      async (jobIds) => {
        const positions = await queuePositions(ctx.db, jobIds);
        return jobIds.map((id) => positions.get(id) ?? null);
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
        const byType = await runningAttemptsElapsed(ctx.db, types);
        const measuredAt = new Date();
        return types.map((type) => ({ elapsedMs: byType.get(type) ?? [], measuredAt }));
      },
      { cache: false },
    ),
);

/** 1-based position of a QUEUED job in its type's queue (1: next to start); null otherwise. */
export function queuePositionOf(ctx: GraphQLContext, job: JobRow): Promise<number | null> | null {
  return job.status === "QUEUED" ? positionLoader(ctx).load(job.id) : null;
}

/** When a QUEUED job should start (domain/estimate-start.ts); null otherwise, or when it cannot be told. */
export async function estimatedStartOf(ctx: GraphQLContext, job: JobRow): Promise<Date | null> {
  if (job.status !== "QUEUED") return null;
  // All three asked at once, so a page's reads join the batches its queuePosition fields make.
  const [{ meanRunMs, slots }, position, running] = await Promise.all([
    typeInputs(ctx, job.type),
    positionLoader(ctx).load(job.id),
    runningLoader(ctx).load(job.type),
  ]);
  if (meanRunMs === null || !slots || position === null) return null;
  return estimateStartAt({ meanRunMs, slots, runningElapsedMs: running.elapsedMs }, position, running.measuredAt);
}
