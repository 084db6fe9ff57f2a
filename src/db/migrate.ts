import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

// Any constant shared by every process of this application.
const migrationLockKey = 7_343_221_901;

/**
 * Applies pending migrations on a connection of its own, under an advisory
 * lock, so processes starting together apply each migration once.
 */
export async function runMigrations(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${migrationLockKey})`;
    try {
      await migrate(drizzle(sql), { migrationsFolder });
    } finally {
      await sql`select pg_advisory_unlock(${migrationLockKey})`;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}
