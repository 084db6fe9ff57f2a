import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import type { Logger } from "pino";
import { GraphQLError, getOperationAST, type GraphQLFormattedError } from "graphql";
import type { YogaServerInstance } from "graphql-yoga";
import type { Context, SubscribePayload } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import { WebSocket, WebSocketServer } from "ws";
import type { Limits } from "../../config.js";
import type { Metrics } from "../../observability/metrics.js";
import type { GraphQLContext, Viewer } from "../../schema/context.js";
import type { SubscriptionSlots } from "./subscription-slots.js";
import { createSocketLimits } from "./socket-limits.js";
import { createSocketOperations, type SocketOperations } from "./socket-operations.js";

export interface GraphQLWsDeps<TContext extends GraphQLContext> {
  server: Server;
  path: string;
  /** Parse, validate, execute and subscribe come from yoga's plugins, so every document limit holds here too. */
  yoga: YogaServerInstance<any, TContext>;
  /** A request's context; on a socket, every operation gets the viewer resolved at connection_init. */
  contextFor: (authorization: string | null, requestId: string, viewer?: Promise<Viewer>) => TContext;
  subscriptionSlots: SubscriptionSlots;
  limits: Limits;
  /** Close reasons say "Internal server error" rather than the error's message (graphql-ws's isProd). */
  production: boolean;
  metrics: Metrics;
  log: Logger;
}

/**
 * graphql-ws on the HTTP server, with the WebSocket limits: messages up to
 * MAX_REQUEST_BYTES (else 1009), connection_init within
 * WS_CONNECTION_INIT_TIMEOUT_MS (else 4408), MAX_SOCKETS_PER_USER sockets
 * per user (else 4429 after connection_init), the socket closed with 4403
 * when its token expires, and MAX_SUBSCRIPTIONS_PER_SOCKET operations per
 * socket (else TOO_MANY_SUBSCRIPTIONS on that subscribe). The token is
 * checked once, at connection_init, and that answer serves every operation
 * of the socket. A socket whose token does not verify is kept, up to
 * MAX_ANONYMOUS_SOCKETS per process (else 4429): its operations answer
 * UNAUTHENTICATED. One whose token could not be checked (the database
 * failed) is closed with 1013 (try again later), which clients retry.
 */
