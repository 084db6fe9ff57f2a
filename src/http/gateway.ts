import { createServer, type Server } from "node:http";
import type { Logger } from "pino";
import { GraphQLError } from "graphql";
import { createYoga, type YogaServerInstance } from "graphql-yoga";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { schema } from "../schema/index.js";
import type { GraphQLContext } from "../schema/context.js";
import { progressPageHtml } from "../web/progress-page.js";
import { handleOpsRoute, isOpsRoute, type ReadinessCheck } from "./ops-routes.js";
import type { makeContextFactory } from "./context.js";
import type { Registry } from "prom-client";

export interface GatewayDeps {
  makeContext: ReturnType<typeof makeContextFactory>;
  log: Logger;
  production: boolean;
  metricsRegistry: Registry;
  readiness: ReadinessCheck[];
}

export const graphqlPath = "/graphql";

// How long a stopping gateway waits for requests in flight; SSE streams never end by themselves.
const requestDrainMs = 2_000;

/**
 * One HTTP server: GraphQL over POST, GET and SSE (yoga), graphql-ws on the
 * same path, the progress page at `/`, and the health and metrics routes.
 */
export function createGateway(deps: GatewayDeps) {
  const yoga: YogaServerInstance<Record<string, unknown>, GraphQLContext> = createYoga({
    schema,
    graphqlEndpoint: graphqlPath,
    graphiql: deps.production
      ? false
      : { title: "Job gateway", headers: JSON.stringify({ Authorization: "Bearer <npm run token -- --sub alice>" }, null, 2) },
    maskedErrors: deps.production,
    landingPage: false,
    logging: {
      debug: (...args) => deps.log.debug(args.map(String).join(" ")),
      info: (...args) => deps.log.info(args.map(String).join(" ")),
      warn: (...args) => deps.log.warn(args.map(String).join(" ")),
      error: (...args) => deps.log.error({ err: args.find((a) => a instanceof Error) }, args.map(String).join(" ")),
    },
    context: ({ request }) => deps.makeContext(request.headers.get("authorization"), request.headers.get("x-request-id") ?? crypto.randomUUID()),
  });

  const server: Server = createServer(async (req, res) => {
    try {
      if (isOpsRoute(req.url)) {
        await handleOpsRoute(req, res, { registry: deps.metricsRegistry, readiness: deps.readiness });
        return;
      }
      const path = (req.url ?? "/").split("?")[0];
      if (path === "/" && (req.method === "GET" || req.method === "HEAD")) {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(progressPageHtml);
        return;
      }
      // yoga's own listener: handleNodeRequestAndResponse hangs on Node 20.
      await yoga(req, res);
    } catch (err) {
      deps.log.error({ err }, "request failed");
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });

  const wsServer = new WebSocketServer({ server, path: graphqlPath });
  const wsHandle = useServer(
    {
      execute: (args) => (args.rootValue as { execute: typeof import("graphql").execute }).execute(args),
      subscribe: (args) => (args.rootValue as { subscribe: typeof import("graphql").subscribe }).subscribe(args),
      onSubscribe: async (ctx, _id, payload) => {
        const { schema: enveloped, execute, subscribe, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
        });
        const authorization = ctx.connectionParams?.authorization;
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          // A syntax error answers this operation only, not the whole socket.
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const args = {
          schema: enveloped,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: deps.makeContext(typeof authorization === "string" ? authorization : null, crypto.randomUUID()),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        if (errors.length) return errors;
        return args;
      },
    },
    wsServer,
  );

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
      for (const client of wsServer.clients) client.close(1001, "server shutting down");
      await wsHandle.dispose();
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
