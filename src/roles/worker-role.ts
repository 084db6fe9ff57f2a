import type { Logger } from "pino";
import type { Config } from "../config.js";
import { ConfigFileError } from "../app-config/load-config.js";
import { makeAttemptResources } from "../consumers/attempt-resources.js";
import { loadHandlers } from "../consumers/load-handlers.js";
import { startConsumers } from "../consumers/runtime.js";
import { startStalledJobSweeper } from "../consumers/stalled-job-sweeper.js";
import type { HandlerSource } from "../jobs/handler.js";
import type { JobTypeRegistry } from "../jobs/index.js";
import type { CoreResources } from "./core-resources.js";
import { makeAttemptParts } from "./attempt-parts.js";
import type { Releasers } from "./releasers.js";

/**
 * The consumers and the stalled-job sweeper. Loads the handlers (a gateway
 * never does) and builds no GraphQL schema: nothing here imports src/schema.
 */
export async function startWorkerRole(deps: {
  config: Config;
  log: Logger;
  registry: JobTypeRegistry;
  handlerSources: Readonly<Record<string, HandlerSource>>;
  core: CoreResources;
  releasers: Releasers;
}) {
  const { config, core, log, registry, releasers } = deps;
  const handlers = await loadHandlers(registry.list, deps.handlerSources);
  const unserved = registry.list.filter((type) => !handlers.has(type.name)).map((type) => type.name);
  if (handlers.size === 0 && config.role === "worker") {
    throw new ConfigFileError(`the config names no handler for any of its job types (${unserved.join(", ")}): this worker would run nothing`);
  }
  if (unserved.length > 0) log.warn({ jobTypes: unserved }, "no handler configured for these job types: this worker does not run them");

  const consumers = startConsumers({
    connection: core.connection,
    db: core.db,
    publisher: core.publisher,
    registry,
    handlers,
    topology: core.topology,
    hintListener: core.hintListener,
    hints: core.hints,
    webhooks: core.webhooks,
    metrics: core.metrics,
    log: log.child({ component: "consumer" }),
    ...config.worker,
    openResources: makeAttemptResources(makeAttemptParts({ config, core, log })),
  });
  releasers.push(() => consumers.stop());
  core.readiness.push({ name: "consuming", check: () => consumers.consuming });
  const sweeper = startStalledJobSweeper({
    db: core.db,
    hints: core.hints,
    webhooks: core.webhooks,
    registry,
    log,
    intervalMs: config.worker.heartbeatMs,
    graceMs: config.worker.stalledGraceMs,
  });
  releasers.push(() => sweeper.stop());
  return { consumers, servedTypes: [...handlers.keys()] };
}
