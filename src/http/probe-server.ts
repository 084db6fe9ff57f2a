import { createServer } from "node:http";
import { handleOpsRoute, type OpsRouteDeps } from "./routes/ops-routes.js";
import { commonSecurityHeaders } from "./security-headers.js";

/**
 * A small HTTP server for the ops routes only: a worker's /healthz, /readyz
 * and /metrics, or /metrics alone on METRICS_PORT.
 */
export function createProbeServer(deps: OpsRouteDeps) {
  const server = createServer(async (req, res) => {
    try {
      if (await handleOpsRoute(req, res, deps)) return;
      res.writeHead(404, { ...commonSecurityHeaders, "content-type": "text/plain" });
      res.end(`not found: this port serves ${deps.readiness ? "/healthz, /readyz and " : ""}/metrics\n`);
    } catch {
      // An unhandled rejection here would end the process.
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
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
