import type { Logger } from "pino";
import type { JobType } from "./define-job-type.js";

// A handler throws it when another attempt cannot help: the job fails at once, refunded.
export { PermanentJobError } from "../domain/errors.js";

/** What a handler gets: helpers, never clients. */
export interface JobContext<Params = unknown> {
  jobId: string;
  /** The job type's name. */
  type: string;
  /** 1 on the first attempt. */
  attempt: number;
  params: Params;
  /** When this attempt's timeout aborts `signal`. */
  deadline: Date;
  /** Aborts on timeout, cancellation and worker shutdown; its `reason` says which. */
  signal: AbortSignal;
  /** Reports progress (0..1); writes are coalesced, the last one always lands. */
  progress(fraction: number, message?: string): Promise<void>;
  log: Logger;
}

export type RunJob<Params = unknown> = (ctx: JobContext<Params>) => Promise<unknown>;

/** A handler written in TypeScript (or JavaScript), run inside the worker. */
export interface JobHandler<Params = unknown> {
  kind: "handler";
  /** The name of the type it runs. */
  type: string;
  run: RunJob<Params>;
}

/**
 * A handler in any language behind an HTTP endpoint: the worker POSTs each
 * attempt to `url`, signed with `secret` (Standard Webhooks, `webhook-id`
 * `<jobId>:<attempt>`), and reads the result, or NDJSON progress lines then
 * the result or an error (README: handlers in any language).
 */
export interface HttpHandler {
  kind: "http";
  url: string;
  /** A Standard Webhooks secret (`whsec_…`, base64 after the prefix). */
  secret: string;
  /** Extra headers (an API key of the endpoint's own, say). */
  headers?: Record<string, string>;
}

/** A module whose default export is a handler (from `defineHandler`), loaded by workers only. */
export type HandlerModule = () => Promise<{ default: JobHandler<any> | RunJob<any> }>;

/**
 * How a config names a type's handler: inline (imported with the config, so
 * a gateway loads it too), a module to import lazily (workers only: the
 * usual choice), or an HTTP endpoint.
 */
export type HandlerSource = JobHandler<any> | HandlerModule | HttpHandler;

/** Pairs a handler with the type it runs; its `params` are typed by the type's schema. */
export function defineHandler<Params>(type: JobType<Params>, run: RunJob<Params>): JobHandler<Params> {
  return { kind: "handler", type: type.name, run };
}

/** An HTTP endpoint as a type's handler; the URL is the operator's, never a user's. */
export function httpHandler(options: { url: string; secret: string; headers?: Record<string, string> }): HttpHandler {
  if (!URL.canParse(options.url) || !/^https?:$/.test(new URL(options.url).protocol)) {
    throw new Error(`httpHandler: url must be an http(s) URL (got ${JSON.stringify(options.url)})`);
  }
  if (!options.secret) throw new Error("httpHandler: a secret is required, to sign the requests the endpoint receives");
  return { kind: "http", url: options.url, secret: options.secret, headers: options.headers };
}
