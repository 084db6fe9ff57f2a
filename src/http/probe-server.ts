import { createServer } from "node:http";
import type { Registry } from "prom-client";
import { handleOpsRoute, type ReadinessCheck } from "./ops-routes.js";

/** A worker's HTTP surface: /healthz, /readyz and /metrics only. */
export function createProbeServer(deps: { registry: Registry; readiness: ReadinessCheck[] }) {
  const server = createServer(async (req, res) => {
    if (await handleOpsRoute(req, res, deps)) return;
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found: a worker serves /healthz, /readyz and /metrics\n");
  });
  return {
    server,
    listen: (port: number) =>
      new Promise<number>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, () => {
          const address = server.address();
          resolve(typeof address === "object" && address ? address.port : port);
        });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
