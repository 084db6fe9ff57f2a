import type { Logger } from "pino";
import { GraphQLError } from "graphql";
import type { KnownUsers } from "../auth/known-users.js";
import { InvalidTokenError, bearerToken } from "../auth/tokens.js";
import type { TokenVerifier } from "../auth/token-verifier.js";
import type { GraphQLContext, Viewer } from "../schema/context.js";

export type ContextDeps = Omit<GraphQLContext, "viewer" | "knownViewer" | "log" | "requestId"> & {
  log: Logger;
  verifyToken: TokenVerifier;
  knownUsers: KnownUsers;
};

const unauthenticated = (message: string) => new GraphQLError(message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });

/**
 * The one place a request's context is built (HTTP, SSE and WebSocket
 * alike), from its `Authorization` value; the viewer is
 * resolved once, on first use, unless `resolvedViewer` is given (a
 * WebSocket's, resolved at connection_init, so all its operations share it).
 */
export function makeContextFactory(deps: ContextDeps) {
  return (authorization: string | null | undefined, requestId: string, resolvedViewer?: Promise<Viewer>): GraphQLContext => {
    let viewer: Promise<Viewer> | null = null;
    // Set once a viewer() of this operation resolves, for its metrics and log lines: who asked, if it needed to know.
    let known: Viewer | null = null;
    const resolveViewer = async (): Promise<Viewer> => {
      const token = bearerToken(authorization);
      if (!token) throw unauthenticated("authentication required: send Authorization: Bearer <token>");
      let identity;
      try {
        identity = await deps.verifyToken(token);
      } catch (error) {
        if (error instanceof InvalidTokenError) throw unauthenticated(error.message);
        throw error;
      }
      const user = await deps.knownUsers(identity);
      const isAdmin = identity.role === "admin";
      return { user, isAdmin, ownerScope: isAdmin ? null : user.id, expiresAt: identity.expiresAt };
    };
    return {
      db: deps.db,
      brokerAdmin: deps.brokerAdmin,
      queueDepths: deps.queueDepths,
      registry: deps.registry,
      hintListener: deps.hintListener,
      hints: deps.hints,
      webhooks: deps.webhooks,
      streamReads: deps.streamReads,
      metrics: deps.metrics,
      artifactLinks: deps.artifactLinks,
      limits: deps.limits,
      subscriptionSlots: deps.subscriptionSlots,
      requestId,
      log: deps.log.child({ requestId }),
      dispatchJob: deps.dispatchJob,
      viewer: () => {
        if (!viewer) {
          viewer = resolvedViewer ?? resolveViewer();
          // Registered before the caller awaits it, so it has run by the time the caller goes on.
          viewer.then((resolved) => (known = resolved), () => {});
        }
        return viewer;
      },
      knownViewer: () => known,
    };
  };
}
