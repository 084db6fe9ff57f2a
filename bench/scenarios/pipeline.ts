import { appEnvironment, startBenchApp } from "../app-processes.js";
import { submittersSetup } from "../environment.js";
import { submitBody, submitJob, submitJobs, submitManyBody } from "../gateway-client.js";
import { createHttpClient } from "../http-client.js";
import { closedLoop, openLoop } from "../load.js";
import type { RunContext, Sample, Scenario } from "../scenario.js";
import type { Sizes } from "../sizes.js";
import { waitUntil } from "../wait.js";

/**
 * How the pipeline's jobs are submitted: one submitJob per request, or
 * submitJobs with up to `batch` inputs per request. Everything else (the
 * processes, the connections, the measurement) is the same.
 */
interface Shape {
  name: string;
  /** The metrics' prefix. */
  metric: string;
  /** Jobs per request: 1 is submitJob, more is submitJobs. */
  batch: (sizes: Sizes) => number;
}

const single: Shape = { name: "pipeline", metric: "pipeline", batch: () => 1 };
const batched: Shape = { name: "pipeline: batched", metric: "pipeline.batched", batch: (sizes) => sizes.submitBatch };

/**
 * demo.simulate jobs with no steps through one gateway and two worker
 * processes: jobs/s from the first submit to the last SUCCEEDED, then
 * submit→RUNNING at half that rate.
 */
export const pipeline = pipelineScenario(single);

/** The same pipeline, its jobs submitted `submitBatch` at a time through submitJobs. */
export const pipelineBatched = pipelineScenario(batched);

function pipelineScenario(shape: Shape): Scenario {
  return {
    name: shape.name,
    settings: (sizes) => ({
      processes: `one gateway (ROLE=gateway, MAX_SUBMIT_BATCH ${sizes.submitBatch}) and two workers (ROLE=worker, demo.simulate concurrency ${sizes.workerConcurrency}), LOG_LEVEL=warn`,
      jobs: sizes.pipelineJobs,
      submits:
        shape.batch(sizes) === 1
          ? "submitJob, one job per request"
          : `submitJobs, ${shape.batch(sizes)} jobs per request (${Math.ceil(sizes.pipelineJobs / shape.batch(sizes))} requests), as at half rate`,
      connections: `${sizes.inFlight} requests in flight, one user each`,
      halfRateSeconds: sizes.halfRateMs / 1000,
      capSeconds: sizes.pipelineCapMs / 1000,
      submitPhase: "jobs accepted per second from the first submit to the last answer (workers already consuming)",
      latency: "jobs.started_at - jobs.created_at of the jobs submitted at half rate",
    }),
    run: (context) => runPipeline(context, shape),
  };
}

async function runPipeline({ sizes, template, rabbitmqUrl: vhostUrl, cleanup }: RunContext, shape: Shape): Promise<Sample[]> {
  const batch = shape.batch(sizes);
  const { rabbitmqUrl, url, sql, tokens } = await submittersSetup({ template, rabbitmqUrl: vhostUrl, cleanup }, sizes.inFlight);
  const env = { ...appEnvironment(url, rabbitmqUrl), MAX_SUBMIT_BATCH: String(sizes.submitBatch) };
  const worker = { ...env, ROLE: "worker", BENCH_DEMO_CONCURRENCY: String(sizes.workerConcurrency) };
  const [gateway] = await Promise.all([
    startBenchApp({ ...env, ROLE: "gateway" }, cleanup),
    startBenchApp(worker, cleanup),
    startBenchApp(worker, cleanup),
  ]);
  const client = createHttpClient(gateway.url, sizes.inFlight);
  cleanup.add(async () => client.close());
  // Bodies built once: a full batch, and the last (smaller) one where the jobs do not divide evenly.
  const bodies = new Map<number, string>();
  const bodyOf = (count: number) => bodies.get(count) ?? (bodies.set(count, batch === 1 ? submitBody({}) : submitManyBody({}, count)), bodies.get(count)!);
  const submit = (token: string, count: number) =>
    batch === 1 ? submitJob(client, bodyOf(1), token).then(() => {}) : submitJobs(client, bodyOf(count), token, count).then(() => {});
  const succeeded = async () => (await sql<[{ n: number }]>`select count(*)::int as n from jobs where status = 'SUCCEEDED'`)[0].n;

  const requests = Math.ceil(sizes.pipelineJobs / batch);
  const sizeOf = (index: number) => Math.min(batch, sizes.pipelineJobs - index * batch);
  let accepted = 0;
  const started = Date.now();
  const submitted = await closedLoop({
    workers: sizes.inFlight,
    count: requests,
    durationMs: sizes.pipelineCapMs,
    operation: async (w, index) => {
      await submit(tokens[w]!, sizeOf(index));
      accepted += sizeOf(index);
    },
  });
  const drained = await waitUntil(async () => (await succeeded()) >= sizes.pipelineJobs, { timeoutMs: started + sizes.pipelineCapMs - Date.now(), intervalMs: 100 });
  const [{ done, lastMs }] = await sql<[{ done: number; lastMs: number }]>`
    select count(*)::int as done, extract(epoch from max(finished_at))::float8 * 1000 as "lastMs" from jobs where status = 'SUCCEEDED'`;
  // Capped (submitting and draining took longer than pipelineCapMs): the rate of what finished by then.
  const rate = drained ? done / ((lastMs - started) / 1000) : done / ((Date.now() - started) / 1000);

  const throughput: Sample[] = [
    { name: `${shape.metric}.rate`, unit: "jobs/s", value: rate },
    { name: `${shape.metric}.capped`, unit: "0/1", value: drained ? 0 : 1 },
    { name: `${shape.metric}.submit-phase`, unit: "jobs/s", value: accepted / submitted.seconds },
  ];
  // Behind a backlog the half-rate jobs would measure the backlog: let what was submitted finish first.
  const idle = await waitUntil(async () => (await sql`select 1 from jobs where status <> 'SUCCEEDED' limit 1`).length === 0, {
    timeoutMs: sizes.pipelineCapMs,
    intervalMs: 100,
  });
  if (!idle) return throughput;

  // Half the jobs/s in requests of the same size: batched, one submitJobs every batch / (rate / 2) seconds.
  const [{ mark }] = await sql<[{ mark: Date }]>`select now() as mark`;
  const half = await openLoop({ ratePerSecond: rate / 2 / batch, durationMs: sizes.halfRateMs, operation: (i) => submit(tokens[i % tokens.length]!, batch) });
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
    // Over the window at least: a quick run's half rate may be a single batch, answered well before the window ends.
    { name: `${shape.metric}.half-rate.submitted`, unit: "jobs/s", value: (half.completed * batch) / Math.max(half.seconds, sizes.halfRateMs / 1000) },
    { name: `${shape.metric}.half-rate.submit-to-running.p50`, unit: "ms", value: Number(latency.p50) },
    { name: `${shape.metric}.half-rate.submit-to-running.p99`, unit: "ms", value: Number(latency.p99) },
  ];
}
