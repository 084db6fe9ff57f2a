import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readyMessages } from "./helpers/broker-control.js";
import { gql, gqlData } from "./helpers/graphql-client.js";
import { grant, ledgerReport } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { submitJobMutation } from "./helpers/queries.js";
import { createTestEnvironment, startTestApp, tokenFor, type TestEnvironment } from "./helpers/test-app.js";

let env: TestEnvironment;
let app: Awaited<ReturnType<typeof startTestApp>>;
let token: string;

const subject = "validator";
const startingBalance = 5;
const workQueue = "jobs.demo.simulate";

// A gateway without consumers: a message published by mistake would stay in the work queue, where the test sees it.
beforeAll(async () => {
  env = await createTestEnvironment();
  app = await startTestApp(env, { overrides: { ROLE: "gateway" } });
  await grant(env.sql, subject, startingBalance);
  token = await tokenFor(subject);
});
afterAll(async () => {
  await app?.stop();
  await env?.teardown();
});

const valid = { steps: 0, stepMs: 0 };

const rejected: { name: string; input: Record<string, unknown>; paths: string[][] }[] = [
  { name: "negative steps", input: { type: "demo.simulate", params: { steps: -1 } }, paths: [["input", "params", "steps"]] },
  { name: "steps not a number", input: { type: "demo.simulate", params: { steps: "x" } }, paths: [["input", "params", "steps"]] },
  { name: "fractional steps", input: { type: "demo.simulate", params: { steps: 1.5 } }, paths: [["input", "params", "steps"]] },
  { name: "steps over the limit", input: { type: "demo.simulate", params: { steps: 1001 } }, paths: [["input", "params", "steps"]] },
  { name: "stepMs over the limit", input: { type: "demo.simulate", params: { stepMs: 60_001 } }, paths: [["input", "params", "stepMs"]] },
  { name: "failTimes over the limit", input: { type: "demo.simulate", params: { failTimes: 101 } }, paths: [["input", "params", "failTimes"]] },
  { name: "params not an object", input: { type: "demo.simulate", params: "steps=1" }, paths: [["input", "params"]] },
  { name: "params an array", input: { type: "demo.simulate", params: [1, 2] }, paths: [["input", "params"]] },
  { name: "unknown type", input: { type: "no.such.type", params: valid }, paths: [["input", "type"]] },
  { name: "empty type", input: { type: "", params: valid }, paths: [["input", "type"]] },
  { name: "priority 10", input: { type: "demo.simulate", params: valid, priority: 10 }, paths: [["input", "priority"]] },
  { name: "priority -1", input: { type: "demo.simulate", params: valid, priority: -1 }, paths: [["input", "priority"]] },
  {
    name: "priority above the type's maxUserPriority, from a non-admin",
    input: { type: "demo.simulate", params: valid, priority: 6 },
    paths: [["input", "priority"]],
  },
  { name: "NUL in a string param", input: { type: "demo.simulate", params: { result: "a\u0000b" } }, paths: [["input", "params", "result"]] },
  {
    name: "a lone surrogate deep in a param",
    input: { type: "demo.simulate", params: { result: { list: ["ok", "\ud800"] } } },
    paths: [["input", "params", "result", "list", "1"]],
  },
  { name: "NUL in a params key", input: { type: "demo.simulate", params: { result: { "k\u0000": 1 } } }, paths: [["input", "params", "result"]] },
  {
    name: "params over MAX_PARAMS_BYTES",
    input: { type: "demo.simulate", params: { result: "x".repeat(64 * 1024) } },
    paths: [["input", "params"]],
  },
  {
    name: "params nested deeper than 32 levels",
    input: { type: "demo.simulate", params: { result: JSON.parse(`${"[".repeat(40)}1${"]".repeat(40)}`) } },
    paths: [["input", "params", "result", ...Array.from({ length: 31 }, () => "0")]],
  },
  {
    name: "steps × stepMs reaching the type's timeout",
    input: { type: "demo.simulate", params: { steps: 10, stepMs: 6_000 } },
    paths: [["input", "params"]],
  },
  { name: "NUL in the idempotency key", input: { type: "demo.simulate", params: valid, idempotencyKey: "k\u0000" }, paths: [["input", "idempotencyKey"]] },
  {
    name: "a lone surrogate in the idempotency key",
    input: { type: "demo.simulate", params: valid, idempotencyKey: "k\udc00" },
    paths: [["input", "idempotencyKey"]],
  },
  { name: "empty idempotency key", input: { type: "demo.simulate", params: valid, idempotencyKey: "" }, paths: [["input", "idempotencyKey"]] },
  {
    name: "idempotency key of 201 characters",
    input: { type: "demo.simulate", params: valid, idempotencyKey: "k".repeat(201) },
    paths: [["input", "idempotencyKey"]],
  },
  {
    name: "several problems at once",
    input: { type: "demo.simulate", params: { steps: -1, stepMs: "slow" }, priority: 10 },
    paths: [
      ["input", "priority"],
      ["input", "params", "steps"],
      ["input", "params", "stepMs"],
    ],
  },
];

