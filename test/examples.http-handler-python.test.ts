import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineJobType } from "../src/jobs/define-job-type.js";
import { httpHandler } from "../src/jobs/handler.js";
import { gqlData } from "./helpers/graphql-client.js";
import { grant, ledgerReport } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { jobQuery, submitJobMutation } from "./helpers/queries.js";
import { createTestEnvironment, startTestApp, tokenFor, type TestApp, type TestEnvironment } from "./helpers/test-app.js";

const wordCount = defineJobType({
  name: "example.word-count",
  description: "counts words, in examples/http-handler-python",
  cost: 1,
  backoffMs: [50],
  params: z.object({ text: z.string(), steps: z.number().int().min(1).max(20).default(3) }),
});

const secret = `whsec_${randomBytes(24).toString("base64")}`;
let python: ChildProcess;
let endpoint: string;
const output: string[] = [];
let env: TestEnvironment;
let app: TestApp;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  const port = await freePort();
  python = spawn("python3", ["examples/http-handler-python/handler.py"], {
    env: { PATH: process.env.PATH, PORT: String(port), WEBHOOK_SECRET: secret },
    stdio: ["ignore", "pipe", "pipe"],
  });
  python.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  python.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  await waitFor(() => output.join("").includes("listening on") || undefined, { timeoutMs: 10_000, what: "the Python handler to listen" });
  endpoint = `http://127.0.0.1:${port}/`;

  env = await createTestEnvironment();
  app = await startTestApp(env, { jobTypes: [wordCount], app: { handlers: { [wordCount.name]: httpHandler({ url: endpoint, secret }) } } });
}, 30_000);

afterAll(async () => {
  await app?.stop();
  await env?.teardown();
  python?.kill("SIGTERM");
});

async function run(subject: string, params: Record<string, unknown>) {
  await grant(env.sql, subject, 1);
  const token = await tokenFor(subject);
  const submitted = await gqlData(app.url, submitJobMutation, { input: { type: wordCount.name, params } }, token);
  expect(submitted.submitJob.__typename).toBe("SubmitJobSuccess");
  const id: string = submitted.submitJob.job.id;
  await waitFor(async () => ["SUCCEEDED", "FAILED"].includes((await env.sql`select status from jobs where id = ${id}`)[0]!.status) || undefined, {
    timeoutMs: 10_000,
    what: `job ${id} to finish`,
  });
  return (await gqlData(app.url, jobQuery, { id }, token)).job;
}

describe("examples/http-handler-python", () => {
  it("runs a job to SUCCEEDED, its NDJSON progress lines as job events", async () => {
    const job = await run("python-words", { text: "the quick brown fox jumps", steps: 4 });
    expect(job).toMatchObject({ status: "SUCCEEDED", attempts: 1, result: { words: 5 }, progress: 1 });
    const progress = job.events.filter((event: { status: string; progress: number }) => event.status === "RUNNING" && event.progress > 0);
    expect(progress.map((event: { progress: number; message: string }) => [event.progress, event.message])).toEqual([
      [0.25, "step 1 of 4"],
      [0.5, "step 2 of 4"],
      [0.75, "step 3 of 4"],
      [1, "step 4 of 4"],
    ]);
  });

  it("fails a job at once when the handler says it cannot succeed (retryable: false), refunded", async () => {
    const job = await run("python-empty", { text: "   " });
    expect(job).toMatchObject({ status: "FAILED", attempts: 1, error: { message: "params.text is empty: there is nothing to count", attempt: 1 } });
    const report = (await ledgerReport(env.sql)).find((r) => r.subject === "python-empty")!;
    expect(report).toMatchObject({ balance: 1, charged: 0 });
  });

  it("answers 401 to a request signed with another secret, an old timestamp or no signature", async () => {
    const body = JSON.stringify({ jobId: "00000000-0000-4000-8000-000000000000", type: wordCount.name, attempt: 1, params: { text: "hi" }, deadline: new Date().toISOString() });
    const signed = (key: string, at: Date) => ({
      "content-type": "application/json",
      "webhook-id": "forged:1",
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": new Webhook(key).sign("forged:1", at, body),
    });
    const post = (headers: Record<string, string>) => fetch(endpoint, { method: "POST", headers, body });

    const otherSecret = `whsec_${randomBytes(24).toString("base64")}`;
    expect((await post(signed(otherSecret, new Date()))).status).toBe(401);
    expect((await post(signed(secret, new Date(Date.now() - 6 * 60_000)))).status).toBe(401);
    expect((await post({ "content-type": "application/json" })).status).toBe(401);
    const tampered = { ...signed(secret, new Date()) };
    expect((await fetch(endpoint, { method: "POST", headers: tampered, body: body.replace("hi", "ho") })).status).toBe(401);
    // The same request signed with the shared secret is accepted.
    const accepted = await post(signed(secret, new Date()));
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get("content-type")).toBe("application/x-ndjson");
    expect((await accepted.text()).trim().split("\n").map((line) => JSON.parse(line)).at(-1)).toEqual({ result: { words: 1 } });
  });
});
