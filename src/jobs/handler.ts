import type { Readable } from "node:stream";
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
  /** Files this attempt makes for the job's owner; only a succeeded attempt's are kept. */
  artifacts: JobArtifacts;
  /** The uploads its params reference (by id, checked at submit). */
  uploads: JobUploads;
  /** Text streamed to subscribers while the attempt runs (a story as it is written). */
  output: JobOutput;
  /** An empty directory of this attempt's own, removed when it ends: for a child process's files. */
  workDir: string;
  log: Logger;
}

/** Data an artifact is written from. */
export type ArtifactData = string | Uint8Array | Readable | AsyncIterable<Uint8Array>;

export interface ArtifactInfo {
  id: string;
  name: string;
  contentType: string;
  size: number;
}

export interface JobArtifacts {
  /**
   * Stores a file under `name` (unique within the attempt: a second write of
   * a name replaces the first). Resolves once the file is stored.
   */
  write(name: string, data: ArtifactData, options: { contentType: string }): Promise<ArtifactInfo>;
}

export interface UploadFile {
  id: string;
  name: string;
  contentType: string;
  size: number;
  /** A local path to read it from (fetched from the upload store first when that is remote). */
  path: string;
}

export interface JobUploads {
  /** Opens an upload the job's params reference; removed from the local disk when the attempt ends. */
  open(id: string): Promise<UploadFile>;
}

export interface JobOutput {
  /** Appends text; writes are coalesced like progress, and nothing written is lost when the attempt succeeds. */
  write(text: string): Promise<void>;
}

export type RunJob<Params = unknown> = (ctx: JobContext<Params>) => Promise<unknown>;

/** A handler written in TypeScript (or JavaScript), run inside the worker. */
export interface JobHandler<Params = unknown> {
  kind: "handler";
  /** The name of the type it runs. */
  type: string;
  run: RunJob<Params>;
  /** Executables it runs, looked up on PATH when a worker starts: a missing one stops the worker, naming it. */
  requires?: readonly string[];
}

export interface HandlerOptions {
  /**
   * Executables the handler runs (`["ffmpeg", "ffprobe"]`): a worker serving
   * the type looks each up on its PATH at start and stops with one line
   * naming the type and those missing, rather than failing every attempt later.
   */
  requires?: readonly string[];
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
export function defineHandler<Params>(type: JobType<Params>, run: RunJob<Params>, options: HandlerOptions = {}): JobHandler<Params> {
  const requires = [...(options.requires ?? [])];
  const bad = requires.find((name) => typeof name !== "string" || name.trim() === "" || /\s/.test(name));
  if (bad !== undefined) throw new Error(`defineHandler(${type.name}): requires names executables, not ${JSON.stringify(bad)}`);
  return { kind: "handler", type: type.name, run, requires };
}

/** An HTTP endpoint as a type's handler; the URL is the operator's, never a user's. */
export function httpHandler(options: { url: string; secret: string; headers?: Record<string, string> }): HttpHandler {
  if (!URL.canParse(options.url) || !/^https?:$/.test(new URL(options.url).protocol)) {
    throw new Error(`httpHandler: url must be an http(s) URL (got ${JSON.stringify(options.url)})`);
  }
  if (!options.secret) throw new Error("httpHandler: a secret is required, to sign the requests the endpoint receives");
  return { kind: "http", url: options.url, secret: options.secret, headers: options.headers };
}
