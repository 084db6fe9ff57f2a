import { expect, it } from "vitest";
import { Connection } from "rabbitmq-client";
import { declareTopology } from "../src/broker/declare-topology.js";
import { makeTopology, retryQueueName } from "../src/broker/topology.js";
import { demoSimulate } from "../src/jobs/types/demo-simulate.js";
import { gqlData } from "./helpers/graphql-client.js";
import { grant, ledgerReport } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { jobQuery, submitJobMutation } from "./helpers/queries.js";
import { tokenFor, useTestApp } from "./helpers/test-app.js";

const t = useTestApp();

const deadQueue = "jobs.demo.simulate.dead";

async function submit(subject: string, params: Record<string, unknown>): Promise<string> {
  const token = await tokenFor(subject);
  const data = await gqlData(t.app.url, submitJobMutation, { input: { type: "demo.simulate", params } }, token);
  expect(data.submitJob.__typename).toBe("SubmitJobSuccess");
  return data.submitJob.job.id;
}

async function waitForStatus(id: string, status: string) {
  return waitFor(
    async () => {
      const [row] = await t.env.sql`select status from jobs where id = ${id}`;
      return row!.status === status || undefined;
    },
    { timeoutMs: 10_000, what: `job ${id} to be ${status}` },
  );
}

it("a job that fails once is retried and succeeds, charged once", async () => {
  await grant(t.env.sql, "retry-once", 3);
  const token = await tokenFor("retry-once");
  const id = await submit("retry-once", { steps: 2, stepMs: 20, failTimes: 1, result: "second time lucky" });
  await waitForStatus(id, "SUCCEEDED");

  const { job } = await gqlData(t.app.url, jobQuery, { id }, token);
  expect(job).toMatchObject({ status: "SUCCEEDED", attempts: 2, maxAttempts: 3, result: "second time lucky", progress: 1 });
  const statuses: string[] = job.events.map((e: { status: string }) => e.status);
  expect(statuses).toContain("RETRYING");
  // The retry ran after the failure: RETRYING, then RUNNING again, then SUCCEEDED last.
  const retrying = statuses.indexOf("RETRYING");
  expect(statuses.slice(retrying + 1)).toContain("RUNNING");
  expect(statuses.at(-1)).toBe("SUCCEEDED");
  const retryEvent = job.events[retrying];
  expect(retryEvent.message).toMatch(/simulated failure on attempt 1/);

  const report = (await ledgerReport(t.env.sql)).find((r) => r.subject === "retry-once")!;
  expect(report).toMatchObject({ balance: 2, ledgerSum: 2, charged: 1, succeededCost: 1 });
  const refunds = await t.env.sql`select id from ledger_entries where job_id = ${id} and kind = 'refund'`;
  expect(refunds).toHaveLength(0);
});

it("a job that always fails ends FAILED after 3 attempts, is refunded once and dead-lettered with its reason", async () => {
  await grant(t.env.sql, "retry-never", 3);
  const token = await tokenFor("retry-never");
  const id = await submit("retry-never", { steps: 1, stepMs: 10, failTimes: 5 });
  await waitForStatus(id, "FAILED");

  const { job } = await gqlData(t.app.url, jobQuery, { id }, token);
  expect(job).toMatchObject({ status: "FAILED", attempts: 3, maxAttempts: 3 });
  expect(job.error).toMatchObject({ attempt: 3, code: "HANDLER_ERROR" });
  expect(job.error.message).toMatch(/simulated failure on attempt 3/);
  expect(job.events.filter((e: { status: string }) => e.status === "RETRYING")).toHaveLength(2);

  const refunds = await t.env.sql`select amount from ledger_entries where job_id = ${id} and kind = 'refund'`;
  expect(refunds.map((r) => r.amount)).toEqual([1]);
  const report = (await ledgerReport(t.env.sql)).find((r) => r.subject === "retry-never")!;
  expect(report).toMatchObject({ balance: 3, ledgerSum: 3, charged: 0, succeededCost: 0 });

  const broker = new Connection(t.env.vhost.url);
  try {
    // The dead letter is published right after the FAILED transaction commits.
    await waitFor(async () => (await broker.queueDeclare({ queue: deadQueue, passive: true })).messageCount === 1 || undefined, {
      timeoutMs: 5_000,
      what: "the dead letter",
    });
    const letter = await broker.basicGet({ queue: deadQueue, noAck: true });
    expect(letter).toBeDefined();
    expect(String(letter!.headers?.["x-reason"])).toMatch(/failed after 3 attempts: simulated failure on attempt 3/);
    const body = Buffer.isBuffer(letter!.body) ? JSON.parse(letter!.body.toString("utf8")) : letter!.body;
    expect(body).toEqual({ jobId: id, type: "demo.simulate" });
  } finally {
    await broker.close();
  }

  // Nothing more happens to it: still FAILED, still refunded exactly once.
  const [row] = await t.env.sql`select status, attempts from jobs where id = ${id}`;
  expect(row).toMatchObject({ status: "FAILED", attempts: 3 });
  const refundsLater = await t.env.sql`select id from ledger_entries where job_id = ${id} and kind = 'refund'`;
  expect(refundsLater).toHaveLength(1);
});

it("a retry whose publish fails (its backoff tier gone) is published by the outbox relay once due, and runs once", async () => {
  const firstTier = retryQueueName("demo.simulate", demoSimulate.backoffMs[0]!);
  const broker = new Connection(t.env.vhost.url);
  try {
    // With the tier's queue gone, the consumer's publish of the retry comes back unroutable.
    await broker.queueDelete({ queue: firstTier });
    await grant(t.env.sql, "retry-relayed", 1);
    const id = await submit("retry-relayed", { steps: 1, stepMs: 10, failTimes: 1, result: "relayed" });
    await waitForStatus(id, "SUCCEEDED");

    const [row] = await t.env.sql`select attempts, result from jobs where id = ${id}`;
    expect(row).toMatchObject({ attempts: 2, result: "relayed" });
    const events = await t.env.sql<{ status: string }[]>`select status from job_events where job_id = ${id} order by seq`;
    expect(events.map((e) => e.status)).toEqual(["QUEUED", "RUNNING", "RUNNING", "RETRYING", "RUNNING", "RUNNING", "SUCCEEDED"]);
    expect(await t.env.sql`select id from outbox where job_id = ${id}`).toHaveLength(0);
    const report = (await ledgerReport(t.env.sql)).find((r) => r.subject === "retry-relayed")!;
    expect(report).toMatchObject({ balance: 0, charged: 1, succeededCost: 1 });
  } finally {
    await declareTopology(broker, makeTopology([demoSimulate]));
    await broker.close();
  }
});
