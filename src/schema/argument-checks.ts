import { textArgumentProblem } from "../domain/input-checks.js";
import { codedError } from "../graphql/coded-error.js";

/**
 * Checks of arguments outside submitJob that would otherwise reach SQL (or a
 * message) and fail there: each refusal is a GraphQL error with code
 * BAD_USER_INPUT, raised before any query runs.
 */

/** Longest job type name (or other short name) an argument may carry. */
export const maxNameLength = 200;

/** A text argument PostgreSQL can store and compare: no NUL, no lone surrogate, at most `maxLength`. */
export function requireText<T extends string | null | undefined>(name: string, value: T, maxLength: number): T {
  if (value == null) return value;
  const problem = textArgumentProblem(value, maxLength);
  if (problem !== null) throw codedError(`${name} ${problem}`, "BAD_USER_INPUT");
  return value;
}

/** A page size or count: never negative. */
export function requireNonNegative<T extends number | null | undefined>(name: string, value: T): T {
  if (value != null && value < 0) throw codedError(`${name} must not be negative`, "BAD_USER_INPUT");
  return value;
}

/** A job type's name that the registry knows; otherwise a BAD_USER_INPUT error naming it. */
export function requireType(ctx: { registry: { get(name: string): unknown } }, type: string): void {
  requireText("type", type, maxNameLength);
  if (!ctx.registry.get(type)) throw codedError(`unknown job type "${type}"`, "BAD_USER_INPUT");
}
