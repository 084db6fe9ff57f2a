import type { Sql } from "../../src/db/client.js";

/** For every user: balance, ledger sum and the cost of their SUCCEEDED jobs. */
export async function ledgerReport(sql: Sql) {
  return sql<{ subject: string; balance: number; ledgerSum: number; charged: number; succeededCost: number }[]>`
    select u.subject, u.balance,
      coalesce((select sum(amount) from ledger_entries l where l.user_id = u.id), 0)::int as "ledgerSum",
      coalesce((select -sum(amount) from ledger_entries l where l.user_id = u.id and l.kind in ('charge', 'refund')), 0)::int as "charged",
      coalesce((select sum(cost) from jobs j where j.user_id = u.id and j.status = 'SUCCEEDED'), 0)::int as "succeededCost"
    from users u order by u.subject`;
}

export async function grant(sql: Sql, subject: string, amount: number): Promise<void> {
  await sql.begin(async (tx) => {
    const [user] = await tx`
      insert into users (subject, balance) values (${subject}, 0)
      on conflict (subject) do update set subject = excluded.subject returning id`;
    await tx`update users set balance = balance + ${amount} where id = ${user!.id}`;
    await tx`insert into ledger_entries (user_id, amount, kind, reason) values (${user!.id}, ${amount}, 'grant', 'test')`;
  });
}
