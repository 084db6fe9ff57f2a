import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineJobType } from "../src/jobs/define-job-type.js";
import { httpHandler } from "../src/jobs/handler.js";
import { collectOverWebSocket, gqlData } from "./helpers/graphql-client.js";
import { grant, ledgerReport } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { jobEventsSubscription, jobQuery, submitJobMutation } from "./helpers/queries.js";
import { createTestEnvironment, startTestApp, tokenFor, type TestApp, type TestEnvironment } from "./helpers/test-app.js";

const cancelJobMutation = /* GraphQL */ `
  mutation Cancel($id: ID!) {
    cancelJob(id: $id) {
      __typename
      ... on CancelJobSuccess { balance job { id status } }
    }
  }
`;

const params = z.object({ scenario: z.string() });
const remote = defineJobType({ name: "test.remote", description: "test: served by the test's HTTP endpoint", cost: 1, maxAttempts: 4, backoffMs: [50], params });
const remoteShort = defineJobType({ name: "test.remote-short", description: "test: an HTTP handler with a short timeout", cost: 1, maxAttempts: 1, timeoutMs: 300, params });

const secret = `whsec_${randomBytes(24).toString("base64")}`;

/** One request the endpoint received, as it saw it. */
interface Received {
  scenario: string;
  attempt: number;
  headers: IncomingMessage["headers"];
  body: string;
  /** True, or why `Webhook(secret).verify` refused the request. */
  verified: true | string;
  receivedAt: number;
  /** When the response closed, and whether it had been ended by the endpoint first. */
  closedAt?: number;
  finished?: boolean;
}
const received: Received[] = [];

const ndjson = (res: ServerResponse) => res.writeHead(200, { "content-type": "application/x-ndjson" });
const line = (res: ServerResponse, value: unknown) => res.write(`${JSON.stringify(value)}\n`);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the endpoint answers, by the job's `scenario` and the attempt. */
const scenarios: Record<string, (res: ServerResponse, attempt: number) => Promise<void> | void> = {
  async progress(res) {
    ndjson(res);
    line(res, { progress: 0.25, message: "first quarter" });
    await pause(30);
    line(res, { progress: 0.75, message: "three quarters" });
    await pause(30);
    res.end(`${JSON.stringify({ result: { frames: 24 } })}\n`);
  },
  json(res) {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ answer: 42 }));
  },
  flaky(res, attempt) {
    if (attempt === 1) res.writeHead(500, { "content-type": "text/plain" }).end("upstream exploded\nstack trace…");
    else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify("second time lucky"));
  },
  async broken(res, attempt) {
    if (attempt === 1) {
      ndjson(res);
      line(res, { progress: 0.1, message: "about to drop" });
      await pause(20);
      res.socket!.destroy();
    } else if (attempt === 2) {
      ndjson(res);
      line(res, { progress: 0.5, message: "ending early" });
      res.end();
    } else if (attempt === 3) {
      ndjson(res);
      res.end("this is not json\n");
    } else {
      res.writeHead(302, { location: "http://elsewhere.invalid/run" }).end();
    }
  },
  permanent(res) {
    ndjson(res);
    line(res, { progress: 0.2, message: "checking the input" });
    res.end(`${JSON.stringify({ error: { message: "the file is not a video", retryable: false, code: "BAD_INPUT" } })}\n`);
  },
  refused(res) {
    res.writeHead(422, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "params.url is not reachable", retryable: false } }, null, 2));
  },
  hang(res) {
    ndjson(res);
    line(res, { progress: 0.1, message: "started, never ends" });
  },
};

let server: Server;
let env: TestEnvironment;
let app: TestApp;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    let verified: true | string = true;
    try {
      new Webhook(secret).verify(body, req.headers as Record<string, string>);
    } catch (error) {
      verified = (error as Error).message;
    }
    const job = JSON.parse(body) as { attempt: number; params: { scenario: string } };
    const entry: Received = { scenario: job.params.scenario, attempt: job.attempt, headers: req.headers, body, verified, receivedAt: Date.now() };
    received.push(entry);
    res.on("close", () => {
      entry.closedAt = Date.now();
      entry.finished = res.writableFinished;
    });
    await scenarios[job.params.scenario]!(res, job.attempt);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  env = await createTestEnvironment();
  app = await startTestApp(env, {
    jobTypes: [remote, remoteShort],
    app: {
      handlers: {
        [remote.name]: httpHandler({ url: `${url}/remote`, secret, headers: { "x-api-key": "endpoint-key", "Content-Type": "text/plain" } }),
        [remoteShort.name]: httpHandler({ url: `${url}/remote-short`, secret }),
      },
    },
  });
}, 30_000);

