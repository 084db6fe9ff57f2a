import type { Logger } from "pino";
import type { Config } from "./config.js";
import { createBrokerAdmin } from "./broker/broker-admin.js";
import { createBrokerConnection } from "./broker/connection.js";
import { declareTopology } from "./broker/declare-topology.js";
import { createJobPublisher } from "./broker/publisher.js";
import { makeTopology } from "./broker/topology.js";
import { startConsumers } from "./consumers/runtime.js";
import { startStalledJobSweeper } from "./consumers/stalled-job-sweeper.js";
import { createDb, createDedicatedConnection } from "./db/client.js";
import { createJobEventListener } from "./events/job-event-listener.js";
import { createJobHintPublisher } from "./events/job-hint-publisher.js";
import { createStreamReads } from "./events/stream-reads.js";
import { createKnownUsers } from "./auth/known-users.js";
import { makeTokenVerifier } from "./auth/token-verifier.js";
import { makeContextFactory } from "./http/context.js";
import { devTokenIssuer } from "./http/dev-token-route.js";
import { createGateway } from "./http/gateway.js";
import { planMetrics } from "./http/metrics-access.js";
import type { ReadinessCheck } from "./http/ops-routes.js";
import { createProbeServer } from "./http/probe-server.js";
import { enabledJobTypes, makeJobTypeRegistry, type JobType } from "./jobs/index.js";
import { createMetrics } from "./observability/metrics.js";
import { createQueueDepths } from "./observability/queue-depths.js";
import { registerQueueGauges } from "./observability/queue-gauges.js";
import { startupLine } from "./observability/startup-line.js";
import { createJobDispatcher } from "./outbox/dispatch-job.js";
import { startOutboxRelay } from "./outbox/relay.js";
import { describeConnectionError, ServiceUnavailableError } from "./service-errors.js";

export interface AppOptions {
  config: Config;
  log: Logger;
  /** Overrides the job types (tests); default: those enabled for NODE_ENV. */
  jobTypes?: readonly JobType[];
  /** How long to wait for RabbitMQ at start. Default 10 s. */
  brokerConnectTimeoutMs?: number;
}

/**
 * Opens the connections the role needs and starts it. Resources are released
 * in reverse order of creation by `stop()` (and if start-up fails half-way).
 */
