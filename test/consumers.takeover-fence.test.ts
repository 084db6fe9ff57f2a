import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { workQueueName } from "../src/broker/topology.js";
import { gated, gatedBrief } from "./fixtures/takeover-fence/job-gateway.config.js";
import { closeConnectionsOfProcess, queueDepthIncludingUnacked } from "./helpers/broker-control.js";
import { gqlData } from "./helpers/graphql-client.js";
import { grant, ledgerReport } from "./helpers/ledger.js";
import { startAppProcess, waitFor, type AppProcess } from "./helpers/processes.js";
import { submitJobMutation } from "./helpers/queries.js";
import { createTestEnvironment, startTestApp, tokenFor, type TestApp, type TestEnvironment } from "./helpers/test-app.js";

// PostgreSQL's heartbeat, not the broker, says who holds a RUNNING job: a redelivery of a job
// whose holder is alive is dropped, so a broker blip never starts a second run of paid work;
// only a job whose heartbeat went stale (its type's timeout plus STALLED_GRACE_MS) is run again.

const config = fileURLToPath(new URL("./fixtures/takeover-fence/job-gateway.config.ts", import.meta.url));
const stalledGraceMs = 100;
const dir = mkdtempSync(join(tmpdir(), "jobgw-fence-"));

let env: TestEnvironment;
const startWorker = () =>
  startAppProcess({
    ...env.env,
    ROLE: "worker",
    JOB_GATEWAY_CONFIG: config,
    HEARTBEAT_MS: "100",
    STALLED_GRACE_MS: String(stalledGraceMs),
    // A stopping worker hands its running jobs back soon.
    SHUTDOWN_GRACE_MS: "300",
  });
let gateway: TestApp;
const workers: AppProcess[] = [];

beforeAll(async () => {
  env = await createTestEnvironment();
  gateway = await startTestApp(env, { overrides: { ROLE: "gateway" }, jobTypes: [gated, gatedBrief] });
  workers.push(...(await Promise.all([startWorker(), startWorker()])));
  await grant(env.sql, "fence", 10);
}, 60_000);

afterAll(async () => {
  for (const worker of workers) worker.kill("SIGKILL");
  await Promise.all(workers.map((worker) => worker.exited));
  await gateway?.stop();
  await env?.teardown();
});

async function submit(type: string): Promise<string> {
  const data = await gqlData(gateway.url, submitJobMutation, { input: { type, params: { dir } } }, await tokenFor("fence"));
  expect(data.submitJob.__typename).toBe("SubmitJobSuccess");
  return data.submitJob.job.id;
}

const alive = (worker: AppProcess) => worker.child.exitCode === null && worker.child.signalCode === null;

/** Lets the job's running attempt return. */
const openGate = (jobId: string) => writeFileSync(join(dir, `open-${jobId}`), "");

/** Every start of the job's handler, in order: which attempt, in which process. */
function runsOf(jobId: string): { attempt: number; pid: number }[] {
  return readFileSync(join(dir, "runs.log"), { encoding: "utf8", flag: "a+" })
    .split("\n")
    .map((line) => line.split(" "))
    .filter(([id]) => id === jobId)
    .map(([, attempt, pid]) => ({ attempt: Number(attempt), pid: Number(pid) }));
}

/** The worker process whose handler started the job's `attempt`. */
async function runnerOf(jobId: string, attempt: number): Promise<AppProcess> {
  const run = await waitFor(() => runsOf(jobId).find((r) => r.attempt === attempt), { timeoutMs: 15_000, what: `attempt ${attempt} of ${jobId} to start` });
  return workers.find((worker) => worker.child.pid === run.pid)!;
}

const jobRow = async (id: string) => (await env.sql`select status, attempts, result, heartbeat_at::text as heartbeat from jobs where id = ${id}`)[0]!;

/** The job's events, and how many of them claimed it (a change into RUNNING: each is an attempt begun). */
async function eventsOf(id: string) {
  const events = await env.sql<{ seq: number; status: string; message: string | null }[]>`
    select seq, status, message from job_events where job_id = ${id} order by seq`;
  const claims = events.filter((e, i) => e.status === "RUNNING" && events[i - 1]?.status !== "RUNNING").length;
  return { statuses: events.map((e) => e.status), claims };
}

/** Log lines of a worker process (JSON), filtered. */
const logLines = (worker: AppProcess, match: (line: { level: number; msg: string; jobId?: string }) => boolean) =>
  worker.output.flatMap((line) => {
    try {
      const parsed = JSON.parse(line);
      return match(parsed) ? [parsed] : [];
    } catch {
      return [];
    }
  });

