import { Connection } from "rabbitmq-client";
import type { Logger } from "pino";

/**
 * A connection that reconnects by itself. Errors before the first connection
 * are kept for start-up to report in one line; later ones are logged.
 */
export function createBrokerConnection(url: string, log: Logger) {
  const connection = new Connection({ url, connectionName: "job-gateway", retryHigh: 5_000 });
  let wasConnected = false;
  let lastError: unknown = null;
  connection.on("error", (err) => {
    lastError = err;
    if (wasConnected) log.warn({ err: err.message }, "rabbitmq connection error");
  });
  connection.on("connection", () => {
    if (wasConnected) log.info("rabbitmq connection re-established");
    wasConnected = true;
  });
  return { connection, close: () => connection.close(), lastError: () => lastError };
}
