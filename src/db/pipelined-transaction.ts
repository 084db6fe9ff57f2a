import type postgres from "postgres";

/**
 * A transaction on a connection reserved from the pool, whose BEGIN goes out
 * together with the first statements `work` sends, without waiting for its
 * answer: postgres.js's `begin` (and drizzle's `transaction`, built on it)
 * sends BEGIN alone and waits a round trip before the first statement. On one
 * connection PostgreSQL runs what it is sent in order, so the statements still
 * run inside the transaction; should BEGIN fail, so do they. `work` must await
 * every statement it sends. Rolled back when `work` throws; the connection
 * goes back to the pool either way.
 */
export async function inPipelinedTransaction<T>(sql: postgres.Sql, work: (tx: postgres.Sql) => Promise<T>): Promise<T> {
  const tx = await sql.reserve();
  try {
    const begun = tx.unsafe("begin").execute();
    // Both settled before anything else is sent: no statement of `work` may follow the rollback.
    const [begin, worked] = await Promise.allSettled([begun, work(tx)]);
    if (begin.status === "rejected" || worked.status === "rejected") {
      await tx.unsafe("rollback").catch(() => {});
      throw begin.status === "rejected" ? begin.reason : (worked as PromiseRejectedResult).reason;
    }
    await tx.unsafe("commit");
    return worked.value;
  } finally {
    tx.release();
  }
}
