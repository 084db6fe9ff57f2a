import { afterAll, beforeAll, expect, it } from "vitest";
import WebSocket from "ws";
import { collectOverWebSocket, gqlData } from "./helpers/graphql-client.js";
import { grant } from "./helpers/ledger.js";
import { startAppProcess, type AppProcess } from "./helpers/processes.js";
import { jobUpdatedSubscription, submitJobMutation } from "./helpers/queries.js";
import { createTestEnvironment, tokenFor, type TestEnvironment } from "./helpers/test-app.js";

let env: TestEnvironment;
const processes: AppProcess[] = [];

beforeAll(async () => {
  env = await createTestEnvironment();
  // Start one first so its migration check runs alone, then the rest together.
  processes.push(await startAppProcess({ ...env.env, ROLE: "gateway" }));
  processes.push(...(await Promise.all([startAppProcess({ ...env.env, ROLE: "gateway" }), startAppProcess({ ...env.env, ROLE: "worker" })])));
}, 60_000);

afterAll(async () => {
  for (const p of processes) p.kill("SIGTERM");
  await Promise.all(processes.map((p) => p.exited));
  await env?.teardown();
});

it("a subscriber on gateway B follows a job submitted through gateway A and run by a separate worker process", async () => {
  const [gatewayA, gatewayB] = processes;
  await grant(env.sql, "cross", 3);
  const token = await tokenFor("cross");
  const submitted = await gqlData(
    gatewayA!.url,
    submitJobMutation,
    { input: { type: "demo.simulate", params: { steps: 4, stepMs: 100, result: "from the worker" } } },
    token,
  );
  const jobId = submitted.submitJob.job.id;
  const payloads = await collectOverWebSocket(gatewayB!.url, token, jobUpdatedSubscription, { id: jobId });
  const statuses = payloads.map((p) => p.data!.jobUpdated.status);
  expect(statuses.at(-1)).toBe("SUCCEEDED");
  expect(payloads.at(-1)!.data!.jobUpdated.result).toBe("from the worker");
  expect(statuses).toContain("RUNNING");
  const me = await gqlData(gatewayB!.url, "{ me { balance } }", {}, token);
  expect(me.me.balance).toBe(2);
});

it("a gateway stopped with SIGTERM closes its WebSockets with 1001 (going away) and exits 0", async () => {
  const gatewayB = processes[1]!;
  const socket = new WebSocket(gatewayB.url.replace(/^http/, "ws"), "graphql-transport-ws");
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: {} })));
    socket.once("message", () => resolve());
    socket.once("error", reject);
  });
  const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
  gatewayB.kill("SIGTERM");
  expect(await closed).toBe(1001);
  expect(await gatewayB.exited).toBe(0);
});
