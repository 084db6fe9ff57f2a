import type { Config } from "../../config.js";

/** Who may read /metrics where it is served: anyone, or holders of the bearer token. */
export interface MetricsAccess {
  token: string | null;
}

export interface MetricsPlan {
  /** /metrics on the public port (the gateway's, or a worker's probe server); null answers 404 there. */
  publicPort: MetricsAccess | null;
  /** A port of its own serving /metrics only (METRICS_PORT), or null. */
  separate: (MetricsAccess & { port: number }) | null;
  /** Logged once at start-up when /metrics is served nowhere. */
  warning: string | null;
}

/**
 * Where /metrics is served, from METRICS_PORT and METRICS_TOKEN: on its own
 * port when one is set, else on the public port behind the token when one is
 * set; with neither, open on the public port outside production and nowhere
 * in production.
 */
export function planMetrics(http: Config["http"], production: boolean): MetricsPlan {
  const access = { token: http.metricsToken };
  if (http.metricsPort !== null) return { publicPort: null, separate: { ...access, port: http.metricsPort }, warning: null };
  if (http.metricsToken !== null || !production) return { publicPort: access, separate: null, warning: null };
  return {
    publicPort: null,
    separate: null,
    warning: "/metrics is off: set METRICS_PORT (a port of its own, not public) or METRICS_TOKEN (bearer token on the public port) to serve it",
  };
}
