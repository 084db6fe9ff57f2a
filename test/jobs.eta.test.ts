import { afterAll, beforeAll, expect, it } from "vitest";
import { demoSimulate } from "../src/jobs/types/demo-simulate.js";
import demoSimulateHandler from "../src/jobs/handlers/demo-simulate.js";
import type { TestJobType } from "./helpers/job-types.js";
import { gqlData } from "./helpers/graphql-client.js";
import { grant } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { submitJobMutation } from "./helpers/queries.js";
import { createTestEnvironment, startTestApp, tokenFor, type TestApp, type TestEnvironment } from "./helpers/test-app.js";

// One worker process with one consumer of concurrency 1: demo.simulate has one slot.
const oneAtATime: TestJobType = { ...demoSimulate, concurrency: 1 };
// Fails its first attempt, then waits a minute before the next: RETRYING long enough to read.
const slowRetry: TestJobType = { ...demoSimulate, name: "demo.slow-retry", backoffMs: [60_000], run: demoSimulateHandler.run };
// Served by no worker: its queue has no consumer.
const unserved: TestJobType = { ...demoSimulate, name: "demo.unserved" };

// A known workload: each attempt sleeps one step of stepMs.
const stepMs = 800;
const workload = { steps: 1, stepMs };

let env: TestEnvironment;
let gateway: TestApp;
let worker: TestApp;
let token: string;

beforeAll(async () => {
  env = await createTestEnvironment();
  gateway = await startTestApp(env, { overrides: { ROLE: "gateway" }, jobTypes: [oneAtATime, slowRetry, unserved] });
  worker = await startTestApp(env, { overrides: { ROLE: "worker" }, jobTypes: [oneAtATime, slowRetry] });
  await grant(env.sql, "eta", 100);
  token = await tokenFor("eta");
});
afterAll(async () => {
  await worker?.stop();
  await gateway?.stop();
  await env?.teardown();
});

const jobsQuery = /* GraphQL */ `
  query Queue($type: String) {
    jobs(type: $type, first: 100) { edges { node { id status queuePosition estimatedStartAt nextAttemptAt } } }
  }
`;

interface QueueNode {
  id: string;
  status: string;
  queuePosition: number | null;
  estimatedStartAt: string | null;
  nextAttemptAt: string | null;
}

async function submit(type: string, params: Record<string, unknown>): Promise<string> {
  const data = await gqlData(gateway.url, submitJobMutation, { input: { type, params } }, token);
  expect(data.submitJob.__typename).toBe("SubmitJobSuccess");
  return data.submitJob.job.id;
}

/** The jobs of `ids`, in that order, as the gateway shows them now. */
async function readJobs(type: string, ids: readonly string[]): Promise<QueueNode[]> {
  const data = await gqlData(gateway.url, jobsQuery, { type }, token);
  const byId = new Map<string, QueueNode>(data.jobs.edges.map((edge: { node: QueueNode }) => [edge.node.id, edge.node]));
  return ids.map((id) => byId.get(id)!);
}

async function statusOf(id: string): Promise<{ status: string; startedAt: Date | null }> {
  const [row] = await env.sql<{ status: string; startedAt: string | null }[]>`select status, started_at as "startedAt" from jobs where id = ${id}`;
  return { status: row!.status, startedAt: row!.startedAt === null ? null : new Date(row!.startedAt) };
}

const allFinished = async (ids: readonly string[]) => {
  const [row] = await env.sql<{ n: number }[]>`select count(*)::int as n from jobs where id = any(${ids as string[]}) and status = 'SUCCEEDED'`;
  return row!.n === ids.length || undefined;
};

it("a queued job's estimatedStartAt is the running job's end plus one mean run time per job ahead, and it starts about then", async () => {
  // History: two runs of the workload, one after the other.
  const warmUp = [await submit("demo.simulate", workload), await submit("demo.simulate", workload)];
  await waitFor(() => allFinished(warmUp), { what: "the warm-up runs" });
  const [history] = await env.sql<{ meanMs: number }[]>`
    select avg(extract(epoch from finished_at - started_at) * 1000)::float8 as "meanMs" from jobs where id = any(${warmUp})`;
  const meanRunMs = history!.meanMs;
  // The history is the workload: a step of stepMs, plus a few writes.
  expect(meanRunMs).toBeGreaterThanOrEqual(stepMs);
  expect(meanRunMs).toBeLessThan(stepMs * 1.5);

  // One running, four queued behind it.
  const running = await submit("demo.simulate", workload);
  const queued: string[] = [];
  for (let k = 0; k < 4; k++) queued.push(await submit("demo.simulate", workload));
  const runningSince = await waitFor(async () => (await statusOf(running)).startedAt ?? undefined, { what: "the first job to start" });

  const jobs = await readJobs("demo.simulate", queued);
  expect(jobs.map((job) => job.status)).toEqual(["QUEUED", "QUEUED", "QUEUED", "QUEUED"]);
  expect(jobs.map((job) => job.queuePosition)).toEqual([1, 2, 3, 4]);
  const estimates = jobs.map((job) => new Date(job.estimatedStartAt!).getTime());
  // Queued job k starts when the running one has had its mean run time D, plus k - 1 runs of D:
  // runningSince + k·D, to within the gap between the database's clock read and the gateway's (50 ms).
  estimates.forEach((estimate, i) => {
    const k = i + 1;
    expect(Math.abs(estimate - (runningSince.getTime() + k * meanRunMs))).toBeLessThanOrEqual(50);
  });
  // One slot: each job waits exactly one D more than the one before (rounded to the ms).
  for (let i = 1; i < estimates.length; i++) expect(Math.abs(estimates[i]! - estimates[i - 1]! - meanRunMs)).toBeLessThanOrEqual(1);

  // And the jobs do start about then: each one's start is off its estimate by less than half a run per
  // job ahead. What the estimate leaves out is the handover between runs (ack, delivery, claim) and the
  // spread of run times; on a loaded machine a handover alone has taken 200 ms, so a fixed bound in ms
  // would measure the machine, not the estimate.
  await waitFor(() => allFinished([running, ...queued]), { what: "the queued jobs to run" });
  const started = await Promise.all(queued.map(async (id) => (await statusOf(id)).startedAt!.getTime()));
  started.forEach((actual, i) => {
    const k = i + 1;
    expect(Math.abs(actual - estimates[i]!)).toBeLessThan((k * meanRunMs) / 2);
  });
});

