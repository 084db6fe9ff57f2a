import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";

export interface ReadinessCheck {
  name: string;
  check: () => Promise<boolean> | boolean;
}

const opsPaths = new Set(["/healthz", "/readyz", "/metrics"]);

/** True for the paths `handleOpsRoute` serves. */
export const isOpsRoute = (url: string | undefined) => opsPaths.has((url ?? "/").split("?")[0]!);

/**
 * /healthz (the process is up), /readyz (its services answer) and /metrics.
 * Returns false for any other path.
 */
export async function handleOpsRoute(
  req: IncomingMessage,
  res: ServerResponse,
  deps: { registry: Registry; readiness: ReadinessCheck[] },
): Promise<boolean> {
  const path = (req.url ?? "/").split("?")[0];
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  if (path === "/healthz") {
    send(res, 200, "application/json", JSON.stringify({ status: "ok" }));
    return true;
  }
  if (path === "/readyz") {
    const results = await Promise.all(
      deps.readiness.map(async ({ name, check }) => [name, await Promise.resolve(check()).catch(() => false)] as const),
    );
    const ready = results.every(([, ok]) => ok);
    send(res, ready ? 200 : 503, "application/json", JSON.stringify({ status: ready ? "ready" : "not ready", checks: Object.fromEntries(results) }));
    return true;
  }
  if (path === "/metrics") {
    send(res, 200, deps.registry.contentType, await deps.registry.metrics());
    return true;
  }
  return false;
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { "content-type": contentType, "cache-control": "no-store" });
  res.end(body);
}
