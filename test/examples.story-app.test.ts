import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { collectOverWebSocket, gqlData } from "./helpers/graphql-client.js";
import { grant } from "./helpers/ledger.js";
import { startAppProcess, startProcess, waitFor, type AppProcess, type StartedProcess } from "./helpers/processes.js";
import { jobEventsSubscription, submitJobMutation } from "./helpers/queries.js";
import { createTestEnvironment, tokenFor, type TestEnvironment } from "./helpers/test-app.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
// The example's development secrets (settings.ts): the test runs it as a developer would.
const handlerSecret = "whsec_ZGV2ZWxvcG1lbnQtaGFuZGxlci1zZWNyZXQ=";

let env: TestEnvironment;
let appDir: string;
let gateway: AppProcess;
let receiver: StartedProcess;
const running: { kill(signal?: NodeJS.Signals): void; exited: Promise<unknown> }[] = [];

// A clean copy of examples/story-app outside the repository, installed with npm as an app team would,
// its job-gateway dependency pointing at this checkout (built by `npm test`'s pretest).
beforeAll(async () => {
  env = await createTestEnvironment();
  appDir = mkdtempSync(join(tmpdir(), "story-app-"));
  cpSync(join(root, "examples/story-app"), appDir, { recursive: true, filter: (path) => !path.includes("node_modules") });
  const manifestPath = join(appDir, "package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { dependencies: Record<string, string> };
  manifest.dependencies["job-gateway"] = `file:${root}`;
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: appDir, timeout: 180_000 });

  const python = await startProcess("python3", [join(root, "examples/http-handler-python/handler.py")], {
    ready: /listening on (http:\/\/\S+)/,
    env: { ...process.env, PORT: "0", WEBHOOK_SECRET: handlerSecret },
  });
  running.push(python);
  receiver = await startProcess(join(appDir, "node_modules/.bin/tsx"), ["webhook-receiver.ts"], {
    cwd: appDir,
    ready: /webhook receiver on (http:\/\/\S+)/,
    env: { ...process.env, WEBHOOK_PORT: "0" },
  });
  running.push(receiver);

  const appEnv = { ...env.env, HANDLER_URL: `${python.readyLine[1]}/`, WEBHOOK_URL: receiver.readyLine[1]! };
  const cli = [join(appDir, "node_modules/.bin/job-gateway"), "start"];
  gateway = await startAppProcess(appEnv, { cwd: appDir, command: [...cli, "--role", "gateway"] });
  running.push(gateway);
  running.push(await startAppProcess(appEnv, { cwd: appDir, command: [...cli, "--role", "worker"] }));
}, 240_000);

afterAll(async () => {
  for (const child of running.reverse()) child.kill("SIGTERM");
  await Promise.all(running.map((child) => child.exited));
  await env?.teardown();
  if (appDir) rmSync(appDir, { recursive: true, force: true });
});

it("type-checks against the package's declarations", async () => {
  await expect(run(join(appDir, "node_modules/.bin/tsc"), ["--noEmit", "-p", appDir], { cwd: appDir })).resolves.toBeDefined();
});

it.each([
  ["story.outline", { premise: "A lighthouse keeper", chapters: 3, msPerChapter: 100 }, { chapters: expect.any(Array) }],
  ["text.word-count", { text: "one two three four five", steps: 3 }, { words: 5 }],
])("%s, from the app's own config, runs to SUCCEEDED with progress, followed over graphql-ws, and its webhook arrives", async (type, params, result) => {
  await grant(env.sql, `story-${type}`, 10);
  const token = await tokenFor(`story-${type}`);
  const submitted = await gqlData(gateway.url, submitJobMutation, { input: { type, params } }, token);
  expect(submitted.submitJob.__typename).toBe("SubmitJobSuccess");
  const jobId: string = submitted.submitJob.job.id;

  const events = (await collectOverWebSocket(gateway.url, token, jobEventsSubscription, { id: jobId, after: 0 })).map((payload) => payload.data!.jobEvents);
  expect(events.at(-1)).toMatchObject({ status: "SUCCEEDED", progress: 1 });
  const progress = events.filter((event) => event.status === "RUNNING" && event.progress > 0 && event.progress < 1);
  expect(progress.length).toBeGreaterThanOrEqual(2);
  expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
  const job = await gqlData(gateway.url, "query ($id: ID!) { job(id: $id) { result } }", { id: jobId }, token);
  expect(job.job.result).toMatchObject(result);

  const line = await waitFor(() => receiver.output.find((output) => output.includes(jobId)), { what: `the webhook of ${jobId}` });
  expect(JSON.parse(line)).toMatchObject({ event: "job.succeeded", job: jobId, jobType: type, status: "SUCCEEDED" });
});
