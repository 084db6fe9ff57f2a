import PgBoss from "pg-boss";
import postgres from "postgres";
import { emptyDatabase } from "../environment.js";
import { closedLoop, openLoop } from "../load.js";
import { startPeerWorker } from "../peer-process.js";
import type { RunContext, Sample, Scenario } from "../scenario.js";
import { waitUntil } from "../wait.js";

const tuning = { workers: 4, batchSize: 100, pollingIntervalSeconds: 0.5 };

/**
 * pg-boss 10 in the shapes of submit and pipeline, on the same PostgreSQL in
 * a database of its own: send with `inFlight` in flight, then jobs through
 * two worker processes and send→active at half rate (from its job table).
 */
export const peersPgBoss: Scenario = {
  name: "peer: pg-boss",
  settings: (sizes) => ({
    version: "10 (work() handlers get batches; teamSize is gone, concurrency comes from batchSize and several work() calls)",
    send: `boss.send one job at a time, ${sizes.inFlight} in flight, default pool (max 10, as the gateway's DATABASE_POOL_SIZE)`,
    workers: `two processes, each ${tuning.workers} work() pollers with batchSize ${tuning.batchSize}, pollingIntervalSeconds ${tuning.pollingIntervalSeconds} (the least v10 allows), no-op handler`,
    maintenance: "supervise and schedule off (no archiving or cron during the measurement)",
    jobs: sizes.pipelineJobs,
    latency: "started_on − created_on of the jobs sent at half rate",
  }),
  async run({ sizes, cleanup }: RunContext): Promise<Sample[]> {
    const url = await emptyDatabase(cleanup);
    const boss = new PgBoss({ connectionString: url, supervise: false, schedule: false });
    boss.on("error", (error) => console.error("pg-boss:", error.message));
    await boss.start();
    cleanup.add(() => boss.stop({ graceful: false, wait: true }));
    await boss.createQueue("send");
    await boss.createQueue("pipeline");
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    cleanup.add(() => sql.end({ timeout: 5 }));

    const send = await closedLoop({ workers: sizes.inFlight, durationMs: sizes.peerSendMs, operation: async () => void (await boss.send("send", {})) });

    await Promise.all([0, 1].map(() => startPeerWorker("pg-boss-worker-entry.ts", { url, queue: "pipeline", ...tuning }, cleanup)));
    const completed = async () => (await sql<[{ n: number }]>`select count(*)::int as n from pgboss.job where name = 'pipeline' and state = 'completed'`)[0].n;
    const started = Date.now();
    await closedLoop({ workers: sizes.inFlight, count: sizes.pipelineJobs, durationMs: sizes.pipelineCapMs, operation: async () => void (await boss.send("pipeline", {})) });
    const drained = await waitUntil(async () => (await completed()) >= sizes.pipelineJobs, { timeoutMs: started + sizes.pipelineCapMs - Date.now(), intervalMs: 100 });
    const [{ done, lastMs }] = await sql<[{ done: number; lastMs: number }]>`
      select count(*)::int as done, extract(epoch from max(completed_on))::float8 * 1000 as "lastMs" from pgboss.job where name = 'pipeline' and state = 'completed'`;
    const rate = drained ? done / ((lastMs - started) / 1000) : done / ((Date.now() - started) / 1000);

    const throughput: Sample[] = [
      { name: "pg-boss.send.rate", unit: "jobs/s", value: send.completed / send.seconds },
      { name: "pg-boss.pipeline.rate", unit: "jobs/s", value: rate },
      { name: "pg-boss.pipeline.capped", unit: "0/1", value: drained ? 0 : 1 },
    ];
    // Behind a backlog the half-rate jobs would measure the backlog.
    if (!drained) return throughput;

    const [{ mark }] = await sql<[{ mark: Date }]>`select now() as mark`;
    await openLoop({ ratePerSecond: rate / 2, durationMs: sizes.halfRateMs, operation: async () => void (await boss.send("pipeline", {})) });
    await waitUntil(async () => (await sql`select 1 from pgboss.job where name = 'pipeline' and created_on > ${mark} and started_on is null limit 1`).length === 0, {
      timeoutMs: 60_000,
      intervalMs: 50,
      orThrow: "pg-boss did not start the half-rate jobs within 60 s",
    });
    const [latency] = await sql<[{ p50: number; p99: number }]>`
      select percentile_disc(0.5) within group (order by ms) as p50, percentile_disc(0.99) within group (order by ms) as p99
      from (select extract(epoch from started_on - created_on)::float8 * 1000 as ms from pgboss.job where name = 'pipeline' and created_on > ${mark}) as waits`;
    return [
      ...throughput,
      { name: "pg-boss.half-rate.send-to-active.p50", unit: "ms", value: Number(latency.p50) },
      { name: "pg-boss.half-rate.send-to-active.p99", unit: "ms", value: Number(latency.p99) },
    ];
  },
};
