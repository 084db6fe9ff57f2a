import type { TypedDocumentString } from "../gql/graphql.js";
import { GraphQLRequestError } from "./graphql-http.js";
import type { LiveClient } from "./live-client.js";
import { retryDelayMs } from "./retry-delay.js";

export interface RetryingHandlers<Result> {
  next(data: Result): void;
  /** The gateway refused the token: no retry, the same token would be refused again. */
  unauthenticated(error: GraphQLRequestError): void;
  /** The stream failed: it is subscribed again after `delayMs`. */
  interrupted(error: GraphQLRequestError, delayMs: number): void;
  /**
   * Subscribed again after a failure. The first item proves it works; a
   * stream that may stay quiet can call `confirm()` on other evidence.
   */
  resubscribed?(confirm: () => void): void;
  /** A resubscribed stream works again (its first item, or a confirm). */
  recovered?(): void;
  /** The gateway ended the stream, when `endsByItself` (else an end counts as a failure). */
  complete?(): void;
}

/**
 * A subscription that outlives its failures: a failed stream (any error
 * but a refused token) is subscribed again with a capped backoff
 * (retryDelayMs), with the same `variables` object, so a caller that keeps
 * its position there (jobEvents' `after`) resumes where it left off.
 * Returns the stop function.
 */
export function subscribeRetrying<Result, Variables extends Record<string, unknown>>(
  live: LiveClient,
  document: TypedDocumentString<Result, Variables>,
  variables: Variables,
  handlers: RetryingHandlers<Result>,
  options: { endsByItself: boolean },
): () => void {
  let stopped = false;
  // Failures since the stream last worked: the backoff grows with them.
  let failures = 0;
  let round = 0;
  let stopCurrent: (() => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const recover = (mine: number) => {
    if (stopped || mine !== round || failures === 0) return;
    failures = 0;
    handlers.recovered?.();
  };
  const fail = (mine: number, error: GraphQLRequestError) => {
    if (stopped || mine !== round) return;
    stopCurrent?.();
    stopCurrent = null;
    round += 1;
    if (error.unauthenticated) {
      handlers.unauthenticated(error);
      return;
    }
    const delay = retryDelayMs(failures++);
    handlers.interrupted(error, delay);
    timer = setTimeout(() => {
      timer = null;
      start();
      const mine = round;
      handlers.resubscribed?.(() => recover(mine));
    }, delay);
  };
  const start = () => {
    const mine = round;
    stopCurrent = live.subscribe(document, variables, {
      next: (data) => {
        if (stopped || mine !== round) return;
        recover(mine);
        handlers.next(data);
      },
      error: (error) => fail(mine, error),
      complete: () => {
        if (stopped || mine !== round) return;
        if (options.endsByItself) {
          recover(mine);
          handlers.complete?.();
        } else {
          fail(mine, new GraphQLRequestError("the gateway ended the stream", []));
        }
      },
    });
  };

  start();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    stopCurrent?.();
  };
}
