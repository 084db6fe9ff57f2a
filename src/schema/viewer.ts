import type { GraphQLContext, Viewer } from "./context.js";
import { codedError } from "./errors.js";

export async function requireAdmin(ctx: GraphQLContext): Promise<Viewer> {
  const viewer = await ctx.viewer();
  if (!viewer.isAdmin) throw codedError("admin role required", "FORBIDDEN");
  return viewer;
}
