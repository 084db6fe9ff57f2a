import { loadConfig } from "../config.js";
import { prepareDatabase } from "../server.js";

/** Creates the database on a first run and applies pending migrations; the exit code. */
export async function runMigrate(): Promise<number> {
  const config = loadConfig(process.env);
  await prepareDatabase(config.databaseUrl);
  console.log("migrations applied");
  return 0;
}
