/**
 * A minimal typed client: submits a job over HTTP and follows its event log
 * over graphql-ws until it finishes, resuming after a dropped connection
 * from the last event seen (no gap, no repeat).
 *
 *   npx tsx examples/typed-client/submit-and-follow.ts [type] [params-json]
 *
 * GATEWAY_URL (default http://localhost:4000/graphql) and TOKEN (from
 * `npm run --silent token -- --sub alice`; in development, when unset, the
 * gateway's development sign-in is asked for one).
 */
import { pathToFileURL } from "node:url";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import type { FinishedJobQuery, JobEventsSubscription, TypedDocumentString } from "./gql/graphql.js";
import { FinishedJob, JobEvents, SubmitJob } from "./operations.js";

export type JobEvent = JobEventsSubscription["jobEvents"];
export type Job = NonNullable<FinishedJobQuery["job"]>;

export interface FollowOptions {
  /** The gateway's GraphQL endpoint, http(s)://…/graphql; graphql-ws uses the same path. */
  url: string;
  token: string;
  /** Each event of the job's log, once, in order. */
  onEvent?: (event: JobEvent) => void;
  /** How often a dropped WebSocket is reopened before giving up. Default 5. */
  maxReconnects?: number;
}

export interface SubmitAndFollowOptions extends FollowOptions {
  type: string;
  params: unknown;
}

/** A GraphQL error answer (not a network failure). */
export class GraphQLRequestError extends Error {
  constructor(readonly errors: readonly { message: string; extensions?: Record<string, unknown> }[]) {
    super(errors.map((error) => `${error.message}${error.extensions?.code ? ` (${String(error.extensions.code)})` : ""}`).join("; "));
    this.name = "GraphQLRequestError";
  }
}

/** Submits a job, follows it to a terminal status, and returns it as it ended. */
export async function submitAndFollow(options: SubmitAndFollowOptions): Promise<Job> {
  const submitted = (await request(options, SubmitJob, { input: { type: options.type, params: options.params } })).submitJob;
  if (submitted.__typename !== "SubmitJobSuccess") {
    const details = submitted.__typename === "ValidationError" ? `: ${submitted.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}` : "";
    throw new Error(`${submitted.__typename}: ${submitted.message}${details}`);
  }
  return followJob({ ...options, jobId: submitted.job.id });
}

/** Follows a job's event log to a terminal status, and returns the job as it ended. */
export async function followJob(options: FollowOptions & { jobId: string }): Promise<Job> {
  const { jobId } = options;
  const client = createClient({
    url: options.url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${options.token}` },
    // Reconnects are done below, so each one resumes from the last event seen.
    retryAttempts: 0,
  });
  try {
    await followEvents(client, jobId, options);
  } finally {
    await client.dispose();
  }
  const { job } = await request(options, FinishedJob, { id: jobId });
  if (!job) throw new Error(`job ${jobId} not found`);
  return job;
}

/** Reads jobEvents until the server ends the stream (after a terminal status). */
async function followEvents(client: Client, jobId: string, options: FollowOptions): Promise<void> {
  let after = 0;
  let reconnects = 0;
  for (;;) {
    try {
      for await (const result of client.iterate({ query: JobEvents.toString(), variables: { id: jobId, after } })) {
        if (result.errors?.length) throw new GraphQLRequestError(result.errors);
        const event = (result.data as JobEventsSubscription).jobEvents;
        if (event.seq <= after) continue;
        after = event.seq;
        reconnects = 0;
        options.onEvent?.(event);
      }
      return;
    } catch (error) {
      // The server's answer (no such job, not allowed…): asking again gets the same one.
      if (error instanceof GraphQLRequestError) throw error;
      // graphql-ws rejects with the server's errors (an array), or with the socket's close event.
      if (Array.isArray(error)) throw new GraphQLRequestError(error);
      if (!isDroppedConnection(error) || reconnects >= (options.maxReconnects ?? 5)) throw describeClose(error);
      reconnects += 1;
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** reconnects));
    }
  }
}

// 4xxx: the gateway refused (bad or expired token 4403, too many sockets 4429…): reconnecting will not help.
const isDroppedConnection = (error: unknown) => !(isCloseEvent(error) && error.code >= 4000);

function isCloseEvent(error: unknown): error is { code: number; reason: string } {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "number";
}

function describeClose(error: unknown): Error {
  if (error instanceof Error) return error;
  if (isCloseEvent(error)) return new Error(`WebSocket closed: ${error.code} ${error.reason}`);
  return new Error(`WebSocket failed: ${String(error)}`);
}

/** One query or mutation over HTTP POST, typed by its document. */
async function request<TResult, TVariables>(
  target: { url: string; token: string },
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
): Promise<TResult> {
  const response = await fetch(target.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${target.token}` },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  const body = (await response.json()) as { data?: TResult | null; errors?: GraphQLRequestError["errors"] };
  if (body.errors?.length) throw new GraphQLRequestError(body.errors);
  if (!body.data) throw new Error(`HTTP ${response.status}: no data`);
  return body.data;
}

/** A token from the gateway's development sign-in (answers 404 outside development). */
async function developmentToken(url: string): Promise<string> {
  const response = await fetch(new URL("/dev/token", url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ subject: "example-client" }),
  });
  if (!response.ok) throw new Error("set TOKEN, e.g. TOKEN=$(npm run --silent token -- --sub alice)");
  return ((await response.json()) as { token: string }).token;
}

const describeEvent = (event: JobEvent) =>
  `#${event.seq} ${event.status.padEnd(9)} ${String(Math.round(event.progress * 100)).padStart(3)}%${event.message ? `  ${event.message}` : ""}`;

async function main(): Promise<void> {
  const url = process.env.GATEWAY_URL ?? "http://localhost:4000/graphql";
  const token = process.env.TOKEN ?? (await developmentToken(url));
  const [type = "slides.generate", params = '{"topic": "Volcanoes", "slideCount": 4}'] = process.argv.slice(2);
  const job = await submitAndFollow({ url, token, type, params: JSON.parse(params), onEvent: (event) => console.log(describeEvent(event)) });
  console.log(job.status === "SUCCEEDED" ? `result: ${JSON.stringify(job.result)}` : `${job.status}: ${job.error?.message ?? ""}`);
  process.exitCode = job.status === "SUCCEEDED" ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
