import type postgres from "postgres";
import { signAccessToken } from "../src/auth/tokens.js";

export const benchJwtSecret = "bench-secret-0123456789abcdef0123456789";

/**
 * `count` users with `balance` credits each (a matching grant in the ledger,
 * as the gateway would write it), and a token for each, in the same order.
 */
export async function createUsers(sql: postgres.Sql, count: number, balance: number): Promise<{ ids: string[]; tokens: string[] }> {
  const rows = await sql<{ id: string; subject: string }[]>`
    with created as (
      insert into users (subject, balance)
      select 'bench-' || i, ${balance}::int from generate_series(0, ${count - 1}::int) as i
      returning id, subject, balance
    ), granted as (
      insert into ledger_entries (user_id, amount, kind, reason) select id, balance, 'grant', 'bench' from created
    )
    select id, subject from created order by split_part(subject, '-', 2)::int`;
  const tokens = await Promise.all(rows.map((row) => signAccessToken(benchJwtSecret, { sub: row.subject, expiresIn: "2h" })));
  return { ids: rows.map((row) => row.id), tokens };
}
