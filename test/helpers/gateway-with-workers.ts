import { afterAll, beforeAll } from "vitest";
import { startAppProcess, type AppProcess } from "./processes.js";
import type { TestJobType } from "./job-types.js";
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from "./test-app.js";

/**
 * For tests about worker processes: an in-process gateway (no consumers) on a
 * fresh environment, and `startWorker` for worker OS processes, all stopped
 * after the file's tests. `jobTypes`: the gateway's types (default the built-in
 * ones); workers of other types than the built-in ones need a JOB_GATEWAY_CONFIG.
 */
export function useGatewayWithWorkers(options: { jobTypes?: readonly TestJobType[] } = {}) {
  const workers: AppProcess[] = [];
  const state = {
    env: undefined as unknown as TestEnvironment,
    gateway: undefined as unknown as TestApp,
    async startWorker(overrides: Record<string, string> = {}): Promise<AppProcess> {
      const worker = await startAppProcess({ ...state.env.env, ROLE: "worker", ...overrides });
      workers.push(worker);
      return worker;
    },
  };
  beforeAll(async () => {
    state.env = await createTestEnvironment();
    state.gateway = await startTestApp(state.env, { overrides: { ROLE: "gateway" }, jobTypes: options.jobTypes });
  }, 60_000);
  afterAll(async () => {
    for (const worker of workers) worker.kill("SIGTERM");
    await Promise.all(workers.map((worker) => worker.exited));
    await state.gateway?.stop();
    await state.env?.teardown();
  });
  return state;
}
