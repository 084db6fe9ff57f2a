import { Connection } from "rabbitmq-client";
import type { Logger } from "pino";

/** A connection that reconnects by itself; errors are logged, not thrown. */
export function createBrokerConnection(url: string, log: Logger) {
  const connection = new Connection({ url, connectionName: "job-gateway", retryHigh: 5_000 });
  let wasConnected = false;
  connection.on("error", (err) => log.warn({ err: err.message }, "rabbitmq connection error"));
  connection.on("connection", () => {
    if (wasConnected) log.info("rabbitmq connection re-established");
    wasConnected = true;
  });
  return { connection, close: () => connection.close() };
}
