import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { preparedByDefault } from "./prepared-by-default.js";
import * as schema from "./schema.js";

export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;
export type Sql = postgres.Sql;

export interface DbOptions {
  max?: number;
  /** Shown in pg_stat_activity, so an operator can tell gateways from workers. */
  applicationName?: string;
  /** Named prepared statements for drizzle's queries (default true); see prepared-by-default.ts. */
  preparedStatements?: boolean;
}

const connect = (url: string, max: number, applicationName: string, prepared: boolean) =>
  postgres(url, { max, prepare: prepared, onnotice: () => {}, connection: { application_name: applicationName } });

/** Opens a pool; `sql` is the raw client, used for LISTEN. */
export function createDb(url: string, options: DbOptions = {}) {
  const prepared = options.preparedStatements ?? true;
  const sql = connect(url, options.max ?? 10, options.applicationName ?? "job-gateway", prepared);
  const db = drizzle(prepared ? preparedByDefault(sql) : sql, { schema });
  return {
    db,
    sql,
    close: () => sql.end({ timeout: 5 }),
  };
}

/**
 * A connection of its own for short statements that must not queue behind
 * the pool's work (job hints: a NOTIFY waiting behind hundreds of progress
 * writes would delay every stream by as long; the readiness probe).
 */
export function createDedicatedConnection(url: string, applicationName: string, options: { preparedStatements?: boolean } = {}) {
  const sql = connect(url, 1, applicationName, options.preparedStatements ?? true);
  return { sql, close: () => sql.end({ timeout: 5 }) };
}
