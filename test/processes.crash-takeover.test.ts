import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { gqlData } from "./helpers/graphql-client.js";
import { grant, ledgerReport } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { jobQuery, submitJobMutation } from "./helpers/queries.js";
import { useGatewayWithWorkers } from "./helpers/gateway-with-workers.js";
import { tokenFor } from "./helpers/test-app.js";
import { briefSimulate } from "./fixtures/crash-takeover/job-gateway.config.js";

const t = useGatewayWithWorkers({ jobTypes: [briefSimulate] });

// The database's heartbeat says who holds a job: the killed worker's job is run again only
// once its heartbeat is older than its type's timeout plus STALLED_GRACE_MS, when the killed
// attempt would have timed out even had its worker lived. crash.simulate is demo.simulate's
// steps with a 5 s timeout, so the takeover comes seconds after the kill.
const stalledGraceMs = 100;
const workerEnv = {
  HEARTBEAT_MS: "100",
  STALLED_GRACE_MS: String(stalledGraceMs),
  JOB_GATEWAY_CONFIG: fileURLToPath(new URL("./fixtures/crash-takeover/job-gateway.config.ts", import.meta.url)),
};

it("a job whose worker process is SIGKILLed mid-run is taken over by another worker once its heartbeat is stale, and succeeds, charged once", async () => {
  // Both workers run before the kill, so the broker's redelivery reaches the other one at once,
  // well before the dead holder's heartbeat goes stale, whatever a process's start takes.
  const workers = await Promise.all([t.startWorker(workerEnv), t.startWorker(workerEnv)]);
  await grant(t.env.sql, "crash", 3);
  const token = await tokenFor("crash");
  const submitted = await gqlData(
    t.gateway.url,
    submitJobMutation,
    { input: { type: briefSimulate.name, params: { steps: 20, stepMs: 100, result: "survived" } } },
    token,
  );
  const id = submitted.submitJob.job.id;

  const holderPid = await waitFor(
    async () => {
      const [row] = await t.env.sql`select status, attempts, progress, progress_message from jobs where id = ${id}`;
      const pid = /in pid (\d+)$/.exec(row!.progress_message ?? "")?.[1];
      return (row!.status === "RUNNING" && row!.attempts === 1 && row!.progress > 0 && pid !== undefined && Number(pid)) || undefined;
    },
    { timeoutMs: 10_000, what: "a worker to run the job" },
  );
  const workerA = workers.find((worker) => worker.child.pid === holderPid)!;
  const workerB = workers.find((worker) => worker !== workerA)!;
  expect(workerA).toBeDefined();

  workerA.kill("SIGKILL");
  expect(await workerA.exited).toBeNull();
  // Killed mid-attempt: nothing ended it, the row still says RUNNING.
  const [afterKill] = await t.env.sql`select status, attempts, heartbeat_at::text as heartbeat from jobs where id = ${id}`;
  expect(afterKill).toMatchObject({ status: "RUNNING", attempts: 1 });

  // The broker redelivers A's message to B at once, but A's heartbeat is still fresh: dropped.
  await waitFor(() => workerB.output.some((line) => line.includes(id) && line.includes("redelivery of a RUNNING job dropped")) || undefined, {
    timeoutMs: 15_000,
    what: "worker B to drop the redelivery of a job whose heartbeat is fresh",
  });

  const job = await waitFor(
    async () => {
      const [row] = await t.env.sql`select status, attempts, result, progress_message from jobs where id = ${id}`;
      return row!.status === "SUCCEEDED" ? row : undefined;
    },
    { timeoutMs: briefSimulate.timeoutMs + 20_000, intervalMs: 200, what: "worker B to finish the job" },
  );
  expect(job.attempts).toBe(2);
  expect(job.result).toBe("survived");
  expect(job.progress_message).toBe(`step 20 of 20 in pid ${workerB.child.pid}`);
  // The sweeper re-queued it, no sooner than its heartbeat went stale (the database's clock).
  const [{ silentMs }] = await t.env.sql<[{ silentMs: number }]>`
    select (extract(epoch from min(at) - ${afterKill!.heartbeat}::timestamptz) * 1000)::float8 as "silentMs"
    from job_events where job_id = ${id} and seq > 2 and status <> 'RUNNING'`;
  expect(silentMs).toBeGreaterThan(briefSimulate.timeoutMs + stalledGraceMs);

  const { job: seen } = await gqlData(t.gateway.url, jobQuery, { id }, token);
  expect(seen).toMatchObject({ status: "SUCCEEDED", progress: 1, error: null });
  // The takeover is a new attempt that starts over from progress 0.
  const running = seen.events.filter((e: { status: string; message: string | null }) => e.status === "RUNNING" && e.message?.startsWith("attempt "));
  expect(running.length).toBeGreaterThanOrEqual(1);
  expect(running[0].progress).toBe(0);
  expect(running[0].message).toBe("attempt 2 of 3");

  const report = (await ledgerReport(t.env.sql)).find((r) => r.subject === "crash")!;
  expect(report).toMatchObject({ balance: 2, ledgerSum: 2, charged: 1, succeededCost: 1 });
}, briefSimulate.timeoutMs + 60_000);
