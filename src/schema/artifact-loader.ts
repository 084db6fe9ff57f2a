import DataLoader from "dataloader";
import { createContextCache } from "@pothos/core";
import { listShownArtifacts } from "../db/queries/read-artifacts.js";
import type { ArtifactRow } from "../db/schema.js";
import type { GraphQLContext } from "./context.js";

/**
 * The artifacts of a job's attempt, one statement for all the jobs a tick
 * asks for (a page of jobs and their artifacts: two statements). No cache
 * across ticks, as userLoader: a subscription's context outlives a sweep.
 */
export const artifactLoader = createContextCache(
  (ctx: GraphQLContext) =>
    new DataLoader<{ jobId: string; attempt: number }, ArtifactRow[], string>(
      async (keys) => {
        const rows = await listShownArtifacts(ctx.db, keys);
        const byAttempt = new Map<string, ArtifactRow[]>();
        for (const row of rows) {
          const key = `${row.jobId}:${row.attempt}`;
          byAttempt.set(key, [...(byAttempt.get(key) ?? []), row]);
        }
        return keys.map((key) => byAttempt.get(`${key.jobId}:${key.attempt}`) ?? []);
      },
      { cache: false, cacheKeyFn: (key) => `${key.jobId}:${key.attempt}` },
    ),
);
