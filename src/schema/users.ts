import type { UserRow } from "../db/schema.js";
import { grantCredits } from "../db/queries/grant-credits.js";
import { builder } from "./builder.js";
import { codedError } from "./errors.js";
import { isUuid } from "./ids.js";
import { requireAdmin } from "./viewer.js";

const RoleEnum = builder.enumType("Role", { values: ["USER", "ADMIN"] as const });

export const UserType = builder.objectRef<UserRow>("User").implement({
  fields: (t) => ({
    id: t.exposeID("id"),
    email: t.exposeString("email", { nullable: true }),
    role: t.field({ type: RoleEnum, resolve: (user) => (user.role === "admin" ? "ADMIN" : "USER") }),
    balance: t.exposeInt("balance", { description: "Credits left; a job's cost is taken on submit and refunded unless it succeeds." }),
  }),
});

builder.queryField("me", (t) =>
  t.field({
    type: UserType,
    resolve: async (_root, _args, ctx) => (await ctx.viewer()).user,
  }),
);

builder.mutationField("grantCredits", (t) =>
  t.field({
    type: UserType,
    description: "Admin: adds credits to a user (a negative amount takes them back, never below zero).",
    args: {
      userId: t.arg.id({ required: true }),
      amount: t.arg.int({ required: true }),
      reason: t.arg.string(),
    },
    resolve: async (_root, args, ctx) => {
      await requireAdmin(ctx);
      if (args.amount === 0) throw codedError("amount must not be 0", "BAD_USER_INPUT");
      const userId = String(args.userId);
      if (!isUuid(userId)) throw codedError("user not found", "NOT_FOUND");
      try {
        const user = await grantCredits(ctx.db, userId, args.amount, args.reason ?? null);
        if (!user) throw codedError("user not found", "NOT_FOUND");
        return user;
      } catch (error) {
        if (isCheckViolation(error)) throw codedError("the balance cannot go below zero", "BAD_USER_INPUT");
        throw error;
      }
    },
  }),
);

function isCheckViolation(error: unknown): boolean {
  const cause = error instanceof Error && "cause" in error ? error.cause : error;
  return typeof cause === "object" && cause !== null && "code" in cause && cause.code === "23514";
}
