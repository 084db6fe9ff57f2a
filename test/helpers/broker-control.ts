import { execFile } from "node:child_process";
import { Connection } from "rabbitmq-client";
import { promisify } from "node:util";
import { inject } from "vitest";
import { pauseVhostSweeps, resumeVhostSweeps } from "./vhost-pool.js";

const run = promisify(execFile);

/** Stops the broker's application (the node keeps running), as an outage. */
export async function stopBroker(): Promise<void> {
  // The run's vhost pool deletes vhosts as files finish; not while the broker stops and starts.
  await pauseVhostSweeps(inject("vhostPool"));
  await run("rabbitmqctl", ["-q", "stop_app"]);
}

export async function startBroker(): Promise<void> {
  await run("rabbitmqctl", ["-q", "start_app"]);
  await run("rabbitmqctl", ["-q", "await_startup", "--timeout", "60"]);
  resumeVhostSweeps(inject("vhostPool"));
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

/**
 * Closes every AMQP connection the OS process `pid` holds in `vhost`, as the
 * broker does to a connection it gives up on (its unacked deliveries go back
 * to their queues at once); the process itself goes on running. Connections
 * are matched by the process's local TCP ports (`ss`), which the broker lists
 * as their peer ports. Answers how many were closed.
 */
export async function closeConnectionsOfProcess(vhost: string, pid: number): Promise<number> {
  const { stdout: sockets } = await run("ss", ["-tnpH", "state", "established", "( dport = :5672 )"]);
  // Columns: Recv-Q Send-Q Local Peer Process.
  const localPorts = new Set(
    sockets
      .split("\n")
      .filter((line) => line.includes(`pid=${pid},`))
      .map((line) => line.trim().split(/\s+/)[2]!.split(":").at(-1)!),
  );
  const { stdout } = await run("rabbitmqctl", ["-q", "--no-table-headers", "list_connections", "-p", vhost, "pid", "peer_port"]);
  const connections = stdout
    .split("\n")
    .map((line) => line.split("\t"))
    .filter(([connection, peerPort]) => connection && localPorts.has(peerPort!.trim()))
    .map(([connection]) => connection!);
  for (const connection of connections) await run("rabbitmqctl", ["-q", "close_connection", connection, "test: a broker blip"]);
  return connections.length;
}
