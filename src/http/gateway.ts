import { createServer, type Server } from "node:http";
import type { Logger } from "pino";
import type { DocumentNode } from "graphql";
import { createYoga, type YogaServerInstance } from "graphql-yoga";
import type { Config, Limits } from "../config.js";
import type { Metrics } from "../observability/metrics.js";
import { schema } from "../schema/index.js";
import type { GraphQLContext } from "../schema/context.js";
import type { SubscriptionSlots } from "./ws/subscription-slots.js";
import type { makeContextFactory } from "./context.js";
import { corsOption, corsPlugins } from "./cors.js";
import { createDocumentCache } from "./graphql/document-cache.js";
import { useErrorMasking } from "./graphql/error-masking.js";
import { devTokenPath, handleDevTokenRoute, type DevTokenIssuer } from "./routes/dev-token-route.js";
import { graphiqlOptions } from "./graphql/graphiql-options.js";
import { documentLimitPlugins } from "./graphql/document-limits.js";
import { attachGraphQLWs } from "./ws/graphql-ws-server.js";
import { useAuthorizeMutationFirst } from "./graphql/authorize-mutation-first.js";
import type { MetricsAccess } from "./routes/metrics-access.js";
import { handleOpsRoute, isOpsRoute, type ReadinessCheck } from "./routes/ops-routes.js";
import { useQueryParamsJsonError } from "./graphql/query-params-json.js";
import { requestIdFrom } from "./request-id.js";
import { limitBodyStream, refuseOversizedRequest } from "./request-limits.js";
import { commonSecurityHeaders } from "./security-headers.js";
import type { DashboardRoutes } from "./routes/dashboard-routes.js";
import type { UploadRoutes } from "./routes/upload-routes.js";
import type { ArtifactRoute } from "./routes/artifact-route.js";
import { useUnsupportedMediaTypeError } from "./graphql/unsupported-media-type.js";
import { useOperationMetrics } from "./graphql/operation-metrics.js";

export interface GatewayDeps {
  makeContext: ReturnType<typeof makeContextFactory>;
  /** The same slots the contexts count subscriptions in; a closing socket releases its own. */
  subscriptionSlots: SubscriptionSlots;
  log: Logger;
  production: boolean;
  metrics: Metrics;
  readiness: ReadinessCheck[];
  limits: Limits;
  http: Config["http"];
  /** How /metrics is served on this port; null answers 404 (see planMetrics). */
  publicMetrics: MetricsAccess | null;
  /** Development sign-in (`/dev/token`, GraphiQL's prefilled token); null outside development: 404. */
  devTokens: DevTokenIssuer | null;
  /** Resumable uploads (tus) at `/uploads`; null: this gateway takes none (404). */
  uploads: UploadRoutes | null;
  /** Artifact downloads through the gateway's signed links (`/artifacts/<id>?expires=…&sig=…`). */
  artifacts: ArtifactRoute;
  /** The dashboard at `/` (dist/web), with the CSP its file origins need. */
  dashboard: DashboardRoutes;
}

/** What the Node handler hands yoga with each request. */
export interface ServerContext {
  requestId: string;
}

export const graphqlPath = "/graphql";

// How long a stopping gateway waits for requests in flight; SSE streams never end by themselves.
const requestDrainMs = 2_000;

// Parsed documents kept for reuse, bounded by their text (see createDocumentCache).
const documentCacheLimits = { maxEntries: 1_024, maxTotalChars: 16 * 1024 * 1024, maxKeyChars: 100_000 };

/**
 * One HTTP server: GraphQL over POST, GET and SSE (yoga), graphql-ws on the
 * same path, the dashboard at `/` (built into dist/web), artifact downloads at `/artifacts/`, and the health and metrics routes.
 * Every limit on a request, a document, a socket or a user's subscriptions
 * is checked here or in the plugins it installs, before anything runs.
 */
