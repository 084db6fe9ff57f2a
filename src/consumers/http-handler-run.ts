import type { HttpHandler, RunJob } from "../jobs/handler.js";

/** Runs attempts by POSTing them to an HTTP endpoint (see README: handlers in any language). */
export function makeHttpRun(handler: HttpHandler): RunJob {
  return async () => {
    throw new Error(`HTTP handlers are not implemented yet (${handler.url})`);
  };
}
