import type { Plugin } from "graphql-yoga";
import type { GraphQLContext } from "../schema/context.js";

const tagged = Symbol("viewer log fields");

/**
 * Once an operation's caller is known (the first `ctx.viewer()` that
 * resolves), the operation's logger carries their user id, so every later
 * line of it, the error log of a failed query included, says who asked.
 * The viewer is never resolved for this: an operation that did not need to
 * know its caller logs without one.
 */
export function useViewerLogFields(): Plugin<Partial<GraphQLContext>> {
  const tag = (context: Partial<GraphQLContext> & { [tagged]?: true }) => {
    const viewer = context.viewer;
    if (!viewer || context[tagged]) return;
    context[tagged] = true;
    let watched = false;
    context.viewer = () => {
      const resolving = viewer();
      if (watched) return resolving;
      watched = true;
      resolving.then(
        (known) => {
          if (context.log) context.log = context.log.child({ userId: known.user.id });
        },
        () => {},
      );
      return resolving;
    };
  };
  return {
    onExecute({ args }) {
      tag(args.contextValue);
    },
    onSubscribe({ args }) {
      tag(args.contextValue);
    },
  };
}