describe("submitJob rejects invalid input with ValidationError", () => {
  it.each(rejected)("$name", async ({ input, paths }) => {
    const data = await gqlData(app.url, submitJobMutation, { input }, token);
    expect(data.submitJob.__typename).toBe("ValidationError");
    expect(data.submitJob.message).toEqual(expect.any(String));
    const issues = data.submitJob.issues as { path: string[]; message: string }[];
    expect(issues.map((issue) => issue.path)).toEqual(expect.arrayContaining(paths));
    expect(issues).toHaveLength(paths.length);
    for (const issue of issues) expect(issue.message.length).toBeGreaterThan(0);
  });

  it("after all of them: balance unchanged, no job, no charge, nothing published", async () => {
    const me = await gqlData(app.url, "{ me { balance } }", {}, token);
    expect(me.me.balance).toBe(startingBalance);
    const [jobs] = await env.sql<{ count: number }[]>`select count(*)::int as count from jobs`;
    expect(jobs!.count).toBe(0);
    const [outbox] = await env.sql<{ count: number }[]>`select count(*)::int as count from outbox`;
    expect(outbox!.count).toBe(0);
    const [charges] = await env.sql<{ count: number }[]>`select count(*)::int as count from ledger_entries where kind <> 'grant'`;
    expect(charges!.count).toBe(0);
    const report = (await ledgerReport(env.sql)).find((r) => r.subject === subject);
    expect(report).toMatchObject({ balance: startingBalance, ledgerSum: startingBalance, charged: 0 });
    expect(await readyMessages(env.vhost.url, workQueue)).toBe(0);
  });

  it("a malformed query gets GraphQL errors and no data", async () => {
    const syntax = await gql(app.url, "mutation { submitJob(input: { type: \"demo.simulate\" ", {}, token);
    expect(syntax.errors?.length).toBeGreaterThan(0);
    expect(syntax.data ?? null).toBeNull();

    const unknownField = await gql(app.url, "{ me { balance noSuchField } }", {}, token);
    expect(unknownField.errors?.length).toBeGreaterThan(0);
    expect(unknownField.data ?? null).toBeNull();

    // A required input field left out is refused before any resolver runs.
    const missingParams = await gql(app.url, submitJobMutation, { input: { type: "demo.simulate" } }, token);
    expect(missingParams.errors?.length).toBeGreaterThan(0);
    expect(missingParams.data ?? null).toBeNull();

    const me = await gqlData(app.url, "{ me { balance } }", {}, token);
    expect(me.me.balance).toBe(startingBalance);
  });

  // The control for the checks above: a valid submit is charged and does reach the work queue.
  it("a valid submit, by contrast, is charged and published", async () => {
    const data = await gqlData(app.url, submitJobMutation, { input: { type: "demo.simulate", params: valid, priority: 5 } }, token);
    expect(data.submitJob).toMatchObject({ __typename: "SubmitJobSuccess", balance: startingBalance - 1, job: { status: "QUEUED", cost: 1 } });
    await waitFor(async () => (await readyMessages(env.vhost.url, workQueue)) === 1 || undefined, { timeoutMs: 5_000, what: "the job's message" });
    const [jobs] = await env.sql<{ count: number }[]>`select count(*)::int as count from jobs`;
    expect(jobs!.count).toBe(1);
  });
});

describe("idempotency keys name one request", () => {
  const owner = "keyholder";
  let ownerToken: string;
  beforeAll(async () => {
    await grant(env.sql, owner, 10);
    ownerToken = await tokenFor(owner);
  });

  const submitWithKey = (input: Record<string, unknown>) => gqlData(app.url, submitJobMutation, { input: { idempotencyKey: "order-42", ...input } }, ownerToken);

  it("the same type and params again (in another key order) return the first job, charged once", async () => {
    const first = await submitWithKey({ type: "demo.simulate", params: { steps: 1, result: { a: 1, b: 2 } } });
    expect(first.submitJob.__typename).toBe("SubmitJobSuccess");
    // Defaults filled in by the schema count as the same params too.
    const again = await submitWithKey({ type: "demo.simulate", params: { result: { b: 2, a: 1 }, steps: 1, failTimes: 0 } });
    expect(again.submitJob).toMatchObject({ __typename: "SubmitJobSuccess", job: { id: first.submitJob.job.id } });
    const [charges] = await env.sql<{ n: number }[]>`
      select count(*)::int as n from ledger_entries l join users u on u.id = l.user_id where u.subject = ${owner} and l.kind = 'charge'`;
    expect(charges!.n).toBe(1);
  });

  it.each([
    ["other params", { type: "demo.simulate", params: { steps: 2, result: { a: 1, b: 2 } } }],
    ["another type", { type: "story.generate", params: { prompt: "a story" } }],
  ])("the same key with %s: ValidationError at input.idempotencyKey, nothing charged", async (_name, input) => {
    const balanceBefore = (await gqlData(app.url, "{ me { balance } }", {}, ownerToken)).me.balance;
    const data = await submitWithKey(input);
    expect(data.submitJob.__typename).toBe("ValidationError");
    expect(data.submitJob.issues).toEqual([{ path: ["input", "idempotencyKey"], message: expect.stringMatching(/already used for a different request/) }]);
    expect((await gqlData(app.url, "{ me { balance } }", {}, ownerToken)).me.balance).toBe(balanceBefore);
    const [jobs] = await env.sql<{ n: number }[]>`select count(*)::int as n from jobs j join users u on u.id = j.user_id where u.subject = ${owner}`;
    expect(jobs!.n).toBe(1);
  });

  it("an admin may ask for priority 9, above the type's maxUserPriority", async () => {
    await grant(env.sql, "operator", 1);
    const data = await gqlData(app.url, submitJobMutation, { input: { type: "demo.simulate", params: valid, priority: 9 } }, await tokenFor("operator", { admin: true }));
    expect(data.submitJob.__typename).toBe("SubmitJobSuccess");
  });
});
