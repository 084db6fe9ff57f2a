import type { Logger } from "pino";
import { startApp as startRoles } from "./app.js";
import { configProblems, type GatewayConfig, type ResolvedConfig } from "./app-config/define-config.js";
import { ConfigFileError, loadConfig } from "./app-config/load-config.js";
import { loadConfig as loadSettings, type Role } from "./config.js";
import { ensureDatabase } from "./db/ensure-database.js";
import { runMigrations } from "./db/migrate.js";
import { createLogger } from "./observability/logger.js";
import { describeConnectionError, ServiceUnavailableError } from "./service-errors.js";

export { loadConfig, ConfigFileError, type LoadConfigOptions } from "./app-config/load-config.js";
export { ConfigError } from "./config.js";
export { HandlerLoadError } from "./jobs/handler-load-error.js";
export { ServiceUnavailableError } from "./service-errors.js";
export type { GatewayConfig, ResolvedConfig } from "./app-config/define-config.js";

export interface StartOptions {
  /** The app's config, or the path of its config file. Default: `job-gateway.config.*` in `cwd` (see loadConfig). */
  config?: GatewayConfig | string;
  /** The deployment's settings (DATABASE_URL, RABBITMQ_URL, JWT_SECRET, PORT, …). Default: process.env. */
  env?: Record<string, string | undefined>;
  /** Where a config file is looked for. Default: the working directory. */
  cwd?: string;
  /** Default: a pino logger as LOG_LEVEL and LOG_FORMAT say. */
  logger?: Logger;
}

export interface Running {
  /** The port it listens on: GraphQL on a gateway, health and metrics on a worker. */
  port: number;
  /** Stops taking work, lets running attempts finish (SHUTDOWN_GRACE_MS), then releases every connection. */
  stop(): Promise<void>;
}

export interface RunningGateway extends Running {
  /** The gateway's base URL (the dashboard; GraphQL at `${url}graphql`). */
  url: string;
}

/** GraphQL, the dashboard and the ops routes; loads no handler code. */
export async function startGateway(options: StartOptions = {}): Promise<RunningGateway> {
  const { port, url, stop } = await start("gateway", options);
  return { port, url: url!, stop };
}

/** The consumers of the types it has handlers for; builds no GraphQL schema. */
export async function startWorker(options: StartOptions = {}): Promise<Running> {
  const { port, stop } = await start("worker", options);
  return { port, stop };
}

/** Both roles in one process: the way to run on a laptop. */
export async function startApp(options: StartOptions = {}): Promise<RunningGateway> {
  const { port, url, stop } = await start("all", options);
  return { port, url: url!, stop };
}

/**
 * Starts a role: checks the settings (ConfigError), reads the config
 * (ConfigFileError), creates the database on a first run and migrates it
 * (ServiceUnavailableError), then opens the connections.
 */
export async function start(role: Role, options: StartOptions): Promise<Running & { url?: string; log: Logger; shutdownGraceMs: number }> {
  const settings = loadSettings({ ...(options.env ?? process.env), ROLE: role });
  const app = await appConfigOf(options);
  const log = options.logger ?? createLogger(settings);
  await prepareDatabase(settings.databaseUrl, log);
  // Without a config file the built-in types are made from the settings (LLM_* decide the LLM types' handlers), so the roles make them.
  const builtin = typeof options.config !== "object" && app.source === null;
  const running = await startRoles({ config: settings, log, app: builtin ? undefined : app });
  const url = role === "worker" ? undefined : `http://localhost:${running.port}/`;
  return { port: running.port, url, stop: running.stop, log, shutdownGraceMs: settings.worker.shutdownGraceMs };
}

async function appConfigOf(options: StartOptions): Promise<ResolvedConfig> {
  if (typeof options.config !== "object") return loadConfig({ path: options.config, cwd: options.cwd, env: options.env });
  const problems = configProblems(options.config);
  if (problems.length > 0) throw new ConfigFileError(problems.map((problem) => `config: ${problem}`).join("\n"));
  return { jobTypes: options.config.jobTypes, handlers: options.config.handlers ?? {}, webhooks: options.config.webhooks ?? [], source: null };
}

/** Creates the database if the server has none of its name (a first run), then applies pending migrations. */
export async function prepareDatabase(databaseUrl: string, log?: Logger): Promise<void> {
  try {
    if (await ensureDatabase(databaseUrl)) log?.info({ database: new URL(databaseUrl).pathname.slice(1) }, "database created");
    await runMigrations(databaseUrl);
  } catch (error) {
    throw new ServiceUnavailableError("PostgreSQL", databaseUrl, describeConnectionError(error));
  }
}
