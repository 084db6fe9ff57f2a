import { describe, expect, it } from "vitest";
import { getIntrospectionQuery } from "graphql";
import { complexityFromQuery } from "@pothos/plugin-complexity";
import { schema } from "../src/schema/index.js";
import { builtinJobTypes as allJobTypes } from "../src/jobs/builtin.js";
import { collectOverSse, collectOverWebSocket, gql, gqlData, type GraphQLResponse } from "./helpers/graphql-client.js";
import { grant } from "./helpers/ledger.js";
import { startTestApp, tokenFor, useTestApp } from "./helpers/test-app.js";

// The alias and token limits are raised here so that the cost budget itself is what answers;
// with the defaults those limits refuse the widest of these documents first.
const t = useTestApp({ overrides: { MAX_QUERY_ALIASES: "100000", MAX_QUERY_TOKENS: "1000000" } });

const budget = 5_000;
const costOf = (query: string) => complexityFromQuery(query, { schema, ctx: { registry: { list: allJobTypes } } });

const expensiveJobs = "jobs(first:100){edges{node{queuePosition events(first:1000){seq}}}}";
const issueAttack = `{${Array.from({ length: 50 }, (_, i) => `j${i}:${expensiveJobs}`).join(" ")}}`;
const catalogueAttack = `{${Array.from({ length: 5_000 }, (_, i) => `t${i}:jobTypes{paramsSchema}`).join(" ")}}`;
const normalPage = "{ jobs(first: 100) { edges { node { id status progress events(first: 5) { seq } } } } }";

function expectTooComplex(result: GraphQLResponse, limit: string) {
  expect(result.errors?.length, JSON.stringify(result).slice(0, 300)).toBeGreaterThan(0);
  for (const error of result.errors!) expect(error.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit });
  expect(result.data ?? null).toBeNull();
}

/** Nothing ran: not even the caller's token lookup, which provisions a user on first sight. */
async function expectNeverSeen(subject: string) {
  const rows = await t.env.sql`select 1 from users where subject = ${subject}`;
  expect(rows).toHaveLength(0);
}

describe("what things cost", () => {
  it("lists multiply their selection by their page size", () => {
    // jobs 1 + 100 × (edges 1 + node 1 + queuePosition 5 + events (1 + 1000 × seq 1))
    expect(costOf(`{${expensiveJobs}}`).complexity).toBe(1 + 100 * (1 + 1 + 5 + 1 + 1000));
    expect(costOf(issueAttack).complexity).toBe(50 * 100_801);
    // jobTypes 1 + types × (paramsSchema 10)
    expect(costOf("{ jobTypes { paramsSchema } }").complexity).toBe(1 + allJobTypes.length * 10);
  });

  it("a normal page costs well under the budget", () => {
    expect(costOf(normalPage).complexity).toBe(1 + 100 * (1 + 1 + 3 + 1 + 5));
    expect(costOf(normalPage).complexity).toBeLessThan(budget / 4);
  });

  it("defaults count: jobs without first is a page of 20, events without first a page of 100", () => {
    expect(costOf("{ jobs { edges { node { id } } } }").complexity).toBe(1 + 20 * 3);
    expect(costOf("{ job(id: 1) { events { seq } } }").complexity).toBe(1 + 1 + 100);
  });
});

