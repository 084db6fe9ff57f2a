import type { UserRow } from "../db/schema.js";
import { findUser, findUserBySubject } from "../db/queries/find-user.js";
import { searchUsers } from "../db/queries/search-users.js";
import { grantCredits } from "../db/queries/grant-credits.js";
import { builder } from "./builder.js";
import { pageSize, type PageBounds } from "./cost-budget.js";
import { codedError } from "../graphql/coded-error.js";
import { isUuid } from "../domain/ids.js";
import { requireText } from "./argument-checks.js";

const RoleEnum = builder.enumType("Role", { values: ["USER", "ADMIN"] as const });

export const UserType = builder.objectRef<UserRow>("User").implement({
  fields: (t) => ({
    id: t.exposeID("id"),
    subject: t.exposeString("subject", { description: "The `sub` claim of the user's tokens." }),
    email: t.exposeString("email", { nullable: true }),
    role: t.field({ type: RoleEnum, resolve: (user) => (user.role === "admin" ? "ADMIN" : "USER") }),
    balance: t.exposeInt("balance", { description: "Credits left; a job's cost is taken on submit and refunded unless it succeeds." }),
  }),
});

builder.queryField("me", (t) =>
  t.field({
    type: UserType,
    authScopes: { authenticated: true },
    resolve: async (_root, _args, ctx) => {
      const { user } = await ctx.viewer();
      const row = await findUser(ctx.db, user.id);
      if (!row) throw new Error(`user ${user.id} vanished`);
      return row;
    },
  }),
);

/** Longest `user(subject:)` or `users(search:)` argument: a token's subject is at most 255 characters, its email 320. */
const maxSearchLength = 320;
const usersPage: PageBounds = { default: 20, min: 1, max: 100 };

builder.queryField("user", (t) =>
  t.field({
    type: UserType,
    nullable: true,
    description: "Admin: the user with this subject (a token's `sub`); null when no such user has signed in.",
    authScopes: { admin: true },
    args: { subject: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => findUserBySubject(ctx.db, requireText("subject", args.subject, maxSearchLength)),
  }),
);

builder.queryField("users", (t) =>
  t.field({
    type: [UserType],
    description:
      "Admin: users whose subject or email contains `search` (case-insensitive; all users without it), in alphabetical order of subject; `first`: 1 to 100.",
    authScopes: { admin: true },
    args: { search: t.arg.string(), first: t.arg.int({ defaultValue: usersPage.default }) },
    complexity: (args) => ({ field: 1, multiplier: pageSize("first", args.first, usersPage) }),
    resolve: (_root, args, ctx) => searchUsers(ctx.db, requireText("search", args.search, maxSearchLength) ?? null, pageSize("first", args.first, usersPage)),
  }),
);

builder.mutationField("grantCredits", (t) =>
  t.field({
    type: UserType,
    description: "Admin: adds credits to a user (a negative amount takes them back, never below zero).",
    authScopes: { admin: true },
    args: {
      userId: t.arg.id({ required: true }),
      amount: t.arg.int({ required: true }),
      reason: t.arg.string(),
    },
    resolve: async (_root, args, ctx) => {
      if (args.amount === 0) throw codedError("amount must not be 0", "BAD_USER_INPUT");
      const reason = requireText("reason", args.reason, maxReasonLength);
      const userId = String(args.userId);
      if (!isUuid(userId)) throw codedError("user not found", "NOT_FOUND");
      try {
        const user = await grantCredits(ctx.db, userId, args.amount, reason ?? null);
        if (!user) throw codedError("user not found", "NOT_FOUND");
        return user;
      } catch (error) {
        if (postgresCode(error) === "23514") throw codedError("the balance cannot go below zero", "BAD_USER_INPUT");
        // A 32-bit balance: a grant past 2,147,483,647 credits overflows it.
        if (postgresCode(error) === "22003") throw codedError("the balance cannot exceed 2147483647", "BAD_USER_INPUT");
        throw error;
      }
    },
  }),
);

const maxReasonLength = 1_000;

/** The SQLSTATE of a PostgreSQL error (drizzle wraps it as the cause), or null. */
function postgresCode(error: unknown): string | null {
  const cause = error instanceof Error && "cause" in error ? error.cause : error;
  return typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string" ? cause.code : null;
}