export function attachGraphQLWs<TContext extends GraphQLContext>(deps: GraphQLWsDeps<TContext>) {
  const socketLimits = createSocketLimits(deps.limits);
  const authorizationOf = (params: Record<string, unknown> | undefined) => {
    const authorization = params?.authorization;
    return typeof authorization === "string" ? authorization : null;
  };

  // Past maxPayload, ws closes the socket with 1009 before the message is buffered whole.
  // One message per turn of the event loop: thousands sent in a burst would otherwise be
  // handled in one go, and /readyz and every other socket would wait for all of them.
  const wsServer = new WebSocketServer({ server: deps.server, path: deps.path, maxPayload: deps.limits.maxRequestBytes, allowSynchronousEvents: false });
  const handle = useServer<Record<string, unknown>, SocketExtra>(
    {
      isProd: deps.production,
      connectionInitWaitTimeout: deps.limits.wsConnectionInitTimeoutMs,
      execute: (args) => (args.rootValue as { execute: typeof import("graphql").execute }).execute(args),
      subscribe: (args) => (args.rootValue as { subscribe: typeof import("graphql").subscribe }).subscribe(args),
      onConnect: async (ctx) => {
        const { socket } = ctx.extra;
        const viewer = deps.contextFor(authorizationOf(ctx.connectionParams), randomUUID()).viewer();
        let verified: Viewer | null;
        try {
          verified = await viewer;
        } catch (error) {
          if (!(error instanceof GraphQLError)) {
            // Not the token's fault: better no socket than one whose operations all answer UNAUTHENTICATED.
            deps.log.error({ err: error }, "could not check a WebSocket's token: closed it with 1013");
            socket.close(internalErrorCloseCode, "Try again later");
            return false;
          }
          verified = null;
        }
        // Closed while the token was checked: nothing to count.
        if (socket.readyState !== WebSocket.OPEN) return false;
        const admitted = verified ? socketLimits.admit(socket, verified.user.id, verified.expiresAt) : socketLimits.admitAnonymous(socket);
        if (!admitted) return false;
        ctx.extra.session = { viewer, operations: createSocketOperations() };
        return true;
      },
      onClose: async (ctx) => {
        socketLimits.release(ctx.extra.socket);
        await ctx.extra.session?.operations.closeAll();
      },
      // Yoga's `http` extension (a status for HTTP answers) means nothing on a socket.
      onError: (_ctx, _id, _payload, errors) => errors.map(formatForSocket),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: result.errors.map(formatForSocket) } : undefined),
      onSubscribe: async (ctx, _id, payload) => {
        // Set at connection_init: graphql-ws takes no subscribe before it acknowledged the socket.
        const { operations, viewer } = ctx.extra.session!;
        const tooMany = socketLimits.operationLimitError(operations.open + 1);
        if (tooMany) return [tooMany];
        operations.preparing();
        try {
          const prepared = await prepareOperation(ctx, payload, viewer);
          if (Array.isArray(prepared)) operations.abandoned();
          return prepared;
        } catch (error) {
          operations.abandoned();
          throw error;
        }
      },
      // Every stream is counted by the socket's operations until it ends (see socket-operations.ts).
      onOperation: (ctx, _id, _payload, _args, result) => ctx.extra.session!.operations.started(result) as typeof result,
    },
    wsServer,
  );

  /** The arguments of one operation, or the errors that answer it instead. */
  async function prepareOperation(ctx: Context<Record<string, unknown>, SocketExtra>, payload: SubscribePayload, viewer: Promise<Viewer>) {
    const requestId = randomUUID();
    const { schema, execute, subscribe, parse, validate } = deps.yoga.getEnveloped({
      ...ctx,
      req: ctx.extra.request,
      socket: ctx.extra.socket,
      params: payload,
      requestId,
    });
    let document;
    try {
      // The enveloped parse checks MAX_QUERY_TOKENS first (document-size.ts), as over HTTP.
      document = parse(payload.query);
    } catch (error) {
      // A syntax error answers this operation only, not the whole socket.
      if (error instanceof GraphQLError) return [withDefaultCode(error, "GRAPHQL_PARSE_FAILED")];
      throw error;
    }
    const args = {
      schema,
      operationName: payload.operationName,
      document,
      variableValues: payload.variables,
      contextValue: deps.contextFor(authorizationOf(ctx.connectionParams), requestId, viewer),
      rootValue: { execute, subscribe },
    };
    let errors;
    try {
      errors = validate(args.schema, args.document);
    } catch (error) {
      // An unexpected error, masked with its request id (error-masking.ts): this operation's answer.
      if (error instanceof GraphQLError) return [error];
      throw error;
    }
    if (errors.length) return errors;
    const operation = getOperationAST(document, payload.operationName);
    if (!operation) {
      return [new GraphQLError("Could not determine what operation to execute.", { extensions: { code: "OPERATION_RESOLUTION_FAILURE" } })];
    }
    // A user out of subscription slots gets an error message, as for the per-socket cap, rather
    // than a result with errors; the resolver still takes the slot (and refuses on a race).
    if (operation.operation === "subscription") {
      const verified = await viewer.catch(() => null);
      const refused = verified && deps.subscriptionSlots.refusal(verified.user.id);
      if (refused) return [refused];
    }
    return args;
  }

  wsServer.on("connection", (socket) => {
    deps.metrics.websocketsOpen.inc();
    socket.once("close", () => deps.metrics.websocketsOpen.dec());
    // ws closes the socket itself on a protocol error (1009 for a message over maxPayload);
    // graphql-ws's listener would only print it to stderr as an "internal error".
    socket.removeAllListeners("error");
    socket.on("error", (err: Error & { code?: string }) => deps.log.info({ err: err.message, code: err.code }, "WebSocket closed on a protocol error"));
  });

  return {
    /** Closes every socket with 1001 (going away), so clients reconnect elsewhere. */
    async stop(): Promise<void> {
      for (const client of wsServer.clients) client.close(1001, "server shutting down");
      await handle.dispose();
    },
  };
}

// A type, not an interface: graphql-ws wants a Record.
type SocketExtra = {
  socket: WebSocket;
  request: IncomingMessage;
  /** Set when connection_init is accepted. */
  session?: { viewer: Promise<Viewer>; operations: SocketOperations };
};

// When a socket's token cannot be checked (a database blip, say): 1013, try again later, which
// graphql-ws clients retry, where 1011 would end them for good.
const internalErrorCloseCode = 1013;

function formatForSocket(error: GraphQLError): GraphQLFormattedError {
  const { extensions, ...formatted } = error.toJSON();
  if (!extensions) return formatted;
  const { http: _http, ...rest } = extensions;
  return { ...formatted, extensions: rest };
}

function withDefaultCode(error: GraphQLError, code: string): GraphQLError {
  if (error.extensions?.code !== undefined) return error;
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code } });
}
