import type { Connection } from "rabbitmq-client";
import type { Topology } from "./topology.js";

export async function declareTopology(connection: Connection, topology: Topology): Promise<void> {
  for (const exchange of topology.exchanges) {
    await connection.exchangeDeclare({ exchange: exchange.exchange, type: exchange.type, durable: true });
  }
  for (const spec of topology.queues) {
    await connection.queueDeclare({ queue: spec.queue, durable: true, arguments: spec.arguments });
    if (spec.bindTo) {
      await connection.queueBind({ queue: spec.queue, exchange: spec.bindTo.exchange, routingKey: spec.bindTo.routingKey });
    }
  }
}
