import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { killChild, track } from "./children.js";
import type { Cleanup } from "./cleanup.js";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * A peer's worker as its own process (bench/<entry>), told its settings as
 * JSON in argv; `ask` sends a command and resolves with the reply. It says
 * `{ ready: true }` once it is consuming.
 */
export async function startPeerWorker(entry: string, settings: Record<string, unknown>, cleanup: Cleanup) {
  const child = track(fork(`bench/${entry}`, [JSON.stringify(settings)], { cwd: root, execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] }));
  cleanup.add(() => killChild(child));
  const replies: ((message: unknown) => void)[] = [];
  child.on("message", (message) => replies.shift()?.(message));
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      replies.push(resolve);
      child.once("exit", (code) => reject(new Error(`${entry} exited with ${code}`)));
    });
  await next();
  return {
    ask: <T>(command: string): Promise<T> => {
      const reply = next() as Promise<T>;
      child.send(command);
      return reply;
    },
  };
}
