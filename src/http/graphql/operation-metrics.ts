import { getOperationAST, type DocumentNode, type ExecutionResult } from "graphql";
import type { Plugin } from "graphql-yoga";
import { makeBoundedLabel, operationNamePattern } from "../../observability/bounded-label.js";
import type { Metrics } from "../../observability/metrics.js";
import type { GraphQLContext } from "../../schema/context.js";
import { clientOperationNames } from "./client-operation-names.js";

// Distinct operation names admitted as labels per process, besides the project's own clients'; later ones count as "other".
const maxOperationNames = 100;

const isStream = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === "object" && value !== null && Symbol.asyncIterator in value;

const outcomeOf = (result: unknown) => (!isStream(result) && (result as ExecutionResult).errors?.length ? "error" : "ok");

/**
 * Observes jobgw_graphql_operation_duration_seconds for every operation that
 * reaches execution, over HTTP, SSE and graphql-ws alike: a query or a
 * mutation until its result, a subscription until its stream is set up (its
 * lifetime is jobgw_subscriptions_active's business). Operation names are
 * chosen by clients, so they pass through a bounded label: the project's own
 * clients' names always; another name only from an authenticated caller (the
 * first 100, then "other"), so callers without a token cannot use up the
 * slots: theirs count as "unauthenticated".
 */
export function useOperationMetrics(metrics: Metrics): Plugin<Partial<GraphQLContext>> {
  const nameLabel = makeBoundedLabel({
    pattern: operationNamePattern,
    maxValues: maxOperationNames,
    known: clientOperationNames,
    notAdmitted: "unauthenticated",
  });
  const timer = (document: DocumentNode, operationName: string | null | undefined, context: Partial<GraphQLContext>) => {
    const startedAt = performance.now();
    const operation = getOperationAST(document, operationName);
    return (outcome: "ok" | "error") => {
      const labels = {
        operation_type: operation?.operation ?? "unknown",
        // Authenticated: a viewer() of the operation resolved while it ran.
        operation_name: nameLabel(operation?.name?.value, { admit: context.knownViewer?.() != null }),
        outcome,
      };
      metrics.operationDuration.observe(labels, (performance.now() - startedAt) / 1000);
    };
  };

  return {
    onExecute({ args }) {
      const done = timer(args.document, args.operationName, args.contextValue);
      return {
        onExecuteDone({ result }) {
          // An incremental (@defer/@stream) result ends with its last part.
          if (isStream(result)) return { onEnd: () => done("ok") };
          done(outcomeOf(result));
          return undefined;
        },
      };
    },
    onSubscribe({ args }) {
      const done = timer(args.document, args.operationName, args.contextValue);
      return {
        onSubscribeResult({ result }) {
          done(outcomeOf(result));
        },
        onSubscribeError() {
          done("error");
        },
      };
    },
  };
}
