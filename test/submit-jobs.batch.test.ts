import { describe, expect, it } from "vitest";
import { gql, gqlData } from "./helpers/graphql-client.js";
import { grant, ledgerReport } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { tokenFor, useTestApp } from "./helpers/test-app.js";

// A batch of 20 selecting its __typename costs 10 × 20 + 20 = 220: one fits the budget, two do not.
const t = useTestApp({ overrides: { MAX_SUBMIT_BATCH: "20", MAX_QUERY_COST: "300" } });

const submitJobsMutation = /* GraphQL */ `
  mutation SubmitMany($inputs: [SubmitJobInput!]!) {
    submitJobs(inputs: $inputs) {
      __typename
      ... on SubmitJobSuccess { balance job { id status params } }
      ... on InsufficientBalanceError { balance cost }
      ... on ValidationError { issues { path message } }
    }
  }
`;

const demo = (result: string, extra: Record<string, unknown> = {}) => ({ type: "demo.simulate", params: { result }, ...extra });

async function user(subject: string, credits: number) {
  await grant(t.env.sql, subject, credits);
  return tokenFor(subject);
}

const reportOf = async (subject: string) => (await ledgerReport(t.env.sql)).find((row) => row.subject === subject)!;

describe("submitJobs", () => {
  it("answers one result per input, in order, and the jobs run", async () => {
    const token = await user("batch-order", 5);
    const data = await gqlData(t.app.url, submitJobsMutation, { inputs: ["a", "b", "c"].map((r) => demo(r)) }, token);
    expect(data.submitJobs.map((r: { __typename: string; job: { params: { result: string } } }) => [r.__typename, r.job.params.result])).toEqual([
      ["SubmitJobSuccess", "a"],
      ["SubmitJobSuccess", "b"],
      ["SubmitJobSuccess", "c"],
    ]);
    expect(data.submitJobs.map((r: { balance: number }) => r.balance)).toEqual([4, 3, 2]);
    const ids: string[] = data.submitJobs.map((r: { job: { id: string } }) => r.job.id);
    await waitFor(async () => {
      const rows = await t.env.sql<{ status: string }[]>`select status from jobs where id = any(${ids}::uuid[])`;
      return rows.every((row) => row.status === "SUCCEEDED") || undefined;
    }, { what: "the batch's jobs to succeed" });
  });

  it("a refused or invalid input refuses nothing else; the balance covers the inputs in order", async () => {
    const token = await user("batch-refused", 2);
    const data = await gqlData(
      t.app.url,
      submitJobsMutation,
      { inputs: [demo("first"), { type: "demo.simulate", params: { steps: -1 } }, demo("second"), demo("third")] },
      token,
    );
    const results = data.submitJobs;
    expect(results.map((r: { __typename: string }) => r.__typename)).toEqual(["SubmitJobSuccess", "ValidationError", "SubmitJobSuccess", "InsufficientBalanceError"]);
    expect(results[1].issues[0].path).toEqual(["inputs", "1", "params", "steps"]);
    expect(results[3]).toMatchObject({ balance: 0, cost: 1 });
    const report = await reportOf("batch-refused");
    expect(report.balance).toBe(report.ledgerSum);
    expect(report.balance).toBe(0);
    const [jobs] = await t.env.sql<{ count: number }[]>`select count(*)::int as count from jobs j join users u on u.id = j.user_id where u.subject = 'batch-refused'`;
    expect(jobs!.count).toBe(2);
  });

  it("an idempotency key repeated inside a batch answers the first job, charged once; the same key with other params is a ValidationError", async () => {
    const token = await user("batch-keys", 5);
    const data = await gqlData(
      t.app.url,
      submitJobsMutation,
      { inputs: [demo("x", { idempotencyKey: "k1" }), demo("x", { idempotencyKey: "k1" }), demo("y", { idempotencyKey: "k1" })] },
      token,
    );
    const [first, again, other] = data.submitJobs;
    expect(first.__typename).toBe("SubmitJobSuccess");
    expect(again).toMatchObject({ __typename: "SubmitJobSuccess", job: { id: first.job.id }, balance: 4 });
    expect(other.__typename).toBe("ValidationError");
    expect(other.issues[0].path).toEqual(["inputs", "2", "idempotencyKey"]);
    expect((await reportOf("batch-keys")).balance).toBe(4);
  });

  it("prices a batch in the cost budget and refuses more inputs than MAX_SUBMIT_BATCH before anything runs", async () => {
    const token = await user("batch-budget", 100);
    const tooMany = await gql(t.app.url, submitJobsMutation, { inputs: Array.from({ length: 21 }, (_, i) => demo(String(i))) }, token);
    expect(tooMany.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(tooMany.errors?.[0]?.message).toMatch(/inputs must be between 1 and 20/);
    const none = await gql(t.app.url, submitJobsMutation, { inputs: [] }, token);
    expect(none.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect((await reportOf("batch-budget")).balance).toBe(100);

    // Two full batches in one document: each is priced by its size.
    const twice = /* GraphQL */ `
      mutation Twice($a: [SubmitJobInput!]!, $b: [SubmitJobInput!]!) {
        a: submitJobs(inputs: $a) { __typename }
        b: submitJobs(inputs: $b) { __typename }
      }
    `;
    const inputs = Array.from({ length: 20 }, (_, i) => demo(String(i)));
    expect((await gql(t.app.url, twice, { a: inputs.slice(0, 5), b: inputs.slice(0, 5) }, token)).errors).toBeUndefined();
    expect((await reportOf("batch-budget")).balance).toBe(90);
    const overBudget = await gql(t.app.url, twice, { a: inputs, b: inputs }, token);
    expect(overBudget.errors?.[0]?.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: "cost" });
    expect((await reportOf("batch-budget")).balance).toBe(90);
  });
});