describe("over the budget, refused before any resolver or SQL", () => {
  it("the issue's attack: 50 aliases of jobs(first:100){…queuePosition events(first:1000)…}", async () => {
    const token = await tokenFor("attacker-50");
    const started = performance.now();
    const result = await gql(t.app.url, issueAttack, {}, token);
    expect(performance.now() - started).toBeLessThan(2_000);
    expectTooComplex(result, "cost");
    expect(result.errors![0]!.extensions).toMatchObject({ cost: 5_040_050, max: budget });
    expect(result.errors![0]!.message).toBe(`query cost 5040050 exceeds the budget of ${budget}`);
    await expectNeverSeen("attacker-50");
  });

  it("one such field alone is over the budget", async () => {
    const token = await tokenFor("attacker-1");
    expectTooComplex(await gql(t.app.url, `{${expensiveJobs}}`, {}, token), "cost");
    await expectNeverSeen("attacker-1");
  });

  it("5,000 aliases of jobTypes { paramsSchema } without a token (breadth, and cost)", async () => {
    expect(costOf(catalogueAttack).complexity).toBeGreaterThan(budget);
    const response = await fetch(t.app.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: catalogueAttack }),
    });
    expect(response.status).toBeLessThan(500);
    const text = await response.text();
    const result = JSON.parse(text) as GraphQLResponse;
    expectTooComplex(result, "breadth");
    // No 7 MB of JSON Schema: only the errors.
    expect(text).not.toContain("$schema");
  });

  it("a mutation: submitJob selecting a thousand events is refused and charges nothing", async () => {
    await grant(t.env.sql, "heavy-submitter", 5);
    const token = await tokenFor("heavy-submitter");
    const mutation = `mutation { submitJob(input: { type: "demo.simulate", params: { steps: 0 } }) {
      ... on SubmitJobSuccess { job { events(first: 1000) { seq at status progress message } } } } }`;
    expect(costOf(mutation).complexity).toBeGreaterThan(budget);
    expectTooComplex(await gql(t.app.url, mutation, {}, token), "cost");
    const [user] = await t.env.sql<{ balance: number; jobs: number }[]>`
      select balance, (select count(*)::int from jobs j where j.user_id = u.id) as jobs from users u where subject = 'heavy-submitter'`;
    expect(user).toEqual({ balance: 5, jobs: 0 });
  });

  it.each([5_000, -1])("a submitJob selecting events(first: %i) is refused before it charges", async (first) => {
    const subject = `bad-page-${first}`;
    await grant(t.env.sql, subject, 5);
    const mutation = `mutation { submitJob(input: { type: "demo.simulate", params: {} }) {
      ... on SubmitJobSuccess { job { id events(first: ${first}) { seq } } } } }`;
    const result = await gql(t.app.url, mutation, {}, await tokenFor(subject));
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    const [user] = await t.env.sql<{ balance: number; jobs: number }[]>`
      select balance, (select count(*)::int from jobs j where j.user_id = u.id) as jobs from users u where subject = ${subject}`;
    expect(user).toEqual({ balance: 5, jobs: 0 });
  });

  const heavySubscription = `subscription { jobUpdated(id: "00000000-0000-4000-8000-000000000000") {
    events(first: 1000) { jobId seq at status progress message } } }`;

  it("a subscription over graphql-ws is refused before `subscribe` runs", async () => {
    expect(costOf(heavySubscription).complexity).toBeGreaterThan(budget);
    const token = await tokenFor("ws-subscriber");
    const errors = await collectOverWebSocket(t.app.url, token, heavySubscription, {}).then(
      (payloads) => payloads.flatMap((p) => p.errors ?? []),
      (rejection: unknown) => (Array.isArray(rejection) ? rejection : [rejection]) as GraphQLResponse["errors"] & object,
    );
    // `subscribe` would have answered NOT_FOUND for this job. (The socket itself reads the token at
    // connection_init, for the per-user socket cap, so the user exists either way.)
    expect(errors.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: "QUERY_TOO_COMPLEX", limit: "cost" })]);
  });

  it("a subscription over SSE too, before the token is even read", async () => {
    const token = await tokenFor("sse-subscriber");
    const payloads = await collectOverSse(t.app.url, token, heavySubscription, {});
    expect(payloads.flatMap((p) => p.errors ?? []).map((e) => e.extensions)).toContainEqual(
      expect.objectContaining({ code: "QUERY_TOO_COMPLEX", limit: "cost" }),
    );
    await expectNeverSeen("sse-subscriber");
  });
});

describe("under the budget, answered", () => {
  it("a normal page of 100 jobs with 5 events each", async () => {
    const token = await tokenFor("normal-client");
    const data = await gqlData(t.app.url, normalPage, {}, token);
    expect(data.jobs.edges).toEqual([]);
  });

  it("the catalogue without a token", async () => {
    const data = await gqlData(t.app.url, "{ jobTypes { name cost paramsSchema } }");
    expect(data.jobTypes.length).toBeGreaterThan(0);
  });

  it("GraphiQL's introspection query", async () => {
    const data = await gqlData(t.app.url, getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }));
    expect(data.__schema.queryType.name).toBe("Query");
  });

  it("a few submits in one mutation", async () => {
    await grant(t.env.sql, "batch-submitter", 3);
    const token = await tokenFor("batch-submitter");
    const submit = (alias: string) =>
      `${alias}: submitJob(input: { type: "demo.simulate", params: { steps: 0 } }) { __typename ... on SubmitJobSuccess { balance job { id status } } }`;
    const mutation = `mutation { ${["a", "b", "c"].map(submit).join(" ")} }`;
    const data = await gqlData(t.app.url, mutation, {}, token);
    expect([data.a.__typename, data.b.__typename, data.c.__typename]).toEqual(["SubmitJobSuccess", "SubmitJobSuccess", "SubmitJobSuccess"]);
  });
});

describe("MAX_QUERY_COST", () => {
  it("sets the budget", async () => {
    const app = await startTestApp(t.env, { overrides: { MAX_QUERY_COST: "50" } });
    try {
      const token = await tokenFor("small-budget");
      const result = await gql(app.url, "{ jobs(first: 20) { edges { node { id } } } }", {}, token);
      expectTooComplex(result, "cost");
      expect(result.errors![0]!.extensions).toMatchObject({ cost: 61, max: 50 });
      const small = await gql(app.url, "{ jobs(first: 10) { edges { node { id } } } }", {}, token);
      expect(small.errors).toBeUndefined();
    } finally {
      await app.stop();
    }
  });
});
