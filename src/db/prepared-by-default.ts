import type postgres from "postgres";

// Statements with more parameters than this (long `in (...)` lists) vary in text with their
// length; left unnamed, they do not fill every connection with one prepared statement per length.
const maxPreparedParameters = 64;

/**
 * drizzle runs every query it did not name with `prepare: false`, which makes
 * postgres.js send Parse and Describe, wait for the parameter types, then
 * Bind and Execute: two round trips per statement, and a parse and plan
 * each time. Through this wrapper, its queries become named prepared
 * statements, cached per connection by postgres.js: one round trip, parsed
 * once. Transactions (and their savepoints) get the same wrapper.
 */
export function preparedByDefault(sql: postgres.Sql): postgres.Sql {
  return new Proxy(sql, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      if (property === "unsafe") {
        return (query: string, parameters?: unknown[], options?: postgres.UnsafeQueryOptions) =>
          target.unsafe(query, parameters as never, {
            ...options,
            prepare: (parameters?.length ?? 0) <= maxPreparedParameters,
          });
      }
      if (property === "begin" || property === "savepoint") {
        return (...args: unknown[]) => {
          const work = args.at(-1) as (tx: postgres.Sql) => unknown;
          return (value as (...a: unknown[]) => unknown).apply(target, [...args.slice(0, -1), (tx: postgres.Sql) => work(preparedByDefault(tx))]);
        };
      }
      return value.bind(target);
    },
  });
}
