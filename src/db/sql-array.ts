import { sql } from "drizzle-orm";

/** A typed array parameter list, `array[$1, $2, …]::type[]`, for `unnest` over rows sent as columns. */
export function sqlArray(values: readonly unknown[], type: "uuid" | "int" | "float8" | "text") {
  return sql`array[${sql.join(values.map((value) => sql`${value}`), sql`, `)}]::${sql.raw(type)}[]`;
}
