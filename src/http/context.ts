import type { Logger } from "pino";
import { GraphQLError } from "graphql";
import type { BrokerAdmin } from "../broker/broker-admin.js";
import type { JobPublisher } from "../broker/publisher.js";
import type { Db } from "../db/client.js";
import { provisionUser } from "../db/queries/provision-user.js";
import type { JobEventListener } from "../events/job-event-listener.js";
import type { JobTypeRegistry } from "../jobs/index.js";
import type { Metrics } from "../observability/metrics.js";
import { InvalidTokenError, bearerToken, verifyAccessToken } from "../auth/tokens.js";
import type { GraphQLContext, Viewer } from "../schema/context.js";

export interface ContextDeps {
  db: Db;
  publisher: JobPublisher;
  brokerAdmin: BrokerAdmin;
  registry: JobTypeRegistry;
  events: JobEventListener;
  metrics: Metrics;
  log: Logger;
  jwtSecret: string;
  startingCredits: number;
  dispatchJob: GraphQLContext["dispatchJob"];
}

const unauthenticated = (message: string) => new GraphQLError(message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });

/** Builds a request's context from its `Authorization` value; the viewer is resolved once, on first use. */
export function makeContextFactory(deps: ContextDeps) {
  return (authorization: string | null | undefined, requestId: string): GraphQLContext => {
    let viewer: Promise<Viewer> | null = null;
    const resolveViewer = async (): Promise<Viewer> => {
      const token = bearerToken(authorization);
      if (!token) throw unauthenticated("authentication required: send Authorization: Bearer <token>");
      let identity;
      try {
        identity = await verifyAccessToken(deps.jwtSecret, token);
      } catch (error) {
        if (error instanceof InvalidTokenError) throw unauthenticated(error.message);
        throw error;
      }
      const user = await provisionUser(deps.db, identity, deps.startingCredits);
      const isAdmin = identity.role === "admin";
      return { user, isAdmin, ownerScope: isAdmin ? null : user.id };
    };
    return {
      db: deps.db,
      publisher: deps.publisher,
      brokerAdmin: deps.brokerAdmin,
      registry: deps.registry,
      events: deps.events,
      metrics: deps.metrics,
      log: deps.log.child({ requestId }),
      dispatchJob: deps.dispatchJob,
      viewer: () => (viewer ??= resolveViewer()),
    };
  };
}
