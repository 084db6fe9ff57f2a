import type { Logger } from "pino";
import type { Config } from "./config.js";
import type { GatewayConfig } from "./app-config/define-config.js";
import { planMetrics } from "./http/routes/metrics-access.js";
import { createProbeServer } from "./http/probe-server.js";
import { builtinTypesOff, makeBuiltinConfig } from "./jobs/builtin.js";
import { enabledJobTypes, makeJobTypeRegistry } from "./jobs/index.js";
import { startupLine } from "./observability/startup-line.js";
import { createCoreResources } from "./roles/core-resources.js";
import { createReleasers } from "./roles/releasers.js";

export interface AppOptions {
  /** The deployment's settings, from the environment (config.ts). */
  config: Config;
  log: Logger;
  /** The app's job types, handlers and webhooks (its config file). Default: the built-in example types, as the settings make them (LLM_*). */
  app?: GatewayConfig;
  /** How long to wait for RabbitMQ at start. Default 10 s. */
  brokerConnectTimeoutMs?: number;
}

/**
 * Opens the connections the role needs and starts it. Resources are released
 * in reverse order of creation by `stop()` (and if start-up fails half-way).
 * Each role's code is imported only when the process runs it: a gateway
 * loads no consumer or handler code, a worker builds no GraphQL schema.
 */
export async function startApp(options: AppOptions) {
  const { config, log } = options;
  const app = options.app ?? makeBuiltinConfig(config);
  const typesOff = options.app ? null : builtinTypesOff(config);
  const releasers = createReleasers(log);

  try {
    const registry = makeJobTypeRegistry(enabledJobTypes(config.nodeEnv, app.jobTypes));
    const core = await createCoreResources({
      config,
      log,
      registry,
      releasers,
      brokerConnectTimeoutMs: options.brokerConnectTimeoutMs ?? 10_000,
      webhooks: app.webhooks ?? [],
    });

    let servedTypes = registry.list.map((t) => t.name);
    let consumers = null;
    if (config.role !== "gateway") {
      const { startWorkerRole } = await import("./roles/worker-role.js");
      const worker = await startWorkerRole({ config, log, registry, handlerSources: app.handlers ?? {}, core, releasers });
      consumers = worker.consumers;
      if (config.role === "worker") servedTypes = worker.servedTypes;
    }

    const production = config.nodeEnv === "production";
    const metricsPlan = planMetrics(config.http, production);
    let port: number;
    let gateway = null;
    let devSignIn = false;
    if (config.role !== "worker") {
      const { startGatewayRole } = await import("./roles/gateway-role.js");
      const started = await startGatewayRole({ config, log, registry, core, releasers, publicMetrics: metricsPlan.publicPort });
      ({ gateway, port, devSignIn } = started);
    } else {
      const probe = createProbeServer({ registry: core.metrics.registry, readiness: core.readiness, metrics: metricsPlan.publicPort });
      port = await probe.listen(config.port);
      releasers.push(() => probe.stop());
    }

    let metricsPort: number | null = null;
    if (metricsPlan.separate) {
      const metricsServer = createProbeServer({ registry: core.metrics.registry, readiness: null, metrics: metricsPlan.separate });
      metricsPort = await metricsServer.listen(metricsPlan.separate.port);
      releasers.push(() => metricsServer.stop());
    }
    if (metricsPlan.warning) log.warn(metricsPlan.warning);

    const started = startupLine({
      role: config.role,
      production,
      port,
      metricsPort,
      metricsOnPort: metricsPlan.publicPort !== null,
      jobTypes: servedTypes,
    });
    log.info(started.fields, started.msg);
    if (typesOff) log.warn(typesOff);
    if (devSignIn) log.warn("development sign-in is on: anyone who can reach this port can sign in as any user, including an admin (set JWT_SECRET to turn it off)");
    return { port, metricsPort, gateway, consumers, db: core.db, stop: () => releasers.releaseAll() };
  } catch (error) {
    await releasers.releaseAll();
    throw error;
  }
}

export type App = Awaited<ReturnType<typeof startApp>>;
