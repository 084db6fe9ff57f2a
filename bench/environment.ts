import { execFile } from "node:child_process";
import os from "node:os";
import { promisify } from "node:util";
import postgres from "postgres";
import { Connection } from "rabbitmq-client";
import { makeTopology } from "../src/broker/topology.js";
import { runMigrations } from "../src/db/migrate.js";
import { builtinJobTypes as allJobTypes } from "../src/jobs/builtin.js";
import { databaseUrl, rabbitmqBaseUrl, uniqueName, withAdminSql } from "../test/helpers/services.js";
import type { Cleanup } from "./cleanup.js";
import { createUsers } from "./users.js";

const run = promisify(execFile);

/** A database migrated once per bench run, cloned for each scenario run. */
export async function createMigratedTemplate(): Promise<{ name: string; drop: () => Promise<void> }> {
  const name = uniqueName("jobgw_bench_template");
  await withAdminSql((sql) => sql.unsafe(`create database ${name}`));
  const drop = () => withAdminSql((sql) => sql.unsafe(`drop database if exists ${name} with (force)`)).then(() => {});
  try {
    await runMigrations(databaseUrl(name));
  } catch (error) {
    await drop();
    throw error;
  }
  return { name, drop };
}

/** A fresh migrated database, dropped by `cleanup`. */
export const freshDatabase = (template: string, cleanup: Cleanup) => createDatabase(`template ${template}`, cleanup);

/** An empty database (for a peer that creates its own schema), dropped by `cleanup`. */
export const emptyDatabase = (cleanup: Cleanup) => createDatabase("", cleanup);

async function createDatabase(options: string, cleanup: Cleanup): Promise<string> {
  const name = uniqueName("jobgw_bench_run");
  await withAdminSql((sql) => sql.unsafe(`create database ${name} ${options}`));
  cleanup.add(() => withAdminSql((sql) => sql.unsafe(`drop database if exists ${name} with (force)`)));
  return databaseUrl(name);
}

/**
 * The bench's RabbitMQ vhost, one per bench run: rabbitmqctl costs about a
 * second of CPU per call here, so a vhost per scenario run would cost more
 * than some scenarios. Each run leaves it empty instead (see `emptiedVhost`).
 */
export async function createBenchVhost(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = uniqueName("jobgw_bench");
  await run("rabbitmqctl", ["-q", "add_vhost", name]);
  const drop = () => run("rabbitmqctl", ["-q", "delete_vhost", name]).then(() => {});
  try {
    await run("rabbitmqctl", ["-q", "set_permissions", "-p", name, "guest", ".*", ".*", ".*"]);
  } catch (error) {
    await drop();
    throw error;
  }
  return { url: `${rabbitmqBaseUrl}/${name}`, drop };
}

/**
 * The bench vhost for one scenario run: `cleanup` deletes every queue and
 * exchange of the project's topology once the run's processes are gone, so
 * the next run starts as on a new vhost (no message or consumer left over).
 */
export function emptiedVhost(url: string, cleanup: Cleanup): string {
  cleanup.add(async () => {
    const connection = new Connection({ url, connectionName: "bench-cleanup" });
    try {
      await connection.onConnect(10_000, true);
      const topology = makeTopology(allJobTypes.map((type) => ({ name: type.name, backoffMs: type.backoffMs })));
      for (const { queue } of topology.queues) await connection.queueDelete({ queue });
      for (const { exchange } of topology.exchanges) await connection.exchangeDelete({ exchange });
    } finally {
      await connection.close();
    }
  });
  return url;
}

export interface Machine {
  cpus: number;
  model: string;
  memory: string;
  node: string;
  postgres: string;
  rabbitmq: string;
}

export async function describeMachine(): Promise<Machine> {
  const postgres = await withAdminSql(async (sql) => (await sql<[{ v: string }]>`select current_setting('server_version') as v`)[0].v);
  const rabbitmq = await run("rabbitmqctl", ["-q", "version"]).then(
    (out) => out.stdout.trim(),
    () => "unknown",
  );
  return {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model ?? "unknown",
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    postgres,
    rabbitmq,
  };
}

/**
 * What a scenario that submits over HTTP starts from: an emptied vhost, a
 * fresh database, a connection to it, and `users` users (ids, and a token
 * each in the same order) with credits enough never to be refused.
 */
export async function submittersSetup(context: { template: string; rabbitmqUrl: string; cleanup: Cleanup }, users: number) {
  const rabbitmqUrl = emptiedVhost(context.rabbitmqUrl, context.cleanup);
  const url = await freshDatabase(context.template, context.cleanup);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  context.cleanup.add(() => sql.end({ timeout: 5 }));
  const { ids, tokens } = await createUsers(sql, users, 1_000_000_000);
  return { rabbitmqUrl, url, sql, ids, tokens };
}
