import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
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

export interface StartedProcess {
  child: ChildProcess;
  /** The first line that matched `ready`. */
  readyLine: RegExpExecArray;
  /** Every line so far, stdout and stderr. */
  output: string[];
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
}

/** Spawns a command and resolves once a line of its output matches `ready`; rejects if it exits or times out first. */
export function startProcess(
  command: string,
  args: readonly string[],
  options: { ready: RegExp; env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number },
): Promise<StartedProcess> {
  const child = spawn(command, args, { cwd: options.cwd ?? root, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} did not start in time:\n${output.join("\n")}`));
    }, options.timeoutMs ?? 30_000);
    let started = false;
    const onLine = (line: string) => {
      output.push(line);
      const match = started ? null : options.ready.exec(line);
      if (!match) return;
      started = true;
      clearTimeout(timer);
      resolve({ child, readyLine: match, output, exited, kill: (signal = "SIGTERM") => void child.kill(signal) });
    };
    const lines = (stream: NodeJS.ReadableStream) => {
      let buffered = "";
      stream.on("data", (chunk: Buffer) => {
        buffered += chunk.toString("utf8");
        let newline: number;
        while ((newline = buffered.indexOf("\n")) >= 0) {
          onLine(buffered.slice(0, newline));
          buffered = buffered.slice(newline + 1);
        }
      });
    };
    lines(child.stdout!);
    lines(child.stderr!);
    void exited.then((code) => {
      clearTimeout(timer);
      if (!started) reject(new Error(`${command} exited with ${code} before starting:\n${output.join("\n")}`));
    });
  });
}

// The line a gateway (role all or gateway) or a worker logs once it serves; it carries the port.
const startedLine = /"msg":"job (gateway|worker) started"/;

let compiledIsFresh: boolean | undefined;

/**
 * Whether dist/ (npm run build, which `npm test` runs first) was built after the last change
 * to the server's sources: then dist/main.js runs what src/main.ts would.
 */
export function compiledServerIsFresh(): boolean {
  if (compiledIsFresh !== undefined) return compiledIsFresh;
  let builtAt: number;
  try {
    builtAt = statSync(join(root, "dist/main.js")).mtimeMs;
  } catch {
    return (compiledIsFresh = false);
  }
  const newerThanBuild = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((entry) => {
      const path = join(dir, entry.name);
      // The dashboard is bundled apart: the global setup builds it for every run.
      if (entry.isDirectory()) return path !== join(root, "src/web/dashboard") && newerThanBuild(path);
      return statSync(path).mtimeMs > builtAt;
    });
  return (compiledIsFresh = !newerThanBuild(join(root, "src")));
}

/**
 * The server's command: the compiled dist/main.js when it is fresh (it starts in about half
 * the time and CPU of tsx, which a busy test run feels), else src/main.ts under tsx; always
 * tsx for `entry` or `nodeArgs` (a TypeScript entry, module hooks that see src/ paths) and for
 * a TypeScript JOB_GATEWAY_CONFIG (its handlers import src/).
 */
function serverCommand(env: Record<string, string>, options: { entry?: string; nodeArgs?: string[] }): string[] {
  const needsSources = options.entry !== undefined || options.nodeArgs !== undefined || /\.[cm]?tsx?$/.test(env.JOB_GATEWAY_CONFIG ?? "");
  if (!needsSources) return [process.execPath, ...serverArgs()];
  return [process.execPath, ...(options.nodeArgs ?? []), "--import", "tsx", options.entry ?? "src/main.ts"];
}

/** Node's arguments that run the server: dist/main.js when it is fresh, else src/main.ts under tsx. */
export function serverArgs(): string[] {
  return compiledServerIsFresh() ? ["dist/main.js"] : ["--import", "tsx", "src/main.ts"];
}

/**
 * Starts the server (see serverCommand), or `command`, as its own OS process with the given
 * environment and resolves once it logs that it started (JSON logs unless LOG_FORMAT says otherwise).
 */
export async function startAppProcess(
  env: Record<string, string>,
  options: { timeoutMs?: number; entry?: string; nodeArgs?: string[]; cwd?: string; command?: string[] } = {},
): Promise<AppProcess> {
  const [command, ...args] = options.command ?? serverCommand(env, options);
  const started = await startProcess(command!, args, {
    ready: startedLine,
    cwd: options.cwd,
    timeoutMs: options.timeoutMs,
    env: { ...process.env, LOG_FORMAT: "json", ...env, LOG_LEVEL: env.LOG_LEVEL === "silent" ? "info" : (env.LOG_LEVEL ?? "info") },
  });
  const port = (JSON.parse(started.readyLine.input) as { port: number }).port;
  return { ...started, port, url: `http://127.0.0.1:${port}/graphql` };
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
