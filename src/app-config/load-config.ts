import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { builtinConfig } from "../jobs/builtin.js";
import { configProblems, type GatewayConfig, type ResolvedConfig } from "./define-config.js";

/** The names a config file may have, looked for in this order in the working directory. */
export const configFileNames = ["job-gateway.config.ts", "job-gateway.config.mts", "job-gateway.config.js", "job-gateway.config.mjs"] as const;

/** A config file that is missing, cannot be loaded or is wrong; its message is one line per problem. */
export class ConfigFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ConfigFileError";
  }
}

export interface LoadConfigOptions {
  /** Where to look for a config file. Default: the working directory. */
  cwd?: string;
  /** The config file; default: `JOB_GATEWAY_CONFIG`, else the first of configFileNames found in `cwd`. */
  path?: string;
  env?: Record<string, string | undefined>;
}

/**
 * Reads the app's `job-gateway.config.*` (its default export, from
 * defineConfig). Without one, the example types this package ships are
 * served. A TypeScript config is loaded with tsx, which the app installs.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const named = options.path ?? (options.env ?? process.env).JOB_GATEWAY_CONFIG;
  let path: string | undefined;
  if (named) {
    path = isAbsolute(named) ? named : resolve(cwd, named);
    if (!existsSync(path)) throw new ConfigFileError(`config file ${path} (JOB_GATEWAY_CONFIG) does not exist`);
  } else {
    path = configFileNames.map((name) => resolve(cwd, name)).find((candidate) => existsSync(candidate));
  }
  if (!path) return resolved(builtinConfig, null);
  return resolved(await importConfig(path), path);
}

function resolved(config: GatewayConfig, source: string | null): ResolvedConfig {
  const problems = configProblems(config);
  if (problems.length > 0) throw new ConfigFileError(problems.map((problem) => `${source ?? "config"}: ${problem}`).join("\n"));
  return { jobTypes: config.jobTypes, handlers: config.handlers ?? {}, webhooks: config.webhooks ?? [], source };
}

async function importConfig(path: string): Promise<GatewayConfig> {
  const url = pathToFileURL(path).href;
  let module: { default?: unknown };
  try {
    module = await import(url);
  } catch (error) {
    if (!isUnknownExtension(error)) throw new ConfigFileError(`${path} could not be loaded: ${(error as Error).message}`, { cause: error });
    // A TypeScript config in a process started without a TypeScript loader: register the app's tsx, then import again.
    await registerTsx(path);
    try {
      module = await import(`${url}?ts`);
    } catch (retried) {
      throw new ConfigFileError(`${path} could not be loaded: ${(retried as Error).message}`, { cause: retried });
    }
  }
  const config = module.default;
  if (!config || typeof config !== "object") throw new ConfigFileError(`${path} must export default defineConfig({ jobTypes, handlers, webhooks })`);
  return config as GatewayConfig;
}

function isUnknownExtension(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "ERR_UNKNOWN_FILE_EXTENSION";
}

async function registerTsx(configPath: string): Promise<void> {
  let manifestPath: string;
  try {
    manifestPath = createRequire(configPath).resolve("tsx/package.json");
  } catch {
    throw new ConfigFileError(`${configPath} is TypeScript: install tsx in the app (npm install --save-dev tsx), or write job-gateway.config.js`);
  }
  // The ESM build of tsx's API (require.resolve would pick its CommonJS one), as its exports map names it.
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { exports?: Record<string, { import?: { default?: string } }> };
  const entry = manifest.exports?.["./esm/api"]?.import?.default;
  if (!entry) throw new ConfigFileError(`${configPath} is TypeScript, and the tsx installed (${dirname(manifestPath)}) has no ESM API: install tsx 4 or later`);
  const { register } = (await import(pathToFileURL(join(dirname(manifestPath), entry)).href)) as { register: () => unknown };
  register();
}
