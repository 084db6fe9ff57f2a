import { describe, expect, it } from "vitest";
import { collectOverWebSocket, type GraphQLResponse } from "./helpers/graphql-client.js";
import { tokenFor, useTestApp } from "./helpers/test-app.js";

// Every error a client can get carries a string `extensions.code`, whichever layer refuses the request:
// the HTTP parser, graphql's parse and validate, variable coercion, scopes, the cost budget or a resolver;
// in production (which masks unexpected errors) as in test.

const noJob = "00000000-0000-4000-8000-000000000000";
const jobsQuery = "query ($first: Int) { jobs(first: $first) { edges { node { id } } } }";

type Caller = "anonymous" | "user" | "admin" | "bad token";

interface BadRequest {
  name: string;
  caller: Caller;
  /** A JSON body to POST; a string is sent as it is. */
  body: unknown;
  code: string;
}

const badRequests: BadRequest[] = [
  // Arguments
  { name: "jobs(first: -1)", caller: "user", body: { query: "{ jobs(first: -1) { edges { node { id } } } }" }, code: "BAD_USER_INPUT" },
  { name: "jobs(last: -1)", caller: "user", body: { query: "{ jobs(last: -1) { edges { node { id } } } }" }, code: "BAD_USER_INPUT" },
  { name: "jobs(first: \"ten\")", caller: "user", body: { query: '{ jobs(first: "ten") { edges { node { id } } } }' }, code: "GRAPHQL_VALIDATION_FAILED" },
  { name: "jobs(after: garbage)", caller: "user", body: { query: '{ jobs(after: "%%%") { edges { node { id } } } }' }, code: "BAD_USER_INPUT" },
  { name: "jobs(type: NUL)", caller: "user", body: { query: '{ jobs(type: "a\\u0000") { edges { node { id } } } }' }, code: "BAD_USER_INPUT" },
  { name: "events(first: -5)", caller: "user", body: { query: `{ job(id: "${noJob}") { events(first: -5) { seq } } }` }, code: "BAD_USER_INPUT" },
  { name: "job without its id", caller: "user", body: { query: "{ job { id } }" }, code: "GRAPHQL_VALIDATION_FAILED" },
  { name: "users(first: 0)", caller: "admin", body: { query: "{ users(first: 0) { id } }" }, code: "BAD_USER_INPUT" },
  { name: "deadLetters of an unknown type", caller: "admin", body: { query: '{ deadLetters(type: "no.such") { body } }' }, code: "BAD_USER_INPUT" },
  { name: "grantCredits(amount: 0)", caller: "admin", body: { query: `mutation { grantCredits(userId: "${noJob}", amount: 0) { id } }` }, code: "BAD_USER_INPUT" },
  { name: "grantCredits to nobody", caller: "admin", body: { query: `mutation { grantCredits(userId: "${noJob}", amount: 1) { id } }` }, code: "NOT_FOUND" },
  // Oversized pages
  { name: "jobs(first: 1000)", caller: "user", body: { query: "{ jobs(first: 1000) { edges { node { id } } } }" }, code: "BAD_USER_INPUT" },
  { name: "events(first: 100000)", caller: "user", body: { query: `{ job(id: "${noJob}") { events(first: 100000) { seq } } }` }, code: "BAD_USER_INPUT" },
  { name: "users(first: 101)", caller: "admin", body: { query: "{ users(first: 101) { id } }" }, code: "BAD_USER_INPUT" },
  // Documents
  { name: "an unknown field", caller: "user", body: { query: "{ me { id nope } }" }, code: "GRAPHQL_VALIDATION_FAILED" },
  { name: "an unknown root field", caller: "anonymous", body: { query: "{ nope }" }, code: "GRAPHQL_VALIDATION_FAILED" },
  { name: "a parse error", caller: "user", body: { query: "{ me { id " }, code: "GRAPHQL_PARSE_FAILED" },
  { name: "an unknown operation name", caller: "user", body: { query: "query A { me { id } }", operationName: "B" }, code: "OPERATION_RESOLUTION_FAILURE" },
  // Variables
  { name: "a variable of the wrong type", caller: "user", body: { query: jobsQuery, variables: { first: "ten" } }, code: "BAD_USER_INPUT" },
  { name: "a missing required variable", caller: "user", body: { query: "query ($id: ID!) { job(id: $id) { id } }", variables: {} }, code: "BAD_USER_INPUT" },
  { name: "a variable of an unknown type", caller: "user", body: { query: "query ($x: Nope) { me { id } }", variables: { x: 1 } }, code: "GRAPHQL_VALIDATION_FAILED" },
  { name: "variables that are not an object", caller: "user", body: { query: jobsQuery, variables: [1] }, code: "BAD_REQUEST" },
  // The HTTP request itself
  { name: "a body that is not JSON", caller: "user", body: "{ not json", code: "BAD_REQUEST" },
  { name: "a body without a query", caller: "user", body: { variables: {} }, code: "BAD_REQUEST" },
  // Who is asking
  { name: "no token", caller: "anonymous", body: { query: "{ me { id } }" }, code: "UNAUTHENTICATED" },
  { name: "a bad token", caller: "bad token", body: { query: "{ me { id } }" }, code: "UNAUTHENTICATED" },
  { name: "users as a user", caller: "user", body: { query: "{ users { id } }" }, code: "FORBIDDEN" },
  { name: "user(subject:) as a user", caller: "user", body: { query: '{ user(subject: "someone") { id } }' }, code: "FORBIDDEN" },
  { name: "queueStats as a user", caller: "user", body: { query: "{ queueStats { type } }" }, code: "FORBIDDEN" },
  // Cost
  { name: "a page too costly", caller: "user", body: { query: "{ jobs(first: 100) { edges { node { events(first: 1000) { seq } } } } }" }, code: "QUERY_TOO_COMPLEX" },
];

