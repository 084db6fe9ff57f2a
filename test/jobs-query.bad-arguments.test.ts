import { describe, expect, it } from "vitest";
import { gql, gqlData } from "./helpers/graphql-client.js";
import { grant } from "./helpers/ledger.js";
import { submitJobMutation } from "./helpers/queries.js";
import { tokenFor, useTestApp } from "./helpers/test-app.js";

// Arguments outside submitJob that reach SQL: each bad one is BAD_USER_INPUT before any query, never an internal error.
const t = useTestApp({ overrides: { ROLE: "gateway" } });

const jobsQuery = /* GraphQL */ `
  query Jobs($first: Int, $after: String, $last: Int, $before: String, $status: [JobStatus!], $type: String) {
    jobs(first: $first, after: $after, last: $last, before: $before, status: $status, type: $type) { edges { node { id status } } }
  }
`;

const cursorOf = (raw: string) => Buffer.from(raw).toString("base64url");
const someId = "00000000-0000-4000-8000-000000000000";

async function expectBadUserInput(query: string, variables: Record<string, unknown>, token: string, message?: RegExp) {
  const answer = await gql(t.app.url, query, variables, token);
  expect(answer.errors, JSON.stringify(answer)).toHaveLength(1);
  expect(answer.errors![0]!.extensions?.code).toBe("BAD_USER_INPUT");
  if (message) expect(answer.errors![0]!.message).toMatch(message);
}

describe("jobs(...)", () => {
  it.each([
    ["NUL in type", { type: "demo\u0000" }, /type must not contain NUL/],
    ["a lone surrogate in type", { type: "demo\ud800" }, /surrogate/],
    ["a 10,000-character type", { type: "x".repeat(10_000) }, /at most 200/],
    ["first: -1", { first: -1 }, /first must be between 0 and 100/],
    ["last: -1", { last: -1, before: cursorOf(`2026-01-01T00:00:00.000Z|${someId}`) }, /last must be between 0 and 100/],
    ["a status list of 70,000", { status: Array.from({ length: 70_000 }, () => "QUEUED") }, /at most 20/],
    ["a cursor that is garbage", { first: 5, after: "%%%" }, /not a cursor/],
    ["a cursor of NULs", { first: 5, after: cursorOf("\u0000|\u0000") }, /not a cursor/],
    ["a cursor with a date before PostgreSQL's range", { first: 5, after: cursorOf(`${new Date(-8.64e15).toISOString()}|${someId}`) }, /not a cursor/],
    ["a cursor with a date past year 9999", { first: 5, before: cursorOf(`+275760-09-13T00:00:00.000Z|${someId}`) }, /not a cursor/],
    ["a cursor of a megabyte", { first: 5, after: "A".repeat(1_000_000) }, /not a cursor/],
  ])("%s: BAD_USER_INPUT", async (_name, variables, message) => {
    await expectBadUserInput(jobsQuery, variables, await tokenFor("asker"), message);
  });

  it("a status list with repeats (within the limit) filters by each status once", async () => {
    await grant(t.env.sql, "asker", 2);
    const token = await tokenFor("asker");
    const submitted = await gqlData(t.app.url, submitJobMutation, { input: { type: "demo.simulate", params: {} } }, token);
    const data = await gqlData(t.app.url, jobsQuery, { status: Array.from({ length: 20 }, (_, i) => (i % 2 ? "QUEUED" : "FAILED")) }, token);
    expect(data.jobs.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([submitted.submitJob.job.id]);
  });

  it("events(first: -1): BAD_USER_INPUT", async () => {
    const token = await tokenFor("asker");
    const [job] = await t.env.sql<{ id: string }[]>`select j.id from jobs j join users u on u.id = j.user_id where u.subject = 'asker' limit 1`;
    await expectBadUserInput("query($id: ID!) { job(id: $id) { events(first: -1) { seq } } }", { id: job!.id }, token);
  });
});

describe("admin arguments", () => {
  it.each([
    ["NUL", "demo\u0000"],
    ["a lone surrogate", "\udfff"],
    ["absurd length", "y".repeat(100_000)],
  ])("grantCredits reason with %s: BAD_USER_INPUT, nothing granted", async (_name, reason) => {
    await grant(t.env.sql, "grantee", 0);
    const [user] = await t.env.sql<{ id: string }[]>`select id from users where subject = 'grantee'`;
    const admin = await tokenFor("operator", { admin: true });
    await expectBadUserInput("mutation($id: ID!, $reason: String) { grantCredits(userId: $id, amount: 5, reason: $reason) { balance } }", { id: user!.id, reason }, admin);
    const [after] = await t.env.sql<{ balance: number }[]>`select balance from users where subject = 'grantee'`;
    expect(after!.balance).toBe(0);
  });

  it("grantCredits past the largest balance: BAD_USER_INPUT, not an integer overflow", async () => {
    await grant(t.env.sql, "rich", 2_000_000_000);
    const [user] = await t.env.sql<{ id: string }[]>`select id from users where subject = 'rich'`;
    const admin = await tokenFor("operator", { admin: true });
    await expectBadUserInput("mutation($id: ID!) { grantCredits(userId: $id, amount: 2000000000) { balance } }", { id: user!.id }, admin, /cannot exceed/);
  });

  it.each([
    ["deadLetters with NUL in type", "query { deadLetters(type: \"demo\\u0000\") { body } }"],
    ["deadLetters(first: -1)", "query { deadLetters(type: \"demo.simulate\", first: -1) { body } }"],
    ["redriveDeadLetters(limit: -1)", "mutation { redriveDeadLetters(type: \"demo.simulate\", limit: -1) }"],
  ])("%s: BAD_USER_INPUT", async (_name, query) => {
    await expectBadUserInput(query, {}, await tokenFor("operator", { admin: true }));
  });
});
