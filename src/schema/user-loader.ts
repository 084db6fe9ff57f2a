import DataLoader from "dataloader";
import { createContextCache } from "@pothos/core";
import { findUsersByIds } from "../db/queries/find-user.js";
import type { UserRow } from "../db/schema.js";
import type { GraphQLContext } from "./context.js";

/**
 * Users by id, one statement for all the ids a tick asks for (a page of jobs
 * and their owners: two statements, not one per job). One loader per
 * operation's context. No cache across ticks: a subscription's context lives
 * as long as it does, and a cached row would show a stale balance.
 */
export const userLoader = createContextCache(
  (ctx: GraphQLContext) =>
    new DataLoader<string, UserRow | null>(
      async (ids) => {
        const rows = await findUsersByIds(ctx.db, [...new Set(ids)]);
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id) ?? null);
      },
      { cache: false },
    ),
);
