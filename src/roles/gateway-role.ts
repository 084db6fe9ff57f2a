import type { Logger } from "pino";
import type { Config } from "../config.js";
import { createKnownUsers } from "../auth/known-users.js";
import { cacheVerifiedTokens } from "../auth/cached-token-verifier.js";
import { makeTokenVerifier } from "../auth/token-verifier.js";
import { createStreamReads } from "../events/stream-reads.js";
import { makeArtifactLinks } from "../files/artifact-links.js";
import { makeContextFactory } from "../http/context.js";
import { devTokenIssuer } from "../http/routes/dev-token-route.js";
import { createArtifactRoute } from "../http/routes/artifact-route.js";
import { createDashboardRoutes } from "../http/routes/dashboard-routes.js";
import { createGateway } from "../http/gateway.js";
import { createUploadRoutes } from "../http/routes/upload-routes.js";
import { createUploadStore } from "../files/upload-store.js";
import { startUploadSweeper } from "../files/upload-sweeper.js";
import { createSubscriptionSlots } from "../http/ws/subscription-slots.js";
import type { MetricsAccess } from "../http/routes/metrics-access.js";
import type { JobTypeRegistry } from "../jobs/index.js";
import { createJobDispatcher } from "../outbox/dispatch-job.js";
import type { CoreResources } from "./core-resources.js";
import type { Releasers } from "./releasers.js";

/** GraphQL over HTTP and WebSocket, the dashboard and the ops routes. Loads no handler code. */
export async function startGatewayRole(deps: {
  config: Config;
  log: Logger;
  registry: JobTypeRegistry;
  core: CoreResources;
  releasers: Releasers;
  publicMetrics: MetricsAccess | null;
}) {
  const { config, core, log, releasers } = deps;
  const dispatcher = createJobDispatcher({ db: core.db, publisher: core.publisher, log });
  releasers.push(() => dispatcher.drain());
  const subscriptionSlots = createSubscriptionSlots(config.limits.maxSubscriptionsPerUser);
  // Links are absolute: PUBLIC_URL, or this gateway on localhost once it knows its port (PORT=0 picks one).
  let publicUrl = config.publicUrl;
  const artifactLinks = makeArtifactLinks({
    store: core.artifactStore,
    secret: config.artifacts.urlSecret,
    publicUrl: () => publicUrl ?? `http://localhost:${config.port}`,
  });
  const makeContext = makeContextFactory({
    db: core.db,
    subscriptionSlots,
    brokerAdmin: core.brokerAdmin,
    queueDepths: core.queueDepths,
    registry: deps.registry,
    hintListener: core.hintListener,
    hints: core.hints,
    webhooks: core.webhooks,
    streamReads: createStreamReads(core.db),
    metrics: core.metrics,
    artifactLinks,
    log,
    limits: config.limits,
    // A client's token is checked once, then remembered until its exp.
    verifyToken: cacheVerifiedTokens(makeTokenVerifier({ secret: config.jwtSecret, ...config.auth })),
    knownUsers: createKnownUsers(core.db, config.startingCredits),
    dispatchJob: dispatcher.dispatch,
  });
  // Uploads arrive at a gateway; their sweep runs where the store is written.
  const uploadStore = await createUploadStore(config);
  releasers.push(() => uploadStore.close());
  const uploadSweeper = startUploadSweeper({
    db: core.db,
    remove: (key) => uploadStore.remove(key),
    retentionMs: config.uploads.retentionMs,
    intervalMs: config.uploads.sweepMs,
    log: log.child({ component: "uploads" }),
  });
  releasers.push(() => uploadSweeper.stop());
  const devTokens = devTokenIssuer(config);
  const gateway = createGateway({
    makeContext,
    subscriptionSlots,
    log,
    production: config.nodeEnv === "production",
    metrics: core.metrics,
    readiness: core.readiness,
    limits: config.limits,
    http: config.http,
    publicMetrics: deps.publicMetrics,
    devTokens,
    uploads: createUploadRoutes({
      db: core.db,
      store: uploadStore,
      settings: config.uploads,
      corsOrigins: config.http.corsOrigins,
      publicUrl: config.publicUrl,
      callerOf: async (authorization, requestId) => ({ userId: (await makeContext(authorization, requestId).viewer()).user.id }),
      log: log.child({ component: "uploads" }),
    }),
    artifacts: createArtifactRoute({ db: core.db, store: core.artifactStore, secret: config.artifacts.urlSecret, log }),
    dashboard: createDashboardRoutes({
      log,
      files: { publicUrl: () => publicUrl ?? `http://localhost:${config.port}`, artifacts: config.artifacts, s3: config.s3 },
    }),
  });
  const port = await gateway.listen(config.port);
  publicUrl ??= `http://localhost:${port}`;
  // The HTTP server stops first: it is released last-in, first-out.
  releasers.push(() => gateway.stop());
  return { gateway, port, devSignIn: devTokens !== null };
}
