import type { Role } from "../config.js";
import { ConfigError } from "../config.js";
import { ConfigFileError } from "../app-config/load-config.js";
import { HandlerLoadError } from "../jobs/handler-load-error.js";
import { ServiceUnavailableError } from "../service-errors.js";
import { start } from "../server.js";

const roles = new Set<Role>(["all", "gateway", "worker"]);

/**
 * `job-gateway start` and `npm start`: runs the role named by `role` (or
 * ROLE) until SIGTERM or SIGINT, then shuts down gracefully. A problem at
 * start is one line on stderr and exit code 1.
 */
export async function runStart(options: { role?: string; config?: string } = {}): Promise<void> {
  const role = options.role ?? process.env.ROLE ?? "all";
  if (!roles.has(role as Role)) {
    console.error(`configuration: role must be all, gateway or worker (got "${role}")`);
    process.exit(2);
  }
  let running;
  try {
    running = await start(role as Role, { config: options.config });
  } catch (error) {
    if (error instanceof ConfigError) for (const problem of error.problems) console.error(problem);
    else if (error instanceof ConfigFileError || error instanceof ServiceUnavailableError || error instanceof HandlerLoadError) console.error(error.message);
    else console.error("start-up failed:", error);
    process.exit(1);
  }
  let stopping = false;
  const { log, shutdownGraceMs, stop } = running;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, graceMs: shutdownGraceMs }, "shutting down");
    await stop();
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}