export async function startApp(options: AppOptions) {
  const { config, log } = options;
  const releasers: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const release of [...releasers].reverse()) {
      await release().catch((err: Error) => log.warn({ err: err.message }, "error while stopping"));
    }
  };

  try {
    const registry = makeJobTypeRegistry(options.jobTypes ?? enabledJobTypes(config.nodeEnv));
    const metrics = createMetrics();

    const database = createDb(config.databaseUrl, {
      max: config.databasePoolSize,
      applicationName: `job-gateway-${config.role}`,
      preparedStatements: config.databasePreparedStatements,
    });
    releasers.push(database.close);
    await database.sql`select 1`.catch((err: unknown) => {
      throw new ServiceUnavailableError("PostgreSQL", config.databaseUrl, describeConnectionError(err));
    });

    const broker = createBrokerConnection(config.rabbitmqUrl, log);
    releasers.push(broker.close);
    await broker.connection.onConnect(options.brokerConnectTimeoutMs ?? 10_000, true).catch((err: unknown) => {
      throw new ServiceUnavailableError("RabbitMQ", config.rabbitmqUrl, describeConnectionError(broker.lastError() ?? err));
    });
    const topology = makeTopology(
      registry.list.map((t) => ({ name: t.name, backoffMs: t.backoffMs })),
      config.rabbitmqQueueType,
    );
    await declareTopology(broker.connection, topology);
    const brokerAdmin = createBrokerAdmin(broker.connection);
    // One reading per type for /metrics and the start estimates: bounded in time, so neither hangs on a broker that is away.
    const queueDepths = createQueueDepths({
      types: registry.list.map((t) => t.name),
      queueDepth: (type) => brokerAdmin.queueDepth(type),
      connected: () => broker.connection.ready,
    });
    registerQueueGauges(metrics.registry, queueDepths);

    const publisher = createJobPublisher(broker.connection);
    releasers.push(publisher.close);
    const events = await createJobEventListener(database.sql, log, { pollMs: config.streamPollMs });
    releasers.push(events.close);
    // Short statements that must not wait behind the pool's work: job hints and the readiness probe.
    // Released after everything that writes jobs has stopped, before the pool closes.
    const control = createDedicatedConnection(config.databaseUrl, `job-gateway-${config.role}-control`, {
      preparedStatements: config.databasePreparedStatements,
    });
    releasers.push(control.close);
    const hints = createJobHintPublisher(control.sql, log);
    releasers.push(() => hints.flushed());

    const readiness: ReadinessCheck[] = [
      // Whether PostgreSQL answers, not whether the pool has a free connection: a busy gateway is still ready.
      { name: "postgres", check: async () => (await control.sql`select 1`, true) },
      { name: "rabbitmq", check: () => broker.connection.ready },
    ];

    let consumers: ReturnType<typeof startConsumers> | null = null;
    if (config.role !== "gateway") {
      consumers = startConsumers({
        connection: broker.connection,
        db: database.db,
        publisher,
        registry,
        topology,
        events,
        hints,
        metrics,
        log: log.child({ component: "consumer" }),
        progressMinIntervalMs: config.progressMinIntervalMs,
        heartbeatMs: config.heartbeatMs,
        shutdownGraceMs: config.shutdownGraceMs,
      });
      const running = consumers;
      releasers.push(() => running.stop());
      readiness.push({ name: "consuming", check: () => running.consuming });
      const sweeper = startStalledJobSweeper({
        db: database.db,
        hints,
        registry,
        log,
        intervalMs: config.heartbeatMs,
        graceMs: config.stalledGraceMs,
      });
      releasers.push(() => sweeper.stop());
    }

    // Every role relays: workers put re-queued stalled jobs in the outbox too.
    const relay = startOutboxRelay({ db: database.db, publisher, log, metrics, pollMs: config.outboxPollMs });
    releasers.push(() => relay.stop());

    const production = config.nodeEnv === "production";
    const metricsPlan = planMetrics(config.http, production);
    let port: number;
    let gateway: ReturnType<typeof createGateway> | null = null;
    let devSignIn = false;
    if (config.role !== "worker") {
      const dispatcher = createJobDispatcher({ db: database.db, publisher, log });
      releasers.push(() => dispatcher.drain());
      const makeContext = makeContextFactory({
        db: database.db,
        publisher,
        brokerAdmin,
        queueDepths,
        registry,
        events,
        hints,
        streamReads: createStreamReads(database.db),
        metrics,
        log,
        limits: config.limits,
        verifyToken: makeTokenVerifier({ secret: config.jwtSecret, ...config.auth }),
        knownUsers: createKnownUsers(database.db, config.startingCredits),
        dispatchJob: dispatcher.dispatch,
      });
      const devTokens = devTokenIssuer(config);
      devSignIn = devTokens !== null;
      gateway = createGateway({
        makeContext,
        log,
        production,
        metrics,
        readiness,
        limits: config.limits,
        http: config.http,
        publicMetrics: metricsPlan.publicPort,
        devTokens,
      });
      const http = gateway;
      port = await http.listen(config.port);
      // The HTTP server stops first: it is released last-in, first-out.
      releasers.push(() => http.stop());
    } else {
      const probe = createProbeServer({ registry: metrics.registry, readiness, metrics: metricsPlan.publicPort });
      port = await probe.listen(config.port);
      releasers.push(() => probe.stop());
    }

    let metricsPort: number | null = null;
    if (metricsPlan.separate) {
      const metricsServer = createProbeServer({ registry: metrics.registry, readiness: null, metrics: metricsPlan.separate });
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
      jobTypes: registry.list.map((t) => t.name),
    });
    log.info(started.fields, started.msg);
    if (devSignIn) log.warn("development sign-in is on: anyone who can reach this port can sign in as any user, including an admin (set JWT_SECRET to turn it off)");
    return { port, metricsPort, gateway, consumers, db: database.db, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export type App = Awaited<ReturnType<typeof startApp>>;
