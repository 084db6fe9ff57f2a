import { spawn } from "node:child_process";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startApp, type App } from "../src/app.js";
import { grant } from "./helpers/ledger.js";
import { serverArgs, startAppProcess, waitFor } from "./helpers/processes.js";
import { createTestEnvironment, tokenFor, type TestEnvironment } from "./helpers/test-app.js";

const root = fileURLToPath(new URL("..", import.meta.url));

let env: TestEnvironment;
let app: App;
const lines: Record<string, any>[] = [];
beforeAll(async () => {
  env = await createTestEnvironment();
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const config = env.config({ LOG_LEVEL: "info" });
  app = await startApp({ config, log: pino({ level: config.logLevel }, sink) });
});
afterAll(async () => {
  await app?.stop();
  await env?.teardown();
});

it("a failed query's error line carries the request id, the user, the operation name and the root cause", async () => {
  await grant(env.sql, "log-user", 1);
  const token = await tokenFor("log-user");
  const [user] = await env.sql`select id from users where subject = 'log-user'`;
  const url = `http://127.0.0.1:${app.port}/graphql`;
  const post = (query: string, requestId: string) =>
    fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "x-request-id": requestId }, body: JSON.stringify({ query }) });
  // The caller is known (provisioned by a first request) before the jobs table goes away.
  expect((await post("query Me { me { id } }", "req-warmup")).status).toBe(200);

  await env.sql`alter table jobs rename to jobs_gone`;
  try {
    await post("query MyJobs { jobs(first: 1) { edges { node { id } } } }", "req-failing_1");
  } finally {
    await env.sql`alter table jobs_gone rename to jobs`;
  }
  const logged = lines.filter((line) => line.level === 50 && line.requestId === "req-failing_1");
  expect(logged).toHaveLength(1);
  expect(logged[0]).toMatchObject({ msg: "unexpected error", operationName: "MyJobs", userId: user!.id, path: ["jobs"] });
  // The database's own error, not the wrappers around it.
  expect(logged[0]!.err.message).toMatch(/relation "jobs" does not exist/);
  expect(logged[0]!.err.type).not.toBe("GraphQLError");
});

it("in development, prints readable lines with the gateway's URL and GraphiQL's", async () => {
  const child = spawn(process.execPath, serverArgs(), {
    cwd: root,
    env: { ...process.env, ...env.env, NODE_ENV: "development", LOG_LEVEL: "info", LOG_FORMAT: "", PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  try {
    // eslint-disable-next-line no-control-regex
    const plain = () => output.replace(/\u001b\[[0-9;]*m/g, "");
    await waitFor(() => /graphiql: "http:\/\/localhost:\d+\/graphql"/.test(plain()), { timeoutMs: 30_000, what: `the start-up lines, got:\n${output}` });
    const text = plain();
    expect(text).toMatch(/job gateway started/);
    expect(text).toMatch(/url: "http:\/\/localhost:\d+\/"/);
    expect(text.split("\n").some((line) => line.trimStart().startsWith("{"))).toBe(false);
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
});

it("a worker-only process says it is a worker, with its port and its role once", async () => {
  const worker = await startAppProcess({ ...env.env, ROLE: "worker" });
  try {
    const line = worker.output.find((l) => l.includes("job worker started"))!;
    expect(JSON.parse(line)).toMatchObject({ msg: "job worker started", role: "worker", port: worker.port });
    expect(line.match(/"role":/g)).toHaveLength(1);
    expect(worker.output.some((l) => l.includes("job gateway started"))).toBe(false);
  } finally {
    worker.kill();
    await worker.exited;
  }
});
