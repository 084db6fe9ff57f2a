import { afterAll, beforeAll, expect, it } from "vitest";
import { Connection } from "rabbitmq-client";
import { z } from "zod";
import { defineTestJobType } from "./helpers/job-types.js";
import { sleep } from "../src/jobs/sleep.js";
import { gqlData } from "./helpers/graphql-client.js";
import { grant, ledgerReport } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { jobQuery, submitJobMutation } from "./helpers/queries.js";
import { createTestEnvironment, startTestApp, tokenFor, type TestEnvironment } from "./helpers/test-app.js";

let env: TestEnvironment;
let app: Awaited<ReturnType<typeof startTestApp>>;
/** How each attempt's handler ended: "aborted: <reason name>" or "finished". */
const handlerEnds: string[] = [];

const slow = defineTestJobType({
  name: "test.slow",
  description: "test: sleeps far longer than its timeout",
  cost: 1,
  timeoutMs: 200,
  maxAttempts: 2,
  backoffMs: [50],
  params: z.object({}),
  async run({ signal }) {
    try {
      await sleep(10_000, signal);
      handlerEnds.push("finished");
      return "too late";
    } catch (error) {
      handlerEnds.push(`aborted: ${(error as Error).name}`);
      throw error;
    }
  },
});

beforeAll(async () => {
  env = await createTestEnvironment();
  app = await startTestApp(env, { jobTypes: [slow] });
});
afterAll(async () => {
  await app?.stop();
  await env?.teardown();
});

it("an attempt past its type's timeout is aborted and retried, then the job FAILS with TIMEOUT and is refunded", async () => {
  await grant(env.sql, "slow", 2);
  const token = await tokenFor("slow");
  const submitted = await gqlData(app.url, submitJobMutation, { input: { type: "test.slow", params: {} } }, token);
  expect(submitted.submitJob.__typename).toBe("SubmitJobSuccess");
  expect(submitted.submitJob.balance).toBe(1);
  const id = submitted.submitJob.job.id;
  const startedAt = Date.now();

  await waitFor(async () => (await env.sql`select status from jobs where id = ${id}`)[0]!.status === "FAILED" || undefined, {
    timeoutMs: 5_000,
    what: "the job to fail",
  });
  // Two attempts of 200 ms and a 50 ms backoff: nowhere near the handler's 10 s sleep.
  expect(Date.now() - startedAt).toBeLessThan(3_000);

  const { job } = await gqlData(app.url, jobQuery, { id }, token);
  expect(job).toMatchObject({ status: "FAILED", attempts: 2, maxAttempts: 2 });
  expect(job.error).toMatchObject({ code: "TIMEOUT", attempt: 2 });
  expect(job.error.message).toMatch(/timed out after 200 ms/);
  const statuses: string[] = job.events.map((e: { status: string }) => e.status);
  expect(statuses.filter((s) => s === "RUNNING")).toHaveLength(2);
  expect(statuses).toContain("RETRYING");
  expect(statuses.at(-1)).toBe("FAILED");
  const [retryRow] = await env.sql`select message from job_events where job_id = ${id} and status = 'RETRYING'`;
  expect(retryRow!.message).toMatch(/timed out/);

  // Each handler saw its signal abort with the timeout as the reason.
  expect(handlerEnds).toEqual(["aborted: JobTimeoutError", "aborted: JobTimeoutError"]);

  const refunds = await env.sql`select amount from ledger_entries where job_id = ${id} and kind = 'refund'`;
  expect(refunds.map((r) => r.amount)).toEqual([1]);
  const report = (await ledgerReport(env.sql)).find((r) => r.subject === "slow")!;
  expect(report).toMatchObject({ balance: 2, ledgerSum: 2, charged: 0, succeededCost: 0 });

  const broker = new Connection(env.vhost.url);
  try {
    await waitFor(async () => (await broker.queueDeclare({ queue: "jobs.test.slow.dead", passive: true })).messageCount === 1 || undefined, {
      timeoutMs: 5_000,
      what: "the dead letter",
    });
    const letter = await broker.basicGet({ queue: "jobs.test.slow.dead", noAck: true });
    expect(String(letter!.headers?.["x-reason"])).toMatch(/failed after 2 attempts: attempt timed out/);
  } finally {
    await broker.close();
  }
});
