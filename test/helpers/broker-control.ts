import { execFile } from "node:child_process";
import { Connection } from "rabbitmq-client";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Stops the broker's application (the node keeps running), as an outage. */
export async function stopBroker(): Promise<void> {
  await run("rabbitmqctl", ["-q", "stop_app"]);
}

export async function startBroker(): Promise<void> {
  await run("rabbitmqctl", ["-q", "start_app"]);
  await run("rabbitmqctl", ["-q", "await_startup", "--timeout", "60"]);
}

/** Messages in a queue, ready and delivered-but-unacked together (a passive declare counts only ready ones). */
export async function queueDepthIncludingUnacked(vhost: string, queue: string): Promise<number> {
  const { stdout } = await run("rabbitmqctl", ["-q", "--no-table-headers", "list_queues", "-p", vhost, "name", "messages"]);
  const line = stdout.split("\n").find((l) => l.split("\t")[0] === queue);
  return line ? Number(line.split("\t")[1]) : 0;
}

/** Ready messages in a queue, read on a connection of its own. */
export async function readyMessages(vhostUrl: string, queue: string): Promise<number> {
  const broker = new Connection(vhostUrl);
  try {
    return (await broker.queueDeclare({ queue, passive: true })).messageCount;
  } finally {
    await broker.close();
  }
}
