import { ConfigError, loadConfig } from "../config.js";
import { describeConnectionError } from "../service-errors.js";
import { runMigrations } from "./migrate.js";

// npm run db:migrate: applies pending migrations and exits.
try {
  const config = loadConfig(process.env);
  await runMigrations(config.databaseUrl);
  console.log("migrations applied");
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `migration failed: ${describeConnectionError(error)}`);
  process.exit(1);
}
