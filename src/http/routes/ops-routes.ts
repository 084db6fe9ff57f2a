import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import { bearerToken } from "../../auth/tokens.js";
import type { MetricsAccess } from "./metrics-access.js";
import { commonSecurityHeaders } from "../security-headers.js";

export interface ReadinessCheck {
  name: string;
  check: () => Promise<boolean> | boolean;
}

export interface OpsRouteDeps {
  registry: Registry;
  /** The checks behind /readyz; null serves neither /healthz nor /readyz. */
  readiness: ReadinessCheck[] | null;
  /** How /metrics is served here; null answers 404. */
  metrics: MetricsAccess | null;
}

const opsPaths = new Set(["/healthz", "/readyz", "/metrics"]);

/** True for the paths `handleOpsRoute` answers. */
export const isOpsRoute = (url: string | undefined) => opsPaths.has((url ?? "/").split("?")[0]!);

/**
 * /healthz (the process is up), /readyz (its services answer) and /metrics.
 * Returns false for any other path or method.
 */
export async function handleOpsRoute(req: IncomingMessage, res: ServerResponse, deps: OpsRouteDeps): Promise<boolean> {
  const path = (req.url ?? "/").split("?")[0];
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  if (path === "/healthz" && deps.readiness) {
    send(res, 200, "application/json", JSON.stringify({ status: "ok" }));
    return true;
  }
  if (path === "/readyz" && deps.readiness) {
    const results = await Promise.all(
      deps.readiness.map(async ({ name, check }) => [name, await Promise.resolve(check()).catch(() => false)] as const),
    );
    const ready = results.every(([, ok]) => ok);
    send(res, ready ? 200 : 503, "application/json", JSON.stringify({ status: ready ? "ready" : "not ready", checks: Object.fromEntries(results) }));
    return true;
  }
  if (path === "/metrics") {
    if (!deps.metrics) {
      send(res, 404, "text/plain", "not found\n");
    } else if (deps.metrics.token !== null && !hasBearer(req, deps.metrics.token)) {
      res.setHeader("www-authenticate", 'Bearer realm="metrics"');
      send(res, 401, "text/plain", "unauthorized: send Authorization: Bearer <METRICS_TOKEN>\n");
    } else {
      send(res, 200, deps.registry.contentType, await deps.registry.metrics());
    }
    return true;
  }
  return false;
}

function hasBearer(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(bearerToken(req.headers.authorization) ?? "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { ...commonSecurityHeaders, "content-type": contentType, "cache-control": "no-store" });
  res.end(body);
}
