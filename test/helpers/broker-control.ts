import { execFile } from "node:child_process";
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
