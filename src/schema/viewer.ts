import { GraphQLError } from "graphql";
import { AuthScopeFailureType, type AuthFailure, type ForbiddenResult } from "@pothos/plugin-scope-auth";
import type { GraphQLContext } from "./context.js";

/**
 * Who may do what: the scopes fields require with `authScopes`. Checked by
 * @pothos/plugin-scope-auth before a resolver (or a subscription's
 * `subscribe`) runs; owner-only rows are a matter of the queries
 * (`viewer.ownerScope`), not of these scopes.
 */
export interface AuthScopes {
  /** A valid token (its user provisioned on first sight). */
  authenticated: boolean;
  /** A valid token with `role: "admin"`. */
  admin: boolean;
}

// Loaders rather than booleans: a field without scopes (jobTypes) never reads the token, and a refused
// token travels as the loader's error, so unauthorizedError can answer with its reason.
export function authScopesOf(ctx: GraphQLContext) {
  return {
    authenticated: async () => (await ctx.viewer(), true),
    admin: async () => (await ctx.viewer()).isAdmin,
  };
}

/**
 * A refused or missing token answers UNAUTHENTICATED with its reason (an
 * error reading the caller, e.g. the database away, goes through as it is);
 * a valid token without the role answers FORBIDDEN.
 */
export function unauthorizedError(_parent: unknown, _ctx: unknown, _info: unknown, result: ForbiddenResult): Error {
  return firstError(result.failure) ?? new GraphQLError("admin role required", { extensions: { code: "FORBIDDEN" } });
}

function firstError(failure: AuthFailure): Error | null {
  if ("error" in failure && failure.error) return failure.error;
  if (failure.kind === AuthScopeFailureType.AnyAuthScopes || failure.kind === AuthScopeFailureType.AllAuthScopes) {
    for (const child of failure.failures) {
      const error = firstError(child);
      if (error) return error;
    }
  }
  return null;
}