afterAll(async () => {
  await app?.stop();
  await env?.teardown();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

async function submit(subject: string, type: string, scenario: string): Promise<{ id: string; token: string }> {
  await grant(env.sql, subject, 1);
  const token = await tokenFor(subject);
  const data = await gqlData(app.url, submitJobMutation, { input: { type, params: { scenario } } }, token);
  expect(data.submitJob.__typename).toBe("SubmitJobSuccess");
  return { id: data.submitJob.job.id, token };
}

async function finished(id: string, token: string) {
  await waitFor(async () => ["SUCCEEDED", "FAILED", "CANCELLED"].includes((await env.sql`select status from jobs where id = ${id}`)[0]!.status) || undefined, {
    timeoutMs: 10_000,
    what: `job ${id} to finish`,
  });
  return (await gqlData(app.url, jobQuery, { id }, token)).job;
}

const requestsOf = (scenario: string) => received.filter((r) => r.scenario === scenario);

describe("an HTTP handler", () => {
  it("gets each attempt POSTed as JSON, signed with Standard Webhooks headers the library verifies, with the configured headers", async () => {
    const { id, token } = await submit("http-json", remote.name, "json");
    const job = await finished(id, token);
    expect(job).toMatchObject({ status: "SUCCEEDED", attempts: 1, result: { answer: 42 } });

    const [request] = requestsOf("json");
    expect(request!.verified).toBe(true);
    expect(request!.headers).toMatchObject({
      "webhook-id": `${id}:1`,
      "content-type": "application/json",
      accept: "application/x-ndjson, application/json",
      "x-api-key": "endpoint-key",
    });
    expect(Math.abs(Number(request!.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(30);
    const body = JSON.parse(request!.body);
    expect(body).toEqual({ jobId: id, type: remote.name, attempt: 1, params: { scenario: "json" }, deadline: expect.any(String) });
    // The deadline is the attempt's timeout (the default 5 minutes) from when it began.
    expect(Date.parse(body.deadline) - request!.receivedAt).toBeGreaterThan(4 * 60_000);
    expect(Date.parse(body.deadline) - request!.receivedAt).toBeLessThanOrEqual(5 * 60_000);
    // Signed with another secret, the same request does not verify.
    expect(() => new Webhook(`whsec_${randomBytes(24).toString("base64")}`).verify(request!.body, request!.headers as Record<string, string>)).toThrow();
  });

  it("reports NDJSON progress lines as job events with their messages, then the result line's result", async () => {
    const { id, token } = await submit("http-progress", remote.name, "progress");
    // The subscription ends after the terminal event.
    const live = (await collectOverWebSocket(app.url, token, jobEventsSubscription, { id })).map((payload) => payload.data!.jobEvents);
    const job = await finished(id, token);
    expect(job).toMatchObject({ status: "SUCCEEDED", attempts: 1, result: { frames: 24 }, progress: 1 });

    const rows = await env.sql`select status, progress, message from job_events where job_id = ${id} and status = 'RUNNING' and progress > 0 order by seq`;
    expect(rows).toEqual([
      { status: "RUNNING", progress: 0.25, message: "first quarter" },
      { status: "RUNNING", progress: 0.75, message: "three quarters" },
    ]);
    expect(live.map((event) => event.message)).toEqual(expect.arrayContaining(["first quarter", "three quarters"]));
    expect(live.at(-1)).toMatchObject({ status: "SUCCEEDED" });
  });

  it("retries an attempt answered 500, quoting the status and the body's start; the second attempt succeeds, charged once", async () => {
    const { id, token } = await submit("http-flaky", remote.name, "flaky");
    const job = await finished(id, token);
    expect(job).toMatchObject({ status: "SUCCEEDED", attempts: 2, result: "second time lucky" });
    const retrying = job.events.find((event: { status: string }) => event.status === "RETRYING");
    expect(retrying.message).toBe("the handler's endpoint answered 500: upstream exploded stack trace…");
    expect(requestsOf("flaky").map((r) => r.headers["webhook-id"])).toEqual([`${id}:1`, `${id}:2`]);
    expect(requestsOf("flaky").every((r) => r.verified === true)).toBe(true);
    const report = (await ledgerReport(env.sql)).find((r) => r.subject === "http-flaky")!;
    expect(report).toMatchObject({ balance: 0, charged: 1, succeededCost: 1 });
  });

  it("fails an attempt on a dropped connection, a stream without a result, a malformed line and a redirect; the job FAILS, refunded", async () => {
    const { id, token } = await submit("http-broken", remote.name, "broken");
    const job = await finished(id, token);
    expect(job).toMatchObject({ status: "FAILED", attempts: 4 });
    const failures = job.events.filter((event: { status: string }) => event.status === "RETRYING").map((event: { message: string }) => event.message);
    expect(failures).toEqual([
      expect.stringMatching(/^the handler's connection dropped before its answer ended/),
      `the handler's answer ended without a "result" or "error" line`,
      "the handler's answer has a line that is not JSON: this is not json",
    ]);
    expect(job.error).toEqual({ message: "the handler's endpoint answered 302: redirects are not followed", code: "HTTP_ERROR", attempt: 4 });
    // Nothing was sent to the redirect's host: one request per attempt, all to the endpoint.
    expect(requestsOf("broken").map((r) => r.attempt)).toEqual([1, 2, 3, 4]);
    const refunds = await env.sql`select amount from ledger_entries where job_id = ${id} and kind = 'refund'`;
    expect(refunds.map((r) => r.amount)).toEqual([1]);
  });

  it("fails the job at once on an error line with retryable: false: attempts 1, refunded, its code kept", async () => {
    const { id, token } = await submit("http-permanent", remote.name, "permanent");
    const job = await finished(id, token);
    expect(job).toMatchObject({ status: "FAILED", attempts: 1, maxAttempts: 4 });
    expect(job.error).toEqual({ message: "the file is not a video", code: "BAD_INPUT", attempt: 1 });
    expect(job.events.some((event: { status: string }) => event.status === "RETRYING")).toBe(false);
    expect(requestsOf("permanent")).toHaveLength(1);
    const [stored] = await env.sql`select error from jobs where id = ${id}`;
    expect(stored!.error).toMatchObject({ retryable: false });
    const refunds = await env.sql`select amount from ledger_entries where job_id = ${id} and kind = 'refund'`;
    expect(refunds.map((r) => r.amount)).toEqual([1]);
    const report = (await ledgerReport(env.sql)).find((r) => r.subject === "http-permanent")!;
    expect(report).toMatchObject({ balance: 1, ledgerSum: 1, charged: 0 });
  });

  it("takes a non-2xx answer's {\"error\": …} body as the error line it would be: 422 with retryable: false fails at once", async () => {
    const { id, token } = await submit("http-refused", remote.name, "refused");
    const job = await finished(id, token);
    expect(job).toMatchObject({ status: "FAILED", attempts: 1 });
    expect(job.error).toEqual({ message: "the handler's endpoint answered 422: params.url is not reachable", code: "HANDLER_ERROR", attempt: 1 });
  });

  it("aborts the request within a second when the job is cancelled: the endpoint sees it closed", async () => {
    const { id, token } = await submit("http-cancel", remote.name, "hang");
    await waitFor(async () => (await env.sql`select progress from jobs where id = ${id}`)[0]!.progress > 0 || undefined, {
      timeoutMs: 10_000,
      what: "the endpoint's first progress line",
    });
    const [request] = requestsOf("hang");
    expect(request!.closedAt).toBeUndefined();

    const cancelled = await gqlData(app.url, cancelJobMutation, { id }, token);
    expect(cancelled.cancelJob).toMatchObject({ __typename: "CancelJobSuccess", balance: 1, job: { status: "CANCELLED" } });
    const cancelledAt = Date.now();
    await waitFor(() => request!.closedAt !== undefined || undefined, { timeoutMs: 2_000, what: "the endpoint to see its request closed" });
    expect(request!.closedAt! - cancelledAt).toBeLessThan(1_000);
    expect(request!.finished).toBe(false);
    expect((await env.sql`select status from jobs where id = ${id}`)[0]!.status).toBe("CANCELLED");
  });

  it("aborts the request at the type's timeout: the attempt fails with TIMEOUT", async () => {
    const { id, token } = await submit("http-timeout", remoteShort.name, "hang");
    const job = await finished(id, token);
    expect(job).toMatchObject({ status: "FAILED", attempts: 1, error: { code: "TIMEOUT" } });
    const request = requestsOf("hang").find((r) => JSON.parse(r.body).jobId === id)!;
    await waitFor(() => request.closedAt !== undefined || undefined, { timeoutMs: 2_000, what: "the endpoint to see its request closed" });
    // A 300 ms timeout; closed well within a second of it.
    expect(request.closedAt! - request.receivedAt).toBeLessThan(1_300);
    expect(request.finished).toBe(false);
  });
});
