import { getTableColumns, is, Param, Placeholder, sql, SQL, type DriverValueEncoder, type Query, type Table } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { drizzle, type PostgresJsSession } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import type { Db, DbOrTx } from "./client.js";
import * as schema from "./schema.js";

/**
 * Statements built once per process, for the hot paths (submit, claim,
 * progress, heartbeat, finish, stream reads). drizzle rebuilds a query's text
 * on every call (walking its chunks, an `is()` check for each), which a
 * profile of the gateway under load showed as its largest share of self
 * time. A statement here is built by drizzle on first use, with
 * `sql.placeholder(name)` (or `slot`) where a call's values go, and each call
 * only fills the slots and sends the text through the caller's connection.
 *
 * Why not drizzle's `.prepare()`: it binds the statement to the client it was
 * built on, the pool, and a transaction runs on a client of its own (a new
 * one each time); a statement here runs on the pool or in any transaction.
 * Its text never varies, so postgres.js names it and prepares it once per
 * connection; with DATABASE_PREPARED_STATEMENTS=false (PgBouncer) the client's
 * `prepare: false` wins and it goes unnamed, as every other query does.
 * A list (ids, endpoints) is one array parameter (`unnest`, `= any`), so its
 * length never changes the text. It runs on a drizzle db or transaction, or
 * straight on a postgres.js client (a reserved connection: pipelined-transaction.ts).
 */
export interface Statement<Values extends Record<string, unknown>, Row> {
  run(q: Runner, values: Values): Promise<Row[]>;
  /** The text, as sent; built on first use. */
  text(): string;
}

/** Where a statement runs: the pool, a drizzle transaction, or a postgres.js connection of the caller's. */
export type Runner = DbOrTx | postgres.Sql;

/** What drizzle builds a statement from: a query builder, or an `sql` template. */
export type Buildable = SQL | { toSQL(): Query };

const dialect = new PgDialect();

// What statements are built with: drizzle's builders, with no client behind them (the text depends on none).
const builder: Db = drizzle.mock({ schema });

/**
 * A slot for a call's value, `sql.placeholder(name)` as SQL (so that it goes
 * where drizzle's types want SQL, `.set()` included). With an encoder (a
 * column), the value is encoded as drizzle encodes that column's values (jsonb
 * as JSON text, a Date as ISO), null staying SQL NULL.
 */
export function slot(name: string, encoder?: DriverValueEncoder<unknown, unknown>): SQL {
  return encoder ? sql`${sql.param(sql.placeholder(name), encoder)}` : sql`${sql.placeholder(name)}`;
}

/** `build` runs once, on the first call, with drizzle's builders. */
export function statement<Values extends Record<string, unknown>, Raw extends Record<string, unknown> = Record<string, unknown>, Row = Raw>(
  build: (q: Db) => Buildable,
  mapRow?: (raw: Raw) => Row,
): Statement<Values, Row> {
  let built: { text: string; fill: (values: Values) => unknown[] } | undefined;
  const prepare = () => (built ??= compile<Values>(build(builder)));
  return {
    async run(q, values) {
      const { text, fill } = prepare();
      const rows = await clientOf(q).unsafe<Raw[]>(text, fill(values) as postgres.ParameterOrJSON<never>[], { prepare: true });
      return mapRow ? rows.map(mapRow) : (rows as unknown as Row[]);
    },
    text: () => prepare().text,
  };
}

function compile<Values extends Record<string, unknown>>(buildable: Buildable) {
  const query = is(buildable, SQL) ? dialect.sqlToQuery(buildable) : buildable.toSQL();
  // Each parameter's source, worked out once: a constant of the statement, or a slot's value (encoded).
  const sources = query.params.map((param): ((values: Values) => unknown) => {
    if (is(param, Placeholder)) return (values) => valueOf(values, param.name);
    if (is(param, Param) && is(param.value, Placeholder)) {
      const { encoder } = param;
      const name = param.value.name;
      return (values) => {
        const value = valueOf(values, name);
        return value === null ? null : encoder.mapToDriverValue(value);
      };
    }
    return () => param;
  });
  return { text: query.sql, fill: (values: Values) => sources.map((source) => source(values)) };
}

function valueOf(values: Record<string, unknown>, name: string): unknown {
  const value = values[name];
  if (value === undefined) throw new Error(`no value for the statement's slot ${name}`);
  return value;
}

/** The postgres.js client a db or transaction runs its queries on (the pool, or the transaction's connection). */
export function clientOf(q: Runner): postgres.Sql {
  // A postgres.js client is a function (a tagged template); drizzle's db and transactions are objects.
  if (typeof q === "function") return q;
  return (q._.session as unknown as PostgresJsSession<postgres.Sql, Record<string, unknown>, never>).client;
}

/**
 * Maps a row as postgres.js returns it (columns by their database names) to
 * the table's row type, each value decoded by its column as drizzle decodes
 * it (a timestamp to a Date). Null stays null.
 */
export function rowOf<T extends Table>(table: T): (raw: Record<string, unknown>) => T["$inferSelect"] {
  const columns = Object.entries(getTableColumns(table));
  return (raw) => {
    const row: Record<string, unknown> = {};
    for (const [key, column] of columns) {
      const value = raw[column.name];
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return row as T["$inferSelect"];
  };
}
