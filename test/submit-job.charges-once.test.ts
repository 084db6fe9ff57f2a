import { describe, expect, it } from "vitest";
import { gql, gqlData } from "./helpers/graphql-client.js";
import { grant, ledgerReport } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { submitJobMutation } from "./helpers/queries.js";
import { tokenFor, useTestApp } from "./helpers/test-app.js";

const t = useTestApp();

/** Params of a job that succeeds on its first attempt at once: it stays charged, nothing is refunded. */
const succeeding = { steps: 0, stepMs: 0, failTimes: 0, result: "ok" };

async function balanceOf(token: string): Promise<number> {
  return (await gqlData(t.app.url, "{ me { balance } }", {}, token)).me.balance;
}

async function jobRowsOf(subject: string) {
  return t.env.sql<{ id: string; status: string; idempotencyKey: string | null }[]>`
    select j.id, j.status, j.idempotency_key as "idempotencyKey"
    from jobs j join users u on u.id = j.user_id where u.subject = ${subject}`;
}

async function ledgerOf(subject: string) {
  return t.env.sql<{ kind: string; amount: number; jobId: string | null }[]>`
    select l.kind, l.amount, l.job_id as "jobId"
    from ledger_entries l join users u on u.id = l.user_id where u.subject = ${subject} order by l.id`;
}

async function waitUntilAllSucceeded(subject: string, count: number) {
  await waitFor(
    async () => {
      const rows = await jobRowsOf(subject);
      return (rows.length === count && rows.every((row) => row.status === "SUCCEEDED")) || undefined;
    },
    { timeoutMs: 15_000, what: `${count} jobs of ${subject} to succeed` },
  );
}

async function reportOf(subject: string) {
  return (await ledgerReport(t.env.sql)).find((r) => r.subject === subject);
}

describe("concurrent submits never overdraw", () => {
  it("100 concurrent submits of cost 1 with 10 credits: 10 succeed, 90 are refused, balance 0, ledger consistent", async () => {
    const subject = "burst";
    await grant(t.env.sql, subject, 10);
    const token = await tokenFor(subject);

    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        gql(t.app.url, submitJobMutation, { input: { type: "demo.simulate", params: { ...succeeding, result: i } } }, token),
      ),
    );
    for (const result of results) expect(result.errors).toBeUndefined();
    const outcomes = results.map((r) => r.data!.submitJob);

    const successes = outcomes.filter((o) => o.__typename === "SubmitJobSuccess");
    const refusals = outcomes.filter((o) => o.__typename === "InsufficientBalanceError");
    expect(successes).toHaveLength(10);
    expect(refusals).toHaveLength(90);
    for (const refusal of refusals) {
      expect(refusal.balance).toBe(0);
      expect(refusal.cost).toBe(1);
      expect(refusal.message).toEqual(expect.any(String));
    }
    // Each success reports a distinct balance after its own charge: 9, 8, ..., 0 in some order.
    expect(successes.map((s) => s.balance).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const successIds = successes.map((s) => s.job.id);
    expect(new Set(successIds).size).toBe(10);
    for (const success of successes) expect(success.job.cost).toBe(1);

    expect(await balanceOf(token)).toBe(0);
    const rows = await jobRowsOf(subject);
    expect(rows).toHaveLength(10);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(successIds));
    expect(await reportOf(subject)).toMatchObject({ balance: 0, ledgerSum: 0, charged: 10 });
    const charges = (await ledgerOf(subject)).filter((entry) => entry.kind === "charge");
    expect(charges).toHaveLength(10);
    expect(new Set(charges.map((c) => c.jobId))).toEqual(new Set(successIds));

    // Let the consumers finish every job, then check nothing moved: succeeded jobs stay charged.
    await waitUntilAllSucceeded(subject, 10);
    expect(await balanceOf(token)).toBe(0);
    expect(await reportOf(subject)).toMatchObject({ balance: 0, ledgerSum: 0, charged: 10, succeededCost: 10 });
    expect((await ledgerOf(subject)).filter((entry) => entry.kind === "refund")).toHaveLength(0);
  });
});