it("a queued job's position is 1-based, follows the queue order and never increases as the jobs ahead start, then is null", async () => {
  const ahead = 5;
  const ids: string[] = [];
  for (let k = 0; k <= ahead; k++) ids.push(await submit("demo.simulate", { steps: 1, stepMs: 250 }));
  const last = ids[ids.length - 1]!;

  const positions: (number | null)[] = [];
  for (;;) {
    const jobs = await readJobs("demo.simulate", ids);
    // One snapshot: the queued jobs hold positions 1..m, in the order they were queued.
    const held = jobs.map((job) => job.queuePosition).filter((position) => position !== null);
    expect(held).toEqual(held.map((_, i) => i + 1));
    for (const job of jobs) {
      if (job.status !== "QUEUED") expect(job.queuePosition).toBeNull();
      if (job.queuePosition !== null) expect(job.estimatedStartAt).not.toBeNull();
    }
    const lastJob = jobs[jobs.length - 1]!;
    positions.push(lastJob.queuePosition);
    // The row and the positions are two statements: a job claimed between them reads QUEUED with no position.
    if (lastJob.status !== "QUEUED" || lastJob.queuePosition === null) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  const whileQueued = positions.slice(0, -1);
  expect(positions.at(-1)).toBeNull();
  expect(whileQueued.length).toBeGreaterThan(0);
  for (const position of whileQueued) expect(position).toBeGreaterThanOrEqual(1);
  // Never increasing, from at most the jobs ahead + 1 down to (having seen) several steps.
  for (let i = 1; i < whileQueued.length; i++) expect(whileQueued[i]!).toBeLessThanOrEqual(whileQueued[i - 1]!);
  expect(whileQueued[0]!).toBeLessThanOrEqual(ahead + 1);
  expect(new Set(whileQueued).size).toBeGreaterThanOrEqual(3);
  await waitFor(() => allFinished(ids), { what: "the jobs to finish" });
  expect((await statusOf(last)).status).toBe("SUCCEEDED");
});

it("without a consumer a queued job has a position but no estimate; a RETRYING job only a next attempt time; a finished job none", async () => {
  // A history for the unserved type, so that only the missing consumer stands in the way.
  const [user] = await env.sql<{ id: string }[]>`select id from users where subject = 'eta'`;
  await env.sql`
    insert into jobs (user_id, type, status, priority, params, max_attempts, cost, attempts, started_at, finished_at)
    values (${user!.id}, 'demo.unserved', 'SUCCEEDED', 0, '{}', 3, 1, 1, now() - interval '2 seconds', now() - interval '1 second')`;
  const waiting = [await submit("demo.unserved", {}), await submit("demo.unserved", {})];
  const unservedJobs = await readJobs("demo.unserved", waiting);
  expect(unservedJobs.map((job) => [job.status, job.queuePosition, job.estimatedStartAt, job.nextAttemptAt])).toEqual([
    ["QUEUED", 1, null, null],
    ["QUEUED", 2, null, null],
  ]);

  const retrying = await submit("demo.slow-retry", { failTimes: 1 });
  await waitFor(async () => (await statusOf(retrying)).status === "RETRYING" || undefined, { what: "the job to wait for its retry" });
  const [retryingJob] = await readJobs("demo.slow-retry", [retrying]);
  expect(retryingJob).toMatchObject({ status: "RETRYING", queuePosition: null, estimatedStartAt: null });
  const nextAttemptAt = new Date(retryingJob!.nextAttemptAt!).getTime();
  expect(nextAttemptAt).toBeGreaterThan(Date.now() + 30_000);

  const done = await submit("demo.simulate", {});
  await waitFor(() => allFinished([done]), { what: "the job to finish" });
  const [doneJob] = await readJobs("demo.simulate", [done]);
  expect(doneJob).toMatchObject({ status: "SUCCEEDED", queuePosition: null, estimatedStartAt: null, nextAttemptAt: null });
});