async function tokenOf(caller: Caller): Promise<string | null> {
  switch (caller) {
    case "anonymous":
      return null;
    case "bad token":
      return "not-a-token";
    case "user":
      return tokenFor("error-codes-user");
    case "admin":
      return tokenFor("error-codes-admin", { admin: true });
  }
}

const codesOf = (answer: GraphQLResponse) => (answer.errors ?? []).map((error) => error.extensions?.code);

describe.each(["test", "production"])("NODE_ENV=%s: every GraphQL error has a string extensions.code", (nodeEnv) => {
  const t = useTestApp({ overrides: { ROLE: "gateway", NODE_ENV: nodeEnv } });

  async function post(body: unknown, token: string | null): Promise<GraphQLResponse> {
    const response = await fetch(t.app.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return (await response.json()) as GraphQLResponse;
  }

  it.each(badRequests)("$name: $code", async ({ body, caller, code }) => {
    const answer = await post(body, await tokenOf(caller));
    expect(answer.errors?.length, JSON.stringify(answer)).toBeGreaterThan(0);
    for (const error of answer.errors!) expect(typeof error.extensions?.code, JSON.stringify(error)).toBe("string");
    expect(codesOf(answer), JSON.stringify(answer)).toContain(code);
  });

  it("a mutation over GET: 405, BAD_REQUEST", async () => {
    const response = await fetch(`${t.app.url}?query=${encodeURIComponent("mutation { cancelJob(id: \"x\") { __typename } }")}`, {
      headers: { accept: "application/graphql-response+json", authorization: `Bearer ${await tokenFor("error-codes-user")}` },
    });
    const answer = (await response.json()) as GraphQLResponse;
    expect(response.status).toBe(405);
    expect(codesOf(answer), JSON.stringify(answer)).toEqual(["BAD_REQUEST"]);
  });

  it("a subscription refused over graphql-ws: NOT_FOUND", async () => {
    const payloads = await collectOverWebSocket(t.app.url, await tokenFor("error-codes-user"), `subscription { jobUpdated(id: "${noJob}") { id } }`, {});
    const errors = payloads.flatMap((payload) => payload.errors ?? []);
    expect(errors.length, JSON.stringify(payloads)).toBeGreaterThan(0);
    expect(errors.map((error) => error.extensions?.code)).toEqual(errors.map(() => "NOT_FOUND"));
  });
});
