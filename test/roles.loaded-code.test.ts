import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { gqlData } from "./helpers/graphql-client.js";
import { grant } from "./helpers/ledger.js";
import { startAppProcess, type AppProcess } from "./helpers/processes.js";
import { submitJobMutation } from "./helpers/queries.js";
import { createTestEnvironment, tokenFor, type TestEnvironment } from "./helpers/test-app.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const throwingConfig = join(root, "test/fixtures/throwing-handler/job-gateway.config.ts");
const moduleLog = ["--import", "./test/helpers/module-log.mjs"];
const logDir = mkdtempSync(join(tmpdir(), "jobgw-modules-"));

let env: TestEnvironment;
const processes: AppProcess[] = [];

beforeAll(async () => {
  env = await createTestEnvironment();
});
afterAll(async () => {
  for (const p of processes) p.kill("SIGTERM");
  await Promise.all(processes.map((p) => p.exited));
  await env?.teardown();
});

const loadedBy = (file: string) => readFileSync(file, "utf8").split("\n").filter(Boolean);

it("a gateway serves a type whose handler module throws on import: it starts, takes submits and is ready, and loads no handler or consumer code", async () => {
  const file = join(logDir, "gateway.log");
  const gateway = await startAppProcess({ ...env.env, ROLE: "gateway", JOB_GATEWAY_CONFIG: throwingConfig, MODULE_LOG_FILE: file }, { nodeArgs: moduleLog });
  processes.push(gateway);

  await grant(env.sql, "exploder", 1);
  const data = await gqlData(gateway.url, submitJobMutation, { input: { type: "fixture.exploding", params: {} } }, await tokenFor("exploder"));
  expect(data.submitJob.__typename).toBe("SubmitJobSuccess");
  expect((await fetch(new URL("/readyz", gateway.url))).status).toBe(200);

  const loaded = loadedBy(file);
  expect(loaded.some((url) => url.includes("/src/schema/"))).toBe(true);
  expect(loaded.filter((url) => url.includes("exploding-handler") || url.includes("/src/jobs/handlers/") || url.includes("/src/consumers/"))).toEqual([]);
  // Tens of MB each, loaded only when used: the AWS SDK and @tus/s3-store by S3 stores (these are
  // local), GraphiQL's bundle by the first GraphiQL page.
  expect(loaded.filter((url) => /@aws-sdk|@tus\/s3-store|render-graphiql/.test(url))).toEqual([]);
  const graphiql = await fetch(gateway.url, { headers: { accept: "text/html" } });
  expect(await graphiql.text()).toContain("<title>Job gateway</title>");
  expect(loadedBy(file).some((url) => url.includes("render-graphiql"))).toBe(true);
});

it("a worker builds no GraphQL schema: no schema module, Pothos or yoga is loaded", async () => {
  const file = join(logDir, "worker.log");
  const worker = await startAppProcess({ ...env.env, ROLE: "worker", MODULE_LOG_FILE: file }, { nodeArgs: moduleLog });
  processes.push(worker);
  const loaded = loadedBy(file);
  expect(loaded.some((url) => url.includes("/src/consumers/runtime"))).toBe(true);
  expect(loaded.filter((url) => /\/src\/schema\/|@pothos|graphql-yoga|\/src\/http\/gateway/.test(url))).toEqual([]);
});

/** Runs a worker that must stop at start; its exit code and what it printed on stderr. */
function failedWorker(config: string) {
  return run(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: root,
    env: { ...process.env, ...env.env, ROLE: "worker", JOB_GATEWAY_CONFIG: config, LOG_LEVEL: "info" },
  }).then(
    () => null,
    (error: { code: number; stderr: string }) => error,
  );
}

it("a worker whose handler module throws on import stops at start with one line naming the type", async () => {
  const failed = await failedWorker(throwingConfig);
  expect(failed?.code).toBe(1);
  expect(failed!.stderr.trim()).toBe("the handler of job type fixture.exploding could not be loaded: the exploding handler was imported");
});

it("a worker whose config names no handler at all stops at start saying so", async () => {
  const failed = await failedWorker(join(root, "test/fixtures/no-handlers/job-gateway.config.ts"));
  expect(failed?.code).toBe(1);
  expect(failed!.stderr.trim()).toBe("the config names no handler for any of its job types (fixture.exploding): this worker would run nothing");
});
