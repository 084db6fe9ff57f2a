import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, inject } from "vitest";
import { startApp, type App } from "../../src/app.js";
import { loadConfig, type Config } from "../../src/config.js";
import { createDb } from "../../src/db/client.js";
import { signAccessToken } from "../../src/auth/tokens.js";
import type { GatewayConfig } from "../../src/app-config/define-config.js";
import { testAppConfig, type TestJobType } from "./job-types.js";
import { builtinJobTypes } from "../../src/jobs/builtin.js";
import { createTestDatabase, rabbitmqBaseUrl } from "./services.js";
import { claimVhost } from "./vhost-pool.js";

export const testJwtSecret = "test-secret-0123456789abcdef0123456789";

/** A database, a vhost and a DATA_DIR (artifacts) of this test file's own, and the config pointing at them. */
export async function createTestEnvironment() {
  const database = await createTestDatabase(inject("templateDatabase"));
  // A RabbitMQ vhost of its own, so no test sees another's queues.
  const vhost = await claimVhost(inject("vhostPool"), rabbitmqBaseUrl);
  const dataDir = await mkdtemp(join(tmpdir(), "jobgw-data-"));
  const env: Record<string, string> = {
    NODE_ENV: "test",
    DATABASE_URL: database.url,
    RABBITMQ_URL: vhost.url,
    JWT_SECRET: testJwtSecret,
    ARTIFACT_URL_SECRET: "test-artifact-link-secret-0123456789abcdef",
    DATA_DIR: dataDir,
    PORT: "0",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    PROGRESS_MIN_INTERVAL_MS: "0",
    OUTBOX_POLL_MS: "200",
    SHUTDOWN_GRACE_MS: "5000",
  };
  const db = createDb(database.url, { max: 4 });
  return {
    env,
    databaseUrl: database.url,
    vhost,
    db: db.db,
    sql: db.sql,
    config: (overrides: Record<string, string> = {}): Config => loadConfig({ ...env, ...overrides }),
    async teardown() {
      await db.close();
      await database.drop();
      await vhost.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export type TestEnvironment = Awaited<ReturnType<typeof createTestEnvironment>>;

export async function startTestApp(
  environment: TestEnvironment,
  options: { overrides?: Record<string, string>; jobTypes?: readonly TestJobType[]; app?: Omit<GatewayConfig, "jobTypes"> } = {},
): Promise<App & { url: string }> {
  const config = environment.config(options.overrides);
  const app = await startApp({
    config,
    log: pino({ level: config.logLevel }),
    app: options.jobTypes || options.app ? testAppConfig(options.jobTypes ?? builtinJobTypes, options.app) : undefined,
  });
  return Object.assign(app, { url: `http://127.0.0.1:${app.port}/graphql` });
}

export function tokenFor(sub: string, options: { admin?: boolean; expiresIn?: string | number } = {}): Promise<string> {
  return signAccessToken(testJwtSecret, { sub, admin: options.admin, expiresIn: options.expiresIn ?? "1h" });
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/**
 * Gives the test file a fresh environment and a running app for all its
 * tests (beforeAll/afterAll); read `env` and `app` inside the tests.
 */
export function useTestApp(options: Parameters<typeof startTestApp>[1] = {}) {
  const state = {} as { env: TestEnvironment; app: TestApp };
  beforeAll(async () => {
    state.env = await createTestEnvironment();
    state.app = await startTestApp(state.env, options);
  });
  afterAll(async () => {
    await state.app?.stop();
    await state.env?.teardown();
  });
  return state;
}
