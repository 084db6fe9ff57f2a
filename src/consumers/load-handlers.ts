import type { JobType } from "../jobs/define-job-type.js";
import type { HandlerSource, HttpHandler, JobHandler, RunJob } from "../jobs/handler.js";
import { HandlerLoadError } from "../jobs/handler-load-error.js";
import { findExecutable } from "../processes/find-executable.js";
import { makeHttpRun } from "./http-handler-run.js";

/**
 * Resolves each served type's handler to the function an attempt runs:
 * imports the lazy modules (workers only; a gateway never calls this) and
 * wraps HTTP endpoints. Types without a handler are left out: this worker
 * does not consume them. A handler whose `requires` names an executable
 * missing from PATH stops the start, naming it.
 */
export async function loadHandlers(
  types: readonly JobType[],
  sources: Readonly<Record<string, HandlerSource>>,
  options: { findExecutable?: (name: string) => string | null } = {},
): Promise<Map<string, RunJob>> {
  const find = options.findExecutable ?? findExecutable;
  const handlers = new Map<string, RunJob>();
  for (const type of types) {
    const source = sources[type.name];
    if (source === undefined) continue;
    const { run, requires } = await resolveHandler(type.name, source);
    const missing = requires.filter((name) => find(name) === null);
    if (missing.length > 0) {
      const names = missing.length > 1 ? `${missing.slice(0, -1).join(", ")} and ${missing.at(-1)}` : missing[0];
      throw new HandlerLoadError(type.name, new Error(`it runs ${names}, not found on PATH: install ${missing.length > 1 ? "them" : "it"} (README: job types this repository ships) or stop serving ${type.name}`));
    }
    handlers.set(type.name, run);
  }
  return handlers;
}

async function resolveHandler(type: string, source: HandlerSource): Promise<{ run: RunJob; requires: readonly string[] }> {
  if (typeof source !== "function") return source.kind === "http" ? { run: httpRun(type, source), requires: [] } : checked(type, source);
  let loaded: unknown;
  try {
    loaded = (await source()).default;
  } catch (error) {
    throw new HandlerLoadError(type, error);
  }
  if (typeof loaded === "function") return { run: loaded as RunJob, requires: [] };
  return checked(type, loaded as JobHandler);
}

function httpRun(type: string, handler: HttpHandler): RunJob {
  try {
    return makeHttpRun(handler);
  } catch (error) {
    throw new HandlerLoadError(type, error);
  }
}

function checked(type: string, handler: JobHandler | undefined): { run: RunJob; requires: readonly string[] } {
  if (handler?.kind !== "handler" || typeof handler.run !== "function") {
    throw new HandlerLoadError(type, new Error("its module must export default defineHandler(type, run) or a run function"));
  }
  if (handler.type !== type) throw new HandlerLoadError(type, new Error(`its module exports the handler of ${handler.type}`));
  return { run: handler.run, requires: handler.requires ?? [] };
}
