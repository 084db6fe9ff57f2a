import type { JobType } from "../jobs/define-job-type.js";
import type { HandlerSource, HttpHandler, JobHandler, RunJob } from "../jobs/handler.js";
import { HandlerLoadError } from "../jobs/handler-load-error.js";
import { makeHttpRun } from "./http-handler-run.js";

/**
 * Resolves each served type's handler to the function an attempt runs:
 * imports the lazy modules (workers only; a gateway never calls this) and
 * wraps HTTP endpoints. Types without a handler are left out: this worker
 * does not consume them.
 */
export async function loadHandlers(types: readonly JobType[], sources: Readonly<Record<string, HandlerSource>>): Promise<Map<string, RunJob>> {
  const handlers = new Map<string, RunJob>();
  for (const type of types) {
    const source = sources[type.name];
    if (source === undefined) continue;
    handlers.set(type.name, await resolveHandler(type.name, source));
  }
  return handlers;
}

async function resolveHandler(type: string, source: HandlerSource): Promise<RunJob> {
  if (typeof source !== "function") return source.kind === "http" ? httpRun(type, source) : checked(type, source);
  let loaded: unknown;
  try {
    loaded = (await source()).default;
  } catch (error) {
    throw new HandlerLoadError(type, error);
  }
  if (typeof loaded === "function") return loaded as RunJob;
  return checked(type, loaded as JobHandler);
}

function httpRun(type: string, handler: HttpHandler): RunJob {
  try {
    return makeHttpRun(handler);
  } catch (error) {
    throw new HandlerLoadError(type, error);
  }
}

function checked(type: string, handler: JobHandler | undefined): RunJob {
  if (handler?.kind !== "handler" || typeof handler.run !== "function") {
    throw new HandlerLoadError(type, new Error("its module must export default defineHandler(type, run) or a run function"));
  }
  if (handler.type !== type) throw new HandlerLoadError(type, new Error(`its module exports the handler of ${handler.type}`));
  return handler.run;
}
