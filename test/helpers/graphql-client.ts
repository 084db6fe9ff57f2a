import { createClient } from "graphql-ws";
import WebSocket from "ws";

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** One GraphQL request over HTTP POST. */
export async function gql<T = any>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

/** Like gql, but fails the test on GraphQL errors and returns `data`. */
export async function gqlData<T = any>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const result = await gql<T>(url, query, variables, token);
  if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data!;
}

/** Every payload of a subscription over graphql-ws, until the server completes it. */
export async function collectOverWebSocket(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<GraphQLResponse[]> {
  const client = createClient({
    url: url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  const payloads: GraphQLResponse[] = [];
  try {
    for await (const payload of client.iterate({ query, variables })) payloads.push(payload as GraphQLResponse);
  } finally {
    await client.dispose();
  }
  return payloads;
}

/** The events of an SSE body, in order: `next` with its parsed payload, or `complete`. */
export async function* readSseEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<{ event: "next"; payload: GraphQLResponse } | { event: "complete" }> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let boundary: number;
    while ((boundary = buffer.indexOf("\n\n")) >= 0) {
      const frame = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = frame
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trimStart())
        .join("\n");
      if (event === "complete") yield { event: "complete" };
      else if (data) yield { event: "next", payload: JSON.parse(data) as GraphQLResponse };
    }
  }
}

/** Every payload of a subscription over SSE (yoga's distinct-connections mode), until it completes. */
export async function collectOverSse(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<GraphQLResponse[]> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const payloads: GraphQLResponse[] = [];
  for await (const item of readSseEvents(response.body as unknown as AsyncIterable<Uint8Array>)) {
    if (item.event === "complete") return payloads;
    payloads.push(item.payload);
  }
  return payloads;
}

/** Starts following a subscription over graphql-ws; `next()` resolves with each payload. */
export function openWebSocketSubscription(url: string, token: string, query: string, variables: Record<string, unknown>) {
  const client = createClient({
    url: url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  const iterator = client.iterate({ query, variables })[Symbol.asyncIterator]();
  return {
    async next(): Promise<GraphQLResponse | null> {
      const result = await iterator.next();
      return result.done ? null : (result.value as GraphQLResponse);
    },
    async close() {
      await iterator.return?.();
      await client.dispose();
    },
  };
}
