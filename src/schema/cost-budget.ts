import SchemaBuilder, { type PothosOutputFieldConfig, type SchemaTypes } from "@pothos/core";
import { ComplexityErrorKind, PothosComplexityPlugin, type ComplexityErrorFn } from "@pothos/plugin-complexity";
import { GraphQLError, type GraphQLFieldResolver } from "graphql";
import type { GraphQLContext } from "./context.js";

/**
 * The cost budget of one operation (@pothos/plugin-complexity): every field
 * costs 1 unless it says otherwise (`complexity` in its options), and a list
 * multiplies what it selects by its page size. Checked from the document
 * alone, before the first root field resolves (or subscribes).
 */

/** Most field selections in one operation, counted without multiplying (fragments count where they are spread). */
export const maxQueryBreadth = 1_000;

// Depth (MAX_QUERY_DEPTH) is checked once, when the document is validated (src/http/graphql/document-limits.ts).
export const costLimits = (ctx: GraphQLContext) => ({ complexity: ctx.limits.maxQueryCost, breadth: maxQueryBreadth });

/** The page sizes a list field allows: what it returns without the argument, and at most. */
export interface PageBounds {
  default: number;
  /** Fewest it may ask for; 0 unless said. */
  min?: number;
  max: number;
}

/**
 * A list field's multiplier: its page size argument. Out of range, it is
 * refused here, while the cost is counted before any root field runs: a
 * submit whose selection asks for a bad page must not charge and then fail.
 */
export function pageSize(argument: string, requested: number | null | undefined, bounds: PageBounds): number {
  if (requested == null) return bounds.default;
  const min = bounds.min ?? 0;
  if (requested < min || requested > bounds.max) {
    throw new GraphQLError(`${argument} must be between ${min} and ${bounds.max}`, { extensions: { code: "BAD_USER_INPUT" } });
  }
  return requested;
}

export const costError: ComplexityErrorFn = (kind, result) => {
  switch (kind) {
    case ComplexityErrorKind.Depth:
      return new GraphQLError(`query depth ${result.depth} exceeds the limit of ${result.maxDepth}`, {
        extensions: { code: "QUERY_TOO_DEEP", limit: "depth", depth: result.depth, max: result.maxDepth },
      });
    case ComplexityErrorKind.Breadth:
      return new GraphQLError(`query selects ${result.breadth} fields, more than the limit of ${result.maxBreadth}`, {
        extensions: { code: "QUERY_TOO_COMPLEX", limit: "breadth", breadth: result.breadth, max: result.maxBreadth },
      });
    default:
      return new GraphQLError(`query cost ${result.complexity} exceeds the budget of ${result.maxComplexity}`, {
        extensions: { code: "QUERY_TOO_COMPLEX", limit: "cost", cost: result.complexity, max: result.maxComplexity },
      });
  }
};

/**
 * The complexity plugin checks when a root field resolves; for a subscription
 * that is each event, after `subscribe` has already read the database. This
 * one checks the same budget before `subscribe` (it sets the same field
 * costs as the plugin it extends, and wraps no resolver).
 */
export class SubscribeCostPlugin<Types extends SchemaTypes> extends PothosComplexityPlugin<Types> {
  override wrapResolve(resolver: GraphQLFieldResolver<unknown, Types["Context"], object>) {
    return resolver;
  }

  override wrapSubscribe(
    subscribe: GraphQLFieldResolver<unknown, Types["Context"], object> | undefined,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ) {
    const disabled = this.options.complexity?.disabled ?? this.builder.options.complexity?.disabled;
    if (!subscribe || fieldConfig.kind !== "Subscription" || disabled) return subscribe;
    return (parent: unknown, args: object, ctx: Types["Context"], info: Parameters<typeof subscribe>[3]) => {
      this.checkComplexity(ctx, info);
      return subscribe(parent, args, ctx, info);
    };
  }
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      subscribeCost: SubscribeCostPlugin<Types>;
    }
  }
}

// Test runners may evaluate this module again against the same @pothos/core.
const registered = (SchemaBuilder as unknown as { plugins: Record<string, unknown> }).plugins;
if (!registered.subscribeCost) SchemaBuilder.registerPlugin("subscribeCost", SubscribeCostPlugin);
export const subscribeCostPlugin = "subscribeCost" as const;
