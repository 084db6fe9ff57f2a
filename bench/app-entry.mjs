// @ts-check
// A project process of the bench, run from the compiled build (dist/, built by `npm run build`, as
// `npm start` and the Docker image run it): started as src/main.ts starts it (the bench migrates
// the database itself), with demo.simulate's concurrency and timeout taken from
// BENCH_DEMO_CONCURRENCY and BENCH_DEMO_TIMEOUT_MS, so a worker can run hundreds of them and long
// ones fit (the gateway checks a submit's steps against the timeout). Plain JavaScript: no tsx
// loader in the measured process.
import { startApp } from "../dist/app.js";
import { loadConfig } from "../dist/config.js";
import { builtinConfig } from "../dist/jobs/builtin.js";
import { createLogger } from "../dist/observability/logger.js";

const config = loadConfig(process.env);
const log = createLogger(config);
const concurrency = Number(process.env.BENCH_DEMO_CONCURRENCY ?? "4");
const timeoutMs = Number(process.env.BENCH_DEMO_TIMEOUT_MS ?? "60000");
const jobTypes = builtinConfig.jobTypes.map((type) => (type.name === "demo.simulate" ? { ...type, concurrency, timeoutMs } : type));

const app = await startApp({ config, log, app: { ...builtinConfig, jobTypes } });
// The harness waits for this line, whatever LOG_LEVEL lets pino print.
console.log(JSON.stringify({ msg: config.role === "worker" ? "job worker started" : "job gateway started", port: app.port }));

const shutdown = async () => {
  await app.stop();
  process.exit(0);
};
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
// Orphaned (the bench died without killing it): nobody would ever stop it.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && process.exit(1), 1_000).unref();
