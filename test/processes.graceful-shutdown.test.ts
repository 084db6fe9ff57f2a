import { expect, it } from "vitest";
import { readyMessages } from "./helpers/broker-control.js";
import { gqlData } from "./helpers/graphql-client.js";
import { grant, ledgerReport } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { submitJobMutation } from "./helpers/queries.js";
import { useGatewayWithWorkers } from "./helpers/gateway-with-workers.js";
import { tokenFor } from "./helpers/test-app.js";

const t = useGatewayWithWorkers();
const startWorker = t.startWorker;

async function submit(subject: string, params: Record<string, unknown>): Promise<string> {
  const token = await tokenFor(subject);
  const data = await gqlData(t.gateway.url, submitJobMutation, { input: { type: "demo.simulate", params } }, token);
  expect(data.submitJob.__typename).toBe("SubmitJobSuccess");
  return data.submitJob.job.id;
}

const jobRow = async (id: string) => (await t.env.sql`select status, attempts, progress, result from jobs where id = ${id}`)[0]!;

async function waitForStatus(id: string, status: string, timeoutMs = 10_000) {
  return waitFor(async () => ((await jobRow(id)).status === status ? jobRow(id) : undefined), { timeoutMs, what: `job ${id} to be ${status}` });
}

async function waitUntilRunning(id: string) {
  await waitFor(async () => {
    const row = await jobRow(id);
    return (row.status === "RUNNING" && row.progress > 0) || undefined;
  }, { timeoutMs: 10_000, what: `job ${id} to run` });
}

it("SIGTERM lets a running job finish within the grace period, then the worker exits 0", async () => {
  const worker = await startWorker({ SHUTDOWN_GRACE_MS: "5000" });
  await grant(t.env.sql, "grace-long", 2);
  const id = await submit("grace-long", { steps: 15, stepMs: 100, result: "finished in grace" });
  await waitUntilRunning(id);

  const signalledAt = Date.now();
  worker.kill("SIGTERM");
  expect(await worker.exited).toBe(0);
  const exitMs = Date.now() - signalledAt;
  // The job had at most 1.5 s left; the grace was 5 s.
  expect(exitMs).toBeLessThan(5_000 + 2_000);

  // A 1.5 s job and a 5 s grace: it finished in the stopping worker, in its only attempt,
  // before the process exited (nothing was handed back).
  const done = await jobRow(id);
  expect(done).toMatchObject({ status: "SUCCEEDED", attempts: 1, result: "finished in grace", progress: 1 });
  const handedBack = await t.env.sql`select seq from job_events where job_id = ${id} and status = 'QUEUED' and seq > 1`;
  expect(handedBack).toEqual([]);
  // Its message was acked, not requeued for someone else to run again.
  expect(await readyMessages(t.env.vhost.url, "jobs.demo.simulate")).toBe(0);
  // The child's 'exit' can come before the last of its output is read: wait for the line.
  await waitFor(() => worker.output.some((line) => line.includes(id) && line.includes("job succeeded")) || undefined, {
    timeoutMs: 3_000,
    what: "the stopping worker to log the success",
  });

  const report = (await ledgerReport(t.env.sql)).find((r) => r.subject === "grace-long")!;
  expect(report).toMatchObject({ balance: 1, ledgerSum: 1, charged: 1, succeededCost: 1 });
}, 45_000);

it("a job outlasting a short grace is handed back (QUEUED, a new message through the outbox) and a new worker runs it, charged once", async () => {
  const worker = await startWorker({ SHUTDOWN_GRACE_MS: "300" });
  await grant(t.env.sql, "grace-short", 2);
  const id = await submit("grace-short", { steps: 50, stepMs: 100, result: "finished elsewhere" });
  await waitUntilRunning(id);

  const signalledAt = Date.now();
  worker.kill("SIGTERM");
  expect(await worker.exited).toBe(0);
  // 300 ms of grace, then the handler is aborted: far less than the 5 s of work.
  expect(Date.now() - signalledAt).toBeLessThan(3_000);

  const handedBack = await jobRow(id);
  expect(handedBack).toMatchObject({ status: "QUEUED", attempts: 0, progress: 0 });
  const [lastEvent] = await t.env.sql`select status, message from job_events where job_id = ${id} order by seq desc limit 1`;
  expect(lastEvent).toMatchObject({ status: "QUEUED", message: "handed back: worker shutting down" });
  await waitFor(async () => (await readyMessages(t.env.vhost.url, "jobs.demo.simulate")) === 1 || undefined, {
    timeoutMs: 3_000,
    what: "a message for it in the work queue",
  });

  const workerB = await startWorker();
  const done = await waitForStatus(id, "SUCCEEDED", 12_000);
  expect(done.result).toBe("finished elsewhere");
  // The handed-back attempt did not count.
  expect(done.attempts).toBe(1);
  // The row commits before the worker logs it; the line comes through a pipe.
  await waitFor(() => workerB.output.some((line) => line.includes(id) && line.includes("job succeeded")) || undefined, {
    timeoutMs: 3_000,
    what: "the new worker to log the success",
  });

  const report = (await ledgerReport(t.env.sql)).find((r) => r.subject === "grace-short")!;
  expect(report).toMatchObject({ balance: 1, ledgerSum: 1, charged: 1, succeededCost: 1 });
}, 45_000);
