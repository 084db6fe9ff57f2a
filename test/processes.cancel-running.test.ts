import { beforeAll, expect, it } from "vitest";
import { queueDepthIncludingUnacked } from "./helpers/broker-control.js";
import { gqlData } from "./helpers/graphql-client.js";
import { grant, ledgerReport } from "./helpers/ledger.js";
import { waitFor, type AppProcess } from "./helpers/processes.js";
import { jobQuery, submitJobMutation } from "./helpers/queries.js";
import { useGatewayWithWorkers } from "./helpers/gateway-with-workers.js";
import { tokenFor } from "./helpers/test-app.js";

const cancelJobMutation = /* GraphQL */ `
  mutation Cancel($id: ID!) {
    cancelJob(id: $id) {
      __typename
      ... on CancelJobSuccess { balance job { id status seq } }
      ... on InvalidJobStateError { message status }
    }
  }
`;

const t = useGatewayWithWorkers();
let worker: AppProcess;

beforeAll(async () => {
  worker = await t.startWorker();
}, 60_000);

it("cancelling a job RUNNING in a worker process stops its handler there: CANCELLED, refunded, no event after", async () => {
  await grant(t.env.sql, "canceller", 3);
  const token = await tokenFor("canceller");
  const submitted = await gqlData(
    t.gateway.url,
    submitJobMutation,
    { input: { type: "demo.simulate", params: { steps: 100, stepMs: 50, result: "never" } } },
    token,
  );
  expect(submitted.submitJob.balance).toBe(2);
  const id = submitted.submitJob.job.id;

  await waitFor(
    async () => {
      const [row] = await t.env.sql`select status, progress from jobs where id = ${id}`;
      return (row!.status === "RUNNING" && row!.progress > 0) || undefined;
    },
    { timeoutMs: 10_000, what: "the job to run in the worker process" },
  );

  const cancelled = await gqlData(t.gateway.url, cancelJobMutation, { id }, token);
  expect(cancelled.cancelJob.__typename).toBe("CancelJobSuccess");
  expect(cancelled.cancelJob.job.status).toBe("CANCELLED");
  expect(cancelled.cancelJob.balance).toBe(3);
  const cancelSeq: number = cancelled.cancelJob.job.seq;

  await waitFor(async () => (await t.env.sql`select status from jobs where id = ${id}`)[0]!.status === "CANCELLED" || undefined, {
    timeoutMs: 2_000,
    what: "the job to be CANCELLED",
  });

  // The worker hears the cancellation (NOTIFY), aborts the handler and acks the message,
  // long before the 5 s of work would have ended.
  // ("attempt stopped" is the aborted-handler outcome; a handler that ran on to its end would log "job succeeded".)
  await waitFor(() => worker.output.some((line) => line.includes(id) && line.includes("attempt stopped")) || undefined, {
    timeoutMs: 3_000,
    what: "the worker to stop the attempt",
  });
  expect(worker.output.some((line) => line.includes(id) && line.includes("job succeeded"))).toBe(false);
  await waitFor(async () => (await queueDepthIncludingUnacked(t.env.vhost.name, "jobs.demo.simulate")) === 0 || undefined, {
    timeoutMs: 3_000,
    what: "the message to be acked",
  });

  // Nothing happens afterwards: a write in flight when the cancel landed is fenced out.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const { job } = await gqlData(t.gateway.url, jobQuery, { id }, token);
  expect(job.status).toBe("CANCELLED");
  expect(job.seq).toBe(cancelSeq);
  expect(job.result).toBeNull();
  expect(job.progress).toBeLessThan(1);
  const later = await t.env.sql`select seq, status from job_events where job_id = ${id} and seq > ${cancelSeq}`;
  expect(later).toEqual([]);
  const [lastEvent] = await t.env.sql`select status from job_events where job_id = ${id} order by seq desc limit 1`;
  expect(lastEvent!.status).toBe("CANCELLED");

  const refunds = await t.env.sql`select amount from ledger_entries where job_id = ${id} and kind = 'refund'`;
  expect(refunds.map((r) => r.amount)).toEqual([1]);
  const report = (await ledgerReport(t.env.sql)).find((r) => r.subject === "canceller")!;
  expect(report).toMatchObject({ balance: 3, ledgerSum: 3, charged: 0, succeededCost: 0 });
});
