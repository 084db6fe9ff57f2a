import { pino } from "pino";
import { startApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { createDb } from "../src/db/client.js";
import { runMigrations } from "../src/db/migrate.js";
import { signAccessToken } from "../src/auth/tokens.js";
import { demoSimulate } from "../src/jobs/demo-simulate.js";
import { createTestVhost, databaseUrl, uniqueName, withAdminSql } from "../test/helpers/services.js";

// npm run bench [-- JOBS CLIENTS]: submit throughput and latency, then how fast
// one process (gateway + worker) drains the jobs, on a fresh database and vhost.
const jobs = Number(process.argv[2] ?? 2000);
const clients = Number(process.argv[3] ?? 32);
const secret = "bench-secret-0123456789abcdef0123456789";

const dbName = uniqueName("jobgw_bench");
await withAdminSql((sql) => sql.unsafe(`create database ${dbName}`));
const vhost = await createTestVhost();
const url = databaseUrl(dbName);
await runMigrations(url);
// The per-user limits stay in the path (their checks are part of what a submit costs) but never refuse.
const config = loadConfig({
  NODE_ENV: "test",
  DATABASE_URL: url,
  RABBITMQ_URL: vhost.url,
  JWT_SECRET: secret,
  PORT: "0",
  LOG_LEVEL: "silent",
  SUBMIT_BURST: String(jobs),
  MAX_UNFINISHED_JOBS: String(jobs),
});
const app = await startApp({ config, log: pino({ level: "silent" }), jobTypes: [{ ...demoSimulate, concurrency: 16 }] });
const { sql, close } = createDb(url, { max: 2 });

try {
  const tokens = await Promise.all(Array.from({ length: clients }, (_, i) => signAccessToken(secret, { sub: `bench-${i}`, expiresIn: "1h" })));
  const endpoint = `http://127.0.0.1:${app.port}/graphql`;
  const submit = (token: string) =>
    fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: `mutation { submitJob(input: { type: "demo.simulate", params: {} }) { __typename } }`,
      }),
    }).then((r) => r.json() as Promise<{ data?: { submitJob: { __typename: string } } }>);

  // Provision the users, then give each enough credits.
  await Promise.all(tokens.map((token) => fetch(endpoint, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ query: "{ me { id } }" }) })));
  await sql`update users set balance = ${jobs}`;
  await sql`insert into ledger_entries (user_id, amount, kind, reason) select id, ${jobs}, 'grant', 'bench' from users`;

  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    tokens.map(async (token) => {
      while (next < jobs) {
        next++;
        const t0 = performance.now();
        const result = await submit(token);
        latencies.push(performance.now() - t0);
        if (result.data?.submitJob.__typename !== "SubmitJobSuccess") throw new Error(JSON.stringify(result));
      }
    }),
  );
  const submitSeconds = (performance.now() - started) / 1000;
  for (;;) {
    const [{ pending }] = await sql<[{ pending: number }]>`select count(*)::int as pending from jobs where status <> 'SUCCEEDED'`;
    if (pending === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const drainSeconds = (performance.now() - started) / 1000;

  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
  console.log(`jobs ${jobs}, concurrent clients ${clients}, one process (ROLE=all), consumer concurrency 16`);
  console.log(`submitJob: ${(jobs / submitSeconds).toFixed(0)} /s; latency ms p50 ${pct(50)} p95 ${pct(95)} p99 ${pct(99)} max ${latencies.at(-1)!.toFixed(1)}`);
  console.log(`submitted to all SUCCEEDED: ${drainSeconds.toFixed(2)} s (${(jobs / drainSeconds).toFixed(0)} jobs/s end to end, 4 events each)`);
} finally {
  await close();
  await app.stop();
  await withAdminSql((admin) => admin.unsafe(`drop database if exists ${dbName} with (force)`));
  await vhost.drop();
}
