import { describe, expect, it } from "vitest";
import { aliasedQueryBody, streamedPost, typenameAliases } from "./helpers/attack-payloads.js";
import { collectOverSse, collectOverWebSocket, gql, type GraphQLResponse } from "./helpers/graphql-client.js";
import { RawGraphqlWs } from "./helpers/raw-graphql-ws.js";
import { tokenFor, useTestApp } from "./helpers/test-app.js";

// Small limits, so each can be crossed with a small document.
const limits = { maxRequestBytes: 8_192, maxQueryTokens: 300, maxQueryDepth: 4, maxQueryAliases: 3, maxQueryDirectives: 3, maxMutationFields: 2 };
const t = useTestApp({
  overrides: {
    MAX_REQUEST_BYTES: String(limits.maxRequestBytes),
    MAX_QUERY_TOKENS: String(limits.maxQueryTokens),
    MAX_QUERY_DEPTH: String(limits.maxQueryDepth),
    MAX_QUERY_ALIASES: String(limits.maxQueryAliases),
    MAX_QUERY_DIRECTIVES: String(limits.maxQueryDirectives),
    MAX_MUTATION_FIELDS: String(limits.maxMutationFields),
  },
});

const codes = (result: GraphQLResponse) => (result.errors ?? []).map((e) => e.extensions?.code);
const tooManyTokens = `{ ${typenameAliases(200)}}`;

async function get(query: string): Promise<{ status: number; body: GraphQLResponse }> {
  const response = await fetch(`${t.app.url}?query=${encodeURIComponent(query)}`, { headers: { accept: "application/json" } });
  return { status: response.status, body: (await response.json()) as GraphQLResponse };
}

/** The first answer of one operation on a fresh socket, which must stay open. */
async function overWebSocket(query: string, token?: string) {
  const socket = await RawGraphqlWs.open(t.app.url);
  try {
    await socket.initAndAck(token);
    socket.subscribe("op", query);
    await socket.waitFor(() => socket.about("op").length > 0, { what: "an answer" });
    expect(socket.isOpen).toBe(true);
    return socket.about("op")[0]!;
  } finally {
    socket.close();
  }
}

describe("request size", () => {
  it("a body declared over MAX_REQUEST_BYTES gets 413 REQUEST_TOO_LARGE before it is read", async () => {
    const total = 4 * 1024 * 1024;
    const result = await streamedPost(t.app.url, aliasedQueryBody(total), { contentLength: total });
    expect(result.status).toBe(413);
    expect(codes(JSON.parse(result.body) as GraphQLResponse)).toEqual(["REQUEST_TOO_LARGE"]);
    expect(result.bytesSent).toBeLessThan(total);
  });

  it("a chunked body that grows over MAX_REQUEST_BYTES gets 413 REQUEST_TOO_LARGE once the limit is passed", async () => {
    const total = 4 * 1024 * 1024;
    const result = await streamedPost(t.app.url, aliasedQueryBody(total));
    expect(result.status).toBe(413);
    expect(codes(JSON.parse(result.body) as GraphQLResponse)).toEqual(["REQUEST_TOO_LARGE"]);
    expect(result.bytesSent).toBeLessThan(total);
  });

  it("a body just under the limit is read and answered", async () => {
    const query = `{ __typename ${" ".repeat(limits.maxRequestBytes - 200)}}`;
    const result = await gql(t.app.url, query);
    expect(result).toEqual({ data: { __typename: "Query" } });
  });

  it("a GET whose URL is over MAX_REQUEST_BYTES gets 414 REQUEST_TOO_LARGE", async () => {
    // Letters, not blanks: the URL stays under Node's own 16 KiB cap on the request line (431).
    const { status, body } = await get(`{ x${"a".repeat(limits.maxRequestBytes)}: __typename }`);
    expect(status).toBe(414);
    expect(codes(body)).toEqual(["REQUEST_TOO_LARGE"]);
  });

  it("a WebSocket message over MAX_REQUEST_BYTES closes that socket with 1009; the gateway keeps serving", async () => {
    const socket = await RawGraphqlWs.open(t.app.url);
    await socket.initAndAck();
    socket.subscribe("big", `{ __typename ${" ".repeat(limits.maxRequestBytes)}}`);
    expect((await socket.closed).code).toBe(1009);
    expect(await overWebSocket("{ __typename }")).toMatchObject({ type: "next", payload: { data: { __typename: "Query" } } });
  });
});

