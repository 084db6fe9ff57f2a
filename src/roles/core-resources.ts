import type { Logger } from "pino";
import type { Config } from "../config.js";
import { createBrokerAdmin } from "../broker/broker-admin.js";
import { createBrokerConnection } from "../broker/connection.js";
import { declareTopology } from "../broker/declare-topology.js";
import { createJobPublisher } from "../broker/publisher.js";
import { makeTopology } from "../broker/topology.js";
import { createDb, createDedicatedConnection } from "../db/client.js";
import { createJobHintListener } from "../events/job-hint-listener.js";
import { createJobHintPublisher } from "../events/job-hint-publisher.js";
import { createUploadFiles } from "../files/upload-files.js";
import { startArtifactSweeper } from "../files/artifact-sweeper.js";
import { createArtifactStore } from "../files/create-artifact-store.js";
import type { ReadinessCheck } from "../http/routes/ops-routes.js";
import type { JobTypeRegistry } from "../jobs/index.js";
import { createMetrics } from "../observability/metrics.js";
import { createQueueDepths } from "../observability/queue-depths.js";
import { registerQueueGauges } from "../observability/queue-gauges.js";
import { startOutboxRelay } from "../outbox/relay.js";
import { describeConnectionError, ServiceUnavailableError } from "../service-errors.js";
import type { WebhookEndpoint } from "../webhooks/endpoint.js";
import { makeWebhookRouting } from "../webhooks/routing.js";
import { startWebhookSender } from "../webhooks/sender.js";
import type { Releasers } from "./releasers.js";

/**
 * What every role needs: the database pool, the broker and its topology, the
 * hint publisher and listener, metrics, the artifact store and its retention
 * sweep, the outbox relay and, with endpoints
 * configured, the webhook sender. Each resource is registered with
 * `releasers` as soon as it exists.
 */
export async function createCoreResources(deps: {
  config: Config;
  log: Logger;
  registry: JobTypeRegistry;
  releasers: Releasers;
  brokerConnectTimeoutMs: number;
  /** The app's endpoints told of finished jobs (its config's `webhooks`). */
  webhooks: readonly WebhookEndpoint[];
}) {
  const { config, log, registry, releasers } = deps;
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

  // Workers write artifacts, gateways serve and sign links to them, and both sweep them.
  const artifactStore = await createArtifactStore(config);
  releasers.push(() => artifactStore.close());

  // How a worker reads the uploads its jobs name (a download client with UPLOAD_STORE=s3).
  const uploadFiles = await createUploadFiles(config);
  releasers.push(() => uploadFiles.close());

  const broker = createBrokerConnection(config.rabbitmqUrl, log);
  releasers.push(broker.close);
  await broker.connection.onConnect(deps.brokerConnectTimeoutMs, true).catch((err: unknown) => {
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
  const hintListener = await createJobHintListener(database.sql, log, { pollMs: config.streamPollMs });
  releasers.push(hintListener.close);
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

  // Every role relays: workers put re-queued stalled jobs in the outbox too.
  const relay = startOutboxRelay({ db: database.db, publisher, log, metrics, pollMs: config.outboxPollMs });
  releasers.push(() => relay.stop());

  const artifactSweeper = startArtifactSweeper({ db: database.db, store: artifactStore, log: log.child({ component: "artifacts" }), intervalMs: config.artifacts.sweepMs });
  releasers.push(() => artifactSweeper.stop());

  // Every role sends too: deliveries are written wherever jobs finish (a worker, a gateway's cancelJob).
  const webhooks = makeWebhookRouting(deps.webhooks);
  if (deps.webhooks.length > 0) {
    const sender = startWebhookSender({
      db: database.db,
      endpoints: deps.webhooks,
      hintListener,
      log: log.child({ component: "webhooks" }),
      metrics,
      retryDelaysMs: config.webhookRetryDelaysMs,
    });
    releasers.push(() => sender.stop());
  }

  return { metrics, db: database.db, registry, uploadFiles, artifactStore, connection: broker.connection, topology, brokerAdmin, queueDepths, publisher, hintListener, hints, webhooks, readiness };
}

export type CoreResources = Awaited<ReturnType<typeof createCoreResources>>;
