import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { buildWeb } from "../../scripts/build-web.js";
import { runMigrations } from "../../src/db/migrate.js";
import { databaseUrl, uniqueName, withAdminSql } from "./services.js";
import { startVhostPool } from "./vhost-pool.js";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
    /** The run's pool of RabbitMQ vhosts (vhost-pool.ts). */
    vhostPool: string;
  }
}

interface RunSetup {
  templateDatabase: string;
  vhostPool: Awaited<ReturnType<typeof startVhostPool>>;
  users: number;
}

// Each project that names this file runs it, one after the other, in the one vitest process:
// the first makes what the run shares, the last one's teardown removes it.
const shared = globalThis as typeof globalThis & { jobGatewayTestSetup?: Promise<RunSetup> };

// About the number of vhosts a whole run takes (a file takes one per environment it makes);
// a file that finds none ready makes its own.
const vhostPoolSize = 80;

async function setUpRun(): Promise<RunSetup> {
  const template = uniqueName("jobgw_template");
  const pool = startVhostPool({ size: vhostPoolSize, firstBatch: 8, batch: 16, sweepMs: 2_000 });
  const made = await Promise.allSettled([
    pool,
    buildWeb(),
    (async () => {
      await withAdminSql((sql) => sql.unsafe(`create database ${template}`));
      await runMigrations(databaseUrl(template));
    })(),
  ]);
  const failed = made.find((result) => result.status === "rejected");
  if (failed) {
    // Nothing left behind by a setup that failed half way.
    await pool.then((vhostPool) => vhostPool.close()).catch(() => {});
    await withAdminSql((sql) => sql.unsafe(`drop database if exists ${template} with (force)`)).catch(() => {});
    throw failed.reason;
  }
  return { templateDatabase: template, vhostPool: await pool, users: 0 };
}

/**
 * Migrates one template database per run; every test file clones it. Builds
 * the dashboard once, so every gateway a test starts serves it at `/`. Makes the
 * run's RabbitMQ vhosts ahead, and deletes them as files are done with them.
 */
export default async function setup(project: TestProject) {
  shared.jobGatewayTestSetup ??= setUpRun();
  const run = await shared.jobGatewayTestSetup;
  run.users++;
  project.provide("templateDatabase", run.templateDatabase);
  project.provide("vhostPool", run.vhostPool.dir);
  return async () => {
    if (--run.users > 0) return;
    shared.jobGatewayTestSetup = undefined;
    await run.vhostPool.close();
    await withAdminSql((sql) => sql.unsafe(`drop database if exists ${run.templateDatabase} with (force)`));
  };
}