describe("idempotency keys", () => {
  it("five concurrent submits with one key return the same job and charge once", async () => {
    const subject = "idem";
    await grant(t.env.sql, subject, 5);
    const token = await tokenFor(subject);
    const input = { type: "demo.simulate", params: succeeding, idempotencyKey: "order-42" };

    const results = await Promise.all(Array.from({ length: 5 }, () => gql(t.app.url, submitJobMutation, { input }, token)));
    for (const result of results) expect(result.errors).toBeUndefined();
    const outcomes = results.map((r) => r.data!.submitJob);
    for (const outcome of outcomes) expect(outcome.__typename).toBe("SubmitJobSuccess");
    const ids = new Set(outcomes.map((o) => o.job.id));
    expect(ids.size).toBe(1);
    const [jobId] = [...ids];
    for (const outcome of outcomes) expect(outcome.balance).toBe(4);

    expect(await balanceOf(token)).toBe(4);
    const rows = await jobRowsOf(subject);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: jobId, idempotencyKey: "order-42" });
    const charges = (await ledgerOf(subject)).filter((entry) => entry.kind === "charge");
    expect(charges).toEqual([{ kind: "charge", amount: -1, jobId }]);

    // Once the job is done, the same key still answers with that job and charges nothing.
    await waitUntilAllSucceeded(subject, 1);
    const again = await gqlData(t.app.url, submitJobMutation, { input }, token);
    expect(again.submitJob).toMatchObject({ __typename: "SubmitJobSuccess", balance: 4, job: { id: jobId } });
    expect(await balanceOf(token)).toBe(4);
    expect(await jobRowsOf(subject)).toHaveLength(1);
    expect(await reportOf(subject)).toMatchObject({ balance: 4, ledgerSum: 4, charged: 1, succeededCost: 1 });
  });

  it("the same key used by two users makes two jobs, each charged to its owner", async () => {
    await grant(t.env.sql, "idem-a", 3);
    await grant(t.env.sql, "idem-b", 3);
    const [tokenA, tokenB] = await Promise.all([tokenFor("idem-a"), tokenFor("idem-b")]);
    const input = { type: "demo.simulate", params: succeeding, idempotencyKey: "shared-key" };

    const [a, b] = await Promise.all([
      gqlData(t.app.url, submitJobMutation, { input }, tokenA),
      gqlData(t.app.url, submitJobMutation, { input }, tokenB),
    ]);
    expect(a.submitJob).toMatchObject({ __typename: "SubmitJobSuccess", balance: 2 });
    expect(b.submitJob).toMatchObject({ __typename: "SubmitJobSuccess", balance: 2 });
    expect(a.submitJob.job.id).not.toBe(b.submitJob.job.id);

    const rowsA = await jobRowsOf("idem-a");
    const rowsB = await jobRowsOf("idem-b");
    expect(rowsA.map((r) => r.id)).toEqual([a.submitJob.job.id]);
    expect(rowsB.map((r) => r.id)).toEqual([b.submitJob.job.id]);

    // Each owner sees only its own job under that id.
    const crossRead = await gqlData(t.app.url, "query ($id: ID!) { job(id: $id) { id } }", { id: b.submitJob.job.id }, tokenA);
    expect(crossRead.job).toBeNull();

    await waitUntilAllSucceeded("idem-a", 1);
    await waitUntilAllSucceeded("idem-b", 1);
    expect(await balanceOf(tokenA)).toBe(2);
    expect(await balanceOf(tokenB)).toBe(2);
    expect(await reportOf("idem-a")).toMatchObject({ balance: 2, ledgerSum: 2, charged: 1 });
    expect(await reportOf("idem-b")).toMatchObject({ balance: 2, ledgerSum: 2, charged: 1 });
  });
});
