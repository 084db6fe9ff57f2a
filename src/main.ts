import { startApp } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { runMigrations } from "./db/migrate.js";
import { createLogger } from "./observability/logger.js";
import { ServiceUnavailableError, describeConnectionError } from "./service-errors.js";

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  for (const problem of error.problems) console.error(problem);
  process.exit(1);
}

const log = createLogger(config);

try {
  await runMigrations(config.databaseUrl).catch((err: unknown) => {
    throw new ServiceUnavailableError("PostgreSQL", config.databaseUrl, describeConnectionError(err));
  });
  const app = await startApp({ config, log });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, graceMs: config.shutdownGraceMs }, "shutting down");
    await app.stop();
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
} catch (error) {
  if (error instanceof ServiceUnavailableError) {
    console.error(error.message);
  } else {
    log.fatal({ err: error }, "start-up failed");
  }
  process.exit(1);
}
