import { createClient, type Client } from "graphql-ws";
import type { TypedDocumentString } from "../gql/graphql.js";
import { graphqlPath, isLikeCloseEvent, requestErrorOf, tokenExpiredCloseCode, type GraphQLRequestError } from "./graphql-http.js";
import { retryDelayMs } from "./retry-delay.js";

/** What the header shows about the socket. */
export type LiveState = "connecting" | "live" | "reconnecting";

export interface LiveHandlers<Result> {
  next(data: Result): void;
  error?(error: GraphQLRequestError): void;
  /** The gateway ended the subscription (e.g. the job finished). */
  complete?(): void;
}

export interface LiveClient {
  /**
   * Starts a subscription; returns its stop function. graphql-ws resends the
   * subscription after a reconnect with this same `variables` object, so a
   * caller may update it (jobEvents' `after`) to resume where it left off.
   */
  subscribe<Result, Variables extends Record<string, unknown>>(
    document: TypedDocumentString<Result, Variables>,
    variables: Variables,
    handlers: LiveHandlers<Result>,
  ): () => void;
  /** Listens to socket state; `reconnected` fires after a lost socket came back (updates may have been missed). */
  onState(listener: (state: LiveState, reconnected: boolean) => void): () => void;
  dispose(): void;
}

const socketUrl = () => `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}${graphqlPath}`;

/** One graphql-ws socket for the signed-in user, retried for as long as the page is open. */
export function createLiveClient(token: string): LiveClient {
  const listeners = new Set<(state: LiveState, reconnected: boolean) => void>();
  let everConnected = false;
  const emit = (state: LiveState, reconnected = false) => listeners.forEach((listener) => listener(state, reconnected));
  const client: Client = createClient({
    url: socketUrl(),
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: Number.POSITIVE_INFINITY,
    // graphql-ws doubles its wait without a cap: after a long outage a page would wait hours.
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, retryDelayMs(retries))),
    // 4403: the gateway closed the socket because the token expired; the same token would only be refused again.
    shouldRetry: (event) => isLikeCloseEvent(event) && event.code !== tokenExpiredCloseCode,
    // Opens with the first subscription: the job list's, which lasts as long as the page.
    lazy: true,
    keepAlive: 15_000,
    on: {
      connecting: () => emit(everConnected ? "reconnecting" : "connecting"),
      connected: () => {
        emit("live", everConnected);
        everConnected = true;
      },
      closed: () => {
        if (everConnected) emit("reconnecting");
      },
    },
  });
  return {
    subscribe(document, variables, handlers) {
      return client.subscribe<any>(
        { query: document.toString(), variables },
        {
          next: (payload) => {
            if (payload.errors) handlers.error?.(requestErrorOf(payload.errors));
            else if (payload.data) handlers.next(payload.data);
          },
          error: (err) => handlers.error?.(requestErrorOf(err)),
          complete: () => handlers.complete?.(),
        },
      );
    },
    onState(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      listeners.clear();
      void client.dispose();
    },
  };
}
