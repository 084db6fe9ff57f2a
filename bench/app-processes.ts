import { startAppProcess, startProcess, type AppProcess } from "../test/helpers/processes.js";
import { killChild, stopChild, track } from "./children.js";
import type { Cleanup } from "./cleanup.js";
import { benchJwtSecret } from "./users.js";

/** Environment every project process of the bench gets; the per-user limits stay in the path but never refuse. */
export function appEnvironment(databaseUrl: string, rabbitmqUrl: string): Record<string, string> {
  return {
    NODE_ENV: "test", // demo.simulate is development-only: served everywhere but in production
    DATABASE_URL: databaseUrl,
    RABBITMQ_URL: rabbitmqUrl,
    JWT_SECRET: benchJwtSecret,
    PORT: "0",
    LOG_LEVEL: "warn",
    SUBMIT_BURST: "1000000000",
    SUBMIT_RATE_PER_SECOND: "1000000000",
    MAX_UNFINISHED_JOBS: "1000000000",
  };
}

/**
 * Node flags for the project's processes, from BENCH_NODE_ARGS (split on spaces), say
 * `--cpu-prof --cpu-prof-dir=/tmp/prof`. With any, a process is stopped with SIGTERM (it shuts down
 * and exits, writing what the flags ask for at exit) rather than SIGKILLed.
 */
const benchNodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);

/**
 * Starts bench/app-entry.mjs, a project process from the compiled build (built by `npm run build`,
 * which `npm run bench` runs first); `cleanup` kills it.
 */
export async function startBenchApp(env: Record<string, string>, cleanup: Cleanup, options: { nodeArgs?: string[] } = {}): Promise<AppProcess> {
  const app = await startAppProcess(env, { timeoutMs: 60_000, command: [process.execPath, ...benchNodeArgs, ...(options.nodeArgs ?? []), "bench/app-entry.mjs"] });
  track(app.child);
  cleanup.add(() => (benchNodeArgs.length > 0 ? stopChild(app.child, 30_000) : killChild(app.child)));
  return app;
}

/**
 * Starts bench/plain-yoga-entry.ts (the plain reference) as its own process, under tsx (which
 * transforms its TypeScript once, at load: it runs the same JavaScript a build would); `cleanup` kills it. Resolves with its GraphQL URL.
 */
export async function startPlainYoga(env: { DATABASE_URL: string; RABBITMQ_URL: string }, cleanup: Cleanup): Promise<{ url: string }> {
  const started = await startProcess(process.execPath, ["--import", "tsx", "bench/plain-yoga-entry.ts"], {
    ready: /"msg":"plain yoga started"/,
    env: { ...process.env, ...env, PORT: "0" },
    timeoutMs: 60_000,
  });
  track(started.child);
  let killed = false;
  // Dead mid-run, it would show only as the load generator's "socket hang up": say why.
  void started.exited.then((code) => killed || console.error(`plain yoga exited with ${code}:\n${started.output.slice(-20).join("\n")}`));
  cleanup.add(() => ((killed = true), killChild(started.child)));
  const port = (JSON.parse(started.readyLine.input) as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/graphql` };
}