describe("document limits, the same over POST, GET, SSE and graphql-ws", () => {
  const deep = "{ jobs(first: 1) { edges { node { events(first: 1) { seq } } } } }";
  const aliased = "{ a: __typename b: __typename c: __typename d: __typename }";
  const directives = "{ __typename @include(if: true) me { id @include(if: true) balance @skip(if: false) role @include(if: true) } }";

  it.each([
    ["over MAX_QUERY_TOKENS", "QUERY_TOO_LARGE", tooManyTokens, undefined],
    ["deeper than MAX_QUERY_DEPTH", "QUERY_TOO_DEEP", deep, undefined],
    ["with more aliases than MAX_QUERY_ALIASES", "QUERY_TOO_COMPLEX", aliased, "aliases"],
    ["with more directives than MAX_QUERY_DIRECTIVES", "QUERY_TOO_COMPLEX", directives, "directives"],
  ])("a document %s is refused with %s before it runs", async (_name, code, query, limit) => {
    const token = await tokenFor("limits");
    const overPost = await gql(t.app.url, query, {}, token);
    const overGet = await get(query);
    const overSse = await collectOverSse(t.app.url, token, query, {});
    const overWs = await overWebSocket(query, token);
    const answers: GraphQLResponse[] = [overPost, overGet.body, overSse[0]!, { errors: overWs.payload }];
    for (const result of answers) {
      expect(codes(result)).toContain(code);
      expect(result.data ?? null).toBeNull();
      if (limit) expect(result.errors!.find((e) => e.extensions?.code === code)!.extensions!.limit).toBe(limit);
    }
    expect(overGet.status).toBeLessThan(500);
    expect(overWs.type).toBe("error");
  });

  it("the token limit stops the parse itself: a document ten times over it fails fast", async () => {
    const started = performance.now();
    const result = await gql(t.app.url, `{ ${"a ".repeat(3_000)}}`);
    expect(codes(result)).toEqual(["QUERY_TOO_LARGE"]);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("deep nesting is refused before the recursive parser sees it: over the token limit QUERY_TOO_LARGE, under it QUERY_TOO_DEEP", async () => {
    const nestedList = (levels: number) => `{ jobs(status: ${"[".repeat(levels)}QUEUED${"]".repeat(levels)}) { edges { node { id } } } }`;
    expect(codes(await gql(t.app.url, nestedList(3_000)))).toEqual(["QUERY_TOO_LARGE"]);
    expect(codes(await gql(t.app.url, nestedList(140)))).toEqual(["QUERY_TOO_DEEP"]);
    expect((await gql(t.app.url, "{ __typename }")).data).toEqual({ __typename: "Query" });
  });

  it("a mutation with more root fields than MAX_MUTATION_FIELDS is QUERY_TOO_COMPLEX (mutationFields), fragments counted; none runs", async () => {
    const token = await tokenFor("mutator");
    const cancel = (n: number) => `c${n}: cancelJob(id: "00000000-0000-4000-8000-00000000000${n}") { __typename }`;
    for (const query of [
      `mutation { ${cancel(1)} ${cancel(2)} ${cancel(3)} }`,
      `mutation { ...Two ${cancel(3)} } fragment Two on Mutation { ${cancel(1)} ${cancel(2)} }`,
    ]) {
      const result = await gql(t.app.url, query, {}, token);
      const error = result.errors?.find((e) => e.extensions?.code === "QUERY_TOO_COMPLEX");
      expect(error?.extensions?.limit, JSON.stringify(result)).toBe("mutationFields");
      expect(result.data ?? null).toBeNull();
    }
    const allowed = await gql(t.app.url, `mutation { ${cancel(1)} ${cancel(2)} }`, {}, token);
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data).toEqual({ c1: { __typename: "NotFoundError" }, c2: { __typename: "NotFoundError" } });
  });

  it("documents within every limit run as before, over every transport", async () => {
    const token = await tokenFor("within");
    const query = "{ a: __typename me { id } }";
    expect((await gql(t.app.url, query, {}, token)).errors).toBeUndefined();
    expect((await get("{ __typename }")).body).toEqual({ data: { __typename: "Query" } });
    expect((await collectOverWebSocket(t.app.url, token, query, {}))[0]!.errors).toBeUndefined();
  });
});
