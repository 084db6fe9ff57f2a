import { pino } from "pino";
import { startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { builtinJobTypes } from "../../src/jobs/builtin.js";
import { testAppConfig } from "./job-types.js";
import { chaosWork } from "./chaos-job-type.js";

// A worker process like src/main.ts, serving the test-only chaos job type too.
const config = loadConfig(process.env);
const log = pino({ level: config.logLevel, base: { role: config.role, pid: process.pid } });
const app = await startApp({ config, log, app: testAppConfig([...builtinJobTypes, chaosWork]) });
const shutdown = async () => {
  await app.stop();
  process.exit(0);
};
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
