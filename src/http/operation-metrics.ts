import { getOperationAST, type DocumentNode, type ExecutionResult } from "graphql";
import type { Plugin } from "graphql-yoga";
import { makeBoundedLabel, operationNamePattern } from "../observability/bounded-label.js";
import type { Metrics } from "../observability/metrics.js";

// Distinct operation names kept as labels per process; later ones count as "other".
const maxOperationNames = 100;

const isStream = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === "object" && value !== null && Symbol.asyncIterator in value;

const outcomeOf = (result: unknown) => (!isStream(result) && (result as ExecutionResult).errors?.length ? "error" : "ok");

/**
 * Observes jobgw_graphql_operation_duration_seconds for every operation that
 * reaches execution, over HTTP, SSE and graphql-ws alike: a query or a
 * mutation until its result, a subscription until its stream is set up (its
 * lifetime is jobgw_subscriptions_active's business). Operation names are
 * chosen by clients, so they pass through a bounded label (makeBoundedLabel).
 */
export function useOperationMetrics(metrics: Metrics): Plugin {
  const nameLabel = makeBoundedLabel({ pattern: operationNamePattern, maxValues: maxOperationNames });
  const timer = (document: DocumentNode, operationName: string | null | undefined) => {
    const startedAt = performance.now();
    const operation = getOperationAST(document, operationName);
    const labels = { operation_type: operation?.operation ?? "unknown", operation_name: nameLabel(operation?.name?.value) };
    return (outcome: "ok" | "error") => metrics.operationDuration.observe({ ...labels, outcome }, (performance.now() - startedAt) / 1000);
  };

  return {
    onExecute({ args }) {
      const done = timer(args.document, args.operationName);
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
      const done = timer(args.document, args.operationName);
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
