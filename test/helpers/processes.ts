import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

export interface AppProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** Every log line so far (JSON from pino, or plain text). */
  output: string[];
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
}

// The line a gateway (role all or gateway) or a worker logs once it serves; it carries the port.
const startedLine = /"msg":"job (gateway|worker) started"/;

/**
 * Starts `src/main.ts` (or `command`) as its own OS process with the given environment and
 * resolves once it logs that it started (JSON logs unless LOG_FORMAT says otherwise).
 */
export function startAppProcess(
  env: Record<string, string>,
  options: { timeoutMs?: number; entry?: string; nodeArgs?: string[]; cwd?: string; command?: string[] } = {},
): Promise<AppProcess> {
  const [command, ...args] = options.command ?? [process.execPath, ...(options.nodeArgs ?? []), "--import", "tsx", options.entry ?? "src/main.ts"];
  const child = spawn(command!, args, {
    cwd: options.cwd ?? root,
    env: { ...process.env, LOG_FORMAT: "json", ...env, LOG_LEVEL: env.LOG_LEVEL === "silent" ? "info" : (env.LOG_LEVEL ?? "info") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`process did not start in time:\n${output.join("\n")}`));
    }, options.timeoutMs ?? 30_000);
    const onLine = (line: string) => {
      output.push(line);
      if (!startedLine.test(line)) return;
      clearTimeout(timer);
      const port = (JSON.parse(line) as { port: number }).port;
      resolve({
        child,
        port,
        url: `http://127.0.0.1:${port}/graphql`,
        output,
        exited,
        kill: (signal = "SIGTERM") => void child.kill(signal),
      });
    };
    let buffered = "";
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      let newline: number;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        onLine(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`process exited with ${code} before starting:\n${output.join("\n")}`));
    });
  });
}

/** Waits until `check` returns a value other than undefined/false, polling every `intervalMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what ?? "a condition"}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}
