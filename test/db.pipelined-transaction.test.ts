import postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";
import { inPipelinedTransaction } from "../src/db/pipelined-transaction.js";
import { useTestDatabase } from "./helpers/test-database.js";

const t = useTestDatabase();

// A client of its own, of one connection, that says what it sends and when.
const sent: string[] = [];
let sql: postgres.Sql;
beforeAll(async () => {
  const url = (await t.sql`select current_database() as name`)[0]!.name as string;
  sql = postgres({ host: "127.0.0.1", port: 5432, user: "postgres", database: url, max: 1, onnotice: () => {}, debug: (_connection, query) => sent.push(query.trim()) });
  await sql`create table pipelined_notes (note text not null)`;
});
afterAll(() => sql.end({ timeout: 5 }));

it("sends the first statement before BEGIN has answered, and runs it inside the transaction", async () => {
  sent.length = 0;
  const ids = await inPipelinedTransaction(sql, async (tx) => {
    sent.push("(work started)");
    const [first] = await tx.unsafe<[{ id: string }]>("select pg_current_xact_id()::text as id");
    const [second] = await tx.unsafe<[{ id: string }]>("select pg_current_xact_id()::text as id");
    return [first!.id, second!.id];
  });
  expect(ids[0]).toBe(ids[1]);
  // postgres.js says a query when it writes it: the work started before BEGIN was even written (so
  // it never waited for its answer), and its statement went out right behind it.
  expect(sent.slice(0, 3)).toEqual(["(work started)", "begin", "select pg_current_xact_id()::text as id"]);
  expect(sent.at(-1)).toBe("commit");
});

it("commits what the work wrote, and rolls it back, rethrowing, when the work throws", async () => {
  await inPipelinedTransaction(sql, (tx) => tx`insert into pipelined_notes values ('kept')`.then(() => undefined));
  const failure = inPipelinedTransaction(sql, async (tx) => {
    await tx`insert into pipelined_notes values ('dropped')`;
    throw new Error("work failed");
  });
  await expect(failure).rejects.toThrow("work failed");
  expect((await sql`select note from pipelined_notes order by note`).map((row) => row.note)).toEqual(["kept"]);
});

it("a failing statement rolls back the statements sent with it, and the connection serves the next transaction", async () => {
  const failure = inPipelinedTransaction(sql, async (tx) => {
    await Promise.all([tx`insert into pipelined_notes values ('with the failure')`, tx`insert into pipelined_notes values (null)`]);
  });
  await expect(failure).rejects.toMatchObject({ code: "23502" }); // not_null_violation
  // One connection in the pool: it came back, out of any transaction.
  const [kept] = await inPipelinedTransaction(sql, (tx) => tx<[{ n: number }]>`select count(*)::int as n from pipelined_notes where note = 'with the failure'`);
  expect(kept!.n).toBe(0);
  expect((await sql`select count(*)::int as n from pipelined_notes`)[0]!.n).toBe(1);
});