it("a broker blip on the worker running a job: the redelivery is dropped, the job runs once and finishes on that worker", async () => {
  const id = await submit(gated.name);
  const holder = await runnerOf(id, 1);
  const other = workers.find((worker) => worker !== holder)!;
  expect(await jobRow(id)).toMatchObject({ status: "RUNNING", attempts: 1 });

  expect(await closeConnectionsOfProcess(env.vhost.name, holder.child.pid!)).toBeGreaterThan(0);

  // The broker handed the delivery the holder could no longer ack to the other worker, as a
  // redelivery; the holder's heartbeat is fresh, so that worker acked it and ran nothing.
  await waitFor(() => logLines(other, (l) => l.jobId === id && l.msg.startsWith("redelivery of a RUNNING job dropped")).length > 0, {
    timeoutMs: 15_000,
    what: "the other worker to drop the redelivery",
  });
  await waitFor(async () => (await queueDepthIncludingUnacked(env.vhost.name, workQueueName(gated.name))) === 0 || undefined, {
    what: "the redelivered message to be acked",
  });
  expect(await jobRow(id)).toMatchObject({ status: "RUNNING", attempts: 1 });
  expect(runsOf(id)).toEqual([{ attempt: 1, pid: holder.child.pid }]);

  // The holder is alive and still runs the attempt: it finishes the job, through the database.
  openGate(id);
  const done = await waitFor(async () => ((await jobRow(id)).status === "SUCCEEDED" ? jobRow(id) : undefined), { what: "the job to succeed" });
  expect(done).toMatchObject({ attempts: 1, result: { attempt: 1, pid: holder.child.pid } });
  expect(runsOf(id)).toHaveLength(1);
  expect(await eventsOf(id)).toEqual({ statuses: ["QUEUED", "RUNNING", "SUCCEEDED"], claims: 1 });

  // Its ack went to the channel the broker closed: a warning, no error, no crash.
  await waitFor(() => logLines(holder, (l) => l.msg.startsWith("delivery settled after its channel closed")).length > 0, {
    what: "the holder to log its ack on the closed channel",
  });
  expect(alive(holder)).toBe(true);
  expect(logLines(holder, (l) => l.level >= 50)).toEqual([]);
  expect(await queueDepthIncludingUnacked(env.vhost.name, workQueueName(gated.name))).toBe(0);
}, 45_000);

it("a worker SIGKILLed mid-run: its job is run again only once its heartbeat is stale, and once", async () => {
  const id = await submit(gatedBrief.name);
  const holder = await runnerOf(id, 1);
  const other = workers.find((worker) => worker !== holder && alive(worker))!;

  holder.kill("SIGKILL");
  expect(await holder.exited).toBeNull();
  // Nothing ended the attempt: the row says RUNNING, with the dead holder's last heartbeat.
  const killed = await jobRow(id);
  expect(killed).toMatchObject({ status: "RUNNING", attempts: 1 });
  openGate(id);

  const done = await waitFor(async () => ((await jobRow(id)).status === "SUCCEEDED" ? jobRow(id) : undefined), {
    timeoutMs: 30_000,
    what: "the other worker to run the job again and finish it",
  });
  expect(done).toMatchObject({ attempts: 2, result: { attempt: 2, pid: other.child.pid } });
  expect(runsOf(id)).toEqual([
    { attempt: 1, pid: holder.child.pid },
    { attempt: 2, pid: other.child.pid },
  ]);
  const { claims, statuses } = await eventsOf(id);
  expect(claims).toBe(2);
  expect(statuses.at(-1)).toBe("SUCCEEDED");

  // The broker redelivered the message at once, but the job moved on only once the dead
  // holder's heartbeat was older than the type's timeout plus the grace (the database's clock).
  const [{ silentMs }] = await env.sql<[{ silentMs: number }]>`
    select (extract(epoch from min(at) - ${killed.heartbeat}::timestamptz) * 1000)::float8 as "silentMs"
    from job_events where job_id = ${id} and seq > 2`;
  expect(silentMs).toBeGreaterThan(gatedBrief.timeoutMs + stalledGraceMs);

  const report = (await ledgerReport(env.sql)).find((r) => r.subject === "fence")!;
  expect(report).toMatchObject({ ledgerSum: report.balance, charged: report.succeededCost });
}, 45_000);

it("a worker whose channel dropped hands its job back when it stops: the job is not lost with the dropped redelivery", async () => {
  workers.push(await startWorker());
  const id = await submit(gated.name);
  const holder = await runnerOf(id, 1);
  const other = workers.find((worker) => worker !== holder && alive(worker))!;

  expect(await closeConnectionsOfProcess(env.vhost.name, holder.child.pid!)).toBeGreaterThan(0);
  await waitFor(() => logLines(other, (l) => l.jobId === id && l.msg.startsWith("redelivery of a RUNNING job dropped")).length > 0, {
    timeoutMs: 15_000,
    what: "the other worker to drop the redelivery",
  });

  // Stopped with the attempt still running past the grace: the holder hands the job back. Its
  // delivery's channel is gone and the redelivery was dropped, so the job needs a new message.
  holder.kill("SIGTERM");
  expect(await holder.exited).toBe(0);
  const [handedBack] = await env.sql`select status, message from job_events where job_id = ${id} order by seq desc limit 1`;
  expect(handedBack).toMatchObject({ status: "QUEUED", message: "handed back: worker shutting down" });
  openGate(id);

  const done = await waitFor(async () => ((await jobRow(id)).status === "SUCCEEDED" ? jobRow(id) : undefined), {
    timeoutMs: 15_000,
    what: "the other worker to run the handed-back job",
  });
  // A handed-back attempt does not count.
  expect(done).toMatchObject({ attempts: 1, result: { attempt: 1, pid: other.child.pid } });
  expect(runsOf(id)).toEqual([
    { attempt: 1, pid: holder.child.pid },
    { attempt: 1, pid: other.child.pid },
  ]);
  await waitFor(async () => (await queueDepthIncludingUnacked(env.vhost.name, workQueueName(gated.name))) === 0 || undefined, {
    what: "no message left for the job",
  });
}, 45_000);