export function createGateway(deps: GatewayDeps) {
  const { subscriptionSlots } = deps;
  const contextFor = deps.makeContext;

  const yoga: YogaServerInstance<ServerContext, GraphQLContext> = createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: graphqlPath,
    graphiql: graphiqlOptions({ production: deps.production, devTokens: deps.devTokens }),
    // A fallback: useErrorMasking answers execution errors (with a request id) before yoga's masking sees them.
    maskedErrors: deps.production,
    landingPage: false,
    // GraphiQL bundled in the package, not loaded from a CDN: it works on a machine without internet.
    // Its bundle holds about 35 MB of a gateway's heap once imported: imported on the first GraphiQL
    // page, so a gateway nobody opens it on (and every production one: no GraphiQL) never carries it.
    renderGraphiQL: async (options) => (await import("@graphql-yoga/render-graphiql")).renderGraphiQL(options),
    cors: corsOption(deps.http.corsOrigins),
    parserAndValidationCache: {
      documentCache: createDocumentCache<DocumentNode>(documentCacheLimits),
      errorCache: createDocumentCache<unknown>(documentCacheLimits),
    },
    plugins: [
      useOperationMetrics(deps.metrics),
      ...corsPlugins(deps.http.corsOrigins),
      useUnsupportedMediaTypeError(),
      useQueryParamsJsonError(),
      ...documentLimitPlugins(deps.limits, { introspection: deps.http.introspection }),
      useAuthorizeMutationFirst(),
      // After the document limits: its parse and validate wrappers are then the outer ones.
      useErrorMasking({ production: deps.production, log: deps.log }),
    ],
    logging: {
      debug: (...args) => deps.log.debug(args.map(String).join(" ")),
      info: (...args) => deps.log.info(args.map(String).join(" ")),
      warn: (...args) => deps.log.warn(args.map(String).join(" ")),
      error: (...args) => deps.log.error({ err: args.find((a) => a instanceof Error) }, args.map(String).join(" ")),
    },
    context: ({ request, requestId }) => contextFor(request.headers.get("authorization"), requestId),
  });

  const { dashboard } = deps;
  const server: Server = createServer(async (req, res) => {
    try {
      const requestId = requestIdFrom(req.headers["x-request-id"]);
      res.setHeader("x-request-id", requestId);
      for (const [name, value] of Object.entries(commonSecurityHeaders)) res.setHeader(name, value);
      // Ahead of the request size limit: an upload's PATCH streams up to MAX_UPLOAD_BYTES into the store.
      const uploadPath = (req.url ?? "/").split("?")[0]!;
      if (deps.uploads?.handles(uploadPath)) {
        await deps.uploads.serve(req, res, uploadPath, requestId);
        return;
      }
      if (refuseOversizedRequest(req, res, deps.limits.maxRequestBytes)) return;
      if (isOpsRoute(req.url) && (await handleOpsRoute(req, res, { registry: deps.metrics.registry, readiness: deps.readiness, metrics: deps.publicMetrics }))) {
        return;
      }
      const path = (req.url ?? "/").split("?")[0]!;
      if (deps.artifacts.handles(path)) {
        await deps.artifacts.serve(req, res, new URL(req.url ?? "/", "http://gateway"));
        return;
      }
      if (dashboard.handles(path)) {
        await dashboard.serve(req, res, path);
        return;
      }
      if (path === devTokenPath && deps.devTokens) {
        await handleDevTokenRoute(req, res, deps.devTokens, deps.log);
        return;
      }
      limitBodyStream(req, deps.limits.maxRequestBytes);
      // yoga's own listener: handleNodeRequestAndResponse hangs on Node 20.
      await yoga(req, res, { requestId });
    } catch (err) {
      deps.log.error({ err }, "request failed");
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });

  const ws = attachGraphQLWs({
    server,
    path: graphqlPath,
    yoga,
    contextFor,
    subscriptionSlots,
    limits: deps.limits,
    production: deps.production,
    metrics: deps.metrics,
    log: deps.log,
  });

  return {
    server,
    yoga,
    listen(port: number): Promise<number> {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, () => {
          const address = server.address();
          resolve(typeof address === "object" && address ? address.port : port);
        });
      });
    },
    /** Closes WebSockets with 1001 (going away) so clients reconnect elsewhere, then the server. */
    async stop(): Promise<void> {
      await ws.stop();
      // Requests in flight (a submit that already charged) get their answer;
      // idle keep-alive sockets and long-lived SSE streams are closed.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = setTimeout(() => server.closeAllConnections(), requestDrainMs);
      await closed;
      clearTimeout(deadline);
    },
  };
}

export type Gateway = ReturnType<typeof createGateway>;
