import { readSseEvents, type GraphQLResponse } from "./graphql-client.js";

export interface SseEnd {
  /** Date.now() when the stream ended. */
  at: number;
  /** `complete`: the server sent the complete event; `eof`: the body ended; `aborted`: we stopped it. */
  how: "complete" | "eof" | "aborted" | "error";
  error?: string;
}

/**
 * Follows a subscription over SSE (yoga's distinct-connections mode),
 * recording each payload and when the stream ended, for tests about when
 * a stream stops.
 */
export function openSseStream(url: string, token: string, query: string, variables: Record<string, unknown> = {}) {
  const payloads: { at: number; payload: GraphQLResponse }[] = [];
  const controller = new AbortController();
  let status = 0;
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const ended: Promise<SseEnd> = (async () => {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
        signal: controller.signal,
      });
      markStarted();
      status = response.status;
      // A request refused before any stream began is answered with plain JSON.
      if (!(response.headers.get("content-type") ?? "").includes("text/event-stream")) {
        const text = await response.text();
        payloads.push({ at: Date.now(), payload: JSON.parse(text) as GraphQLResponse });
        return { at: Date.now(), how: "eof" } as const;
      }
      for await (const item of readSseEvents(response.body as unknown as AsyncIterable<Uint8Array>)) {
        if (item.event === "complete") return { at: Date.now(), how: "complete" } as const;
        payloads.push({ at: Date.now(), payload: item.payload });
      }
      return { at: Date.now(), how: "eof" } as const;
    } catch (error) {
      markStarted();
      if (controller.signal.aborted) return { at: Date.now(), how: "aborted" } as const;
      return { at: Date.now(), how: "error", error: String(error) } as const;
    }
  })();
  return {
    payloads,
    /** Resolves once the response headers arrived. */
    started,
    ended,
    /** The HTTP status, once started. */
    get status() {
      return status;
    },
    stop() {
      controller.abort();
    },
  };
}
