import { appEnvironment, startBenchApp } from "../app-processes.js";
import { submittersSetup } from "../environment.js";
import { submitBody, submitJob } from "../gateway-client.js";
import { createHttpClient } from "../http-client.js";
import { closedLoop, openLoop } from "../load.js";
import type { RunContext, Sample, Scenario } from "../scenario.js";
import { waitUntil } from "../wait.js";

/**
 * demo.simulate jobs with no steps through one gateway and two worker
 * processes: jobs/s from the first submit to the last SUCCEEDED, then
 * submit→RUNNING at half that rate.
 */
export const pipeline: Scenario = {
  name: "pipeline",
  settings: (sizes) => ({
    processes: `one gateway (ROLE=gateway) and two workers (ROLE=worker, demo.simulate concurrency ${sizes.workerConcurrency}), LOG_LEVEL=warn`,
    jobs: sizes.pipelineJobs,
    connections: sizes.inFlight,
    halfRateSeconds: sizes.halfRateMs / 1000,
    capSeconds: sizes.pipelineCapMs / 1000,
    latency: "jobs.started_at - jobs.created_at of the jobs submitted at half rate",
  }),
  async run({ sizes, template, rabbitmqUrl: vhostUrl, cleanup }: RunContext): Promise<Sample[]> {
    const { rabbitmqUrl, url, sql, tokens } = await submittersSetup({ template, rabbitmqUrl: vhostUrl, cleanup }, sizes.inFlight);
    const env = appEnvironment(url, rabbitmqUrl);
    const worker = { ...env, ROLE: "worker", BENCH_DEMO_CONCURRENCY: String(sizes.workerConcurrency) };
    const [gateway] = await Promise.all([
      startBenchApp({ ...env, ROLE: "gateway" }, cleanup),
      startBenchApp(worker, cleanup),
      startBenchApp(worker, cleanup),
    ]);
    const client = createHttpClient(gateway.url, sizes.inFlight);
    cleanup.add(async () => client.close());
    const body = submitBody({});
    const submitOne = (token: string) => submitJob(client, body, token).then(() => {});
    const succeeded = async () => (await sql<[{ n: number }]>`select count(*)::int as n from jobs where status = 'SUCCEEDED'`)[0].n;

    const started = Date.now();
    await closedLoop({ workers: sizes.inFlight, count: sizes.pipelineJobs, durationMs: sizes.pipelineCapMs, operation: (w) => submitOne(tokens[w]!) });
    const drained = await waitUntil(async () => (await succeeded()) >= sizes.pipelineJobs, { timeoutMs: started + sizes.pipelineCapMs - Date.now(), intervalMs: 100 });
    const [{ done, lastMs }] = await sql<[{ done: number; lastMs: number }]>`
      select count(*)::int as done, extract(epoch from max(finished_at))::float8 * 1000 as "lastMs" from jobs where status = 'SUCCEEDED'`;
    // Capped (submitting and draining took longer than pipelineCapMs): the rate of what finished by then.
    const rate = drained ? done / ((lastMs - started) / 1000) : done / ((Date.now() - started) / 1000);

    const throughput: Sample[] = [
      { name: "pipeline.rate", unit: "jobs/s", value: rate },
      { name: "pipeline.capped", unit: "0/1", value: drained ? 0 : 1 },
    ];
    // Behind a backlog the half-rate jobs would measure the backlog: let what was submitted finish first.
    const idle = await waitUntil(async () => (await sql`select 1 from jobs where status <> 'SUCCEEDED' limit 1`).length === 0, {
      timeoutMs: sizes.pipelineCapMs,
      intervalMs: 100,
    });
    if (!idle) return throughput;

    const [{ mark }] = await sql<[{ mark: Date }]>`select now() as mark`;
    const half = await openLoop({ ratePerSecond: rate / 2, durationMs: sizes.halfRateMs, operation: (i) => submitOne(tokens[i % tokens.length]!) });
    await waitUntil(async () => (await sql`select 1 from jobs where created_at > ${mark} and started_at is null limit 1`).length === 0, {
      timeoutMs: 60_000,
      intervalMs: 50,
      orThrow: "the jobs submitted at half rate did not all start within 60 s",
    });
    const [latency] = await sql<[{ p50: number; p99: number }]>`
      select percentile_disc(0.5) within group (order by ms) as p50, percentile_disc(0.99) within group (order by ms) as p99
      from (select extract(epoch from started_at - created_at)::float8 * 1000 as ms from jobs where created_at > ${mark}) as waits`;
    return [
      ...throughput,
      { name: "pipeline.half-rate.submitted", unit: "jobs/s", value: half.completed / half.seconds },
      { name: "pipeline.half-rate.submit-to-running.p50", unit: "ms", value: Number(latency.p50) },
      { name: "pipeline.half-rate.submit-to-running.p99", unit: "ms", value: Number(latency.p99) },
    ];
  },
};
