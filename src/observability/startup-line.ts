import type { Role } from "../config.js";

export interface StartupFacts {
  role: Role;
  production: boolean;
  port: number;
  /** The port of a METRICS_PORT server, if any. */
  metricsPort: number | null;
  /** Whether /metrics is served on `port`. */
  metricsOnPort: boolean;
  jobTypes: string[];
}

/**
 * The line a process logs once it serves: what it is and where to reach it.
 * A gateway (role all or gateway) says "job gateway started" with its URL
 * (and GraphiQL's outside production); a worker says "job worker started".
 * `port` stays a field of its own: scripts and tests read it.
 */
export function startupLine(facts: StartupFacts): { msg: string; fields: Record<string, unknown> } {
  const base = `http://localhost:${facts.port}`;
  const metrics = facts.metricsPort !== null ? `http://localhost:${facts.metricsPort}/metrics` : facts.metricsOnPort ? `${base}/metrics` : undefined;
  if (facts.role === "worker") {
    return { msg: "job worker started", fields: { port: facts.port, health: `${base}/healthz`, metrics, jobTypes: facts.jobTypes } };
  }
  return {
    msg: "job gateway started",
    fields: {
      port: facts.port,
      url: `${base}/`,
      graphiql: facts.production ? undefined : `${base}/graphql`,
      metrics,
      jobTypes: facts.jobTypes,
    },
  };
}
