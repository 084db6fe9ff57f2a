import postgres from "postgres";

/** The PostgreSQL server tests use; each test file gets its own database on it. */
export const postgresAdminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const rabbitmqBaseUrl = process.env.TEST_RABBITMQ_URL ?? "amqp://guest:guest@127.0.0.1:5672";

export function databaseUrl(name: string): string {
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export const uniqueName = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

export async function withAdminSql<T>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(postgresAdminUrl, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end();
  }
}

/** A database cloned from the migrated template: a fresh, migrated database in milliseconds. */
export async function createTestDatabase(template: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = uniqueName("jobgw_test");
  await withAdminSql((sql) => sql.unsafe(`create database ${name} template ${template}`));
  return {
    url: databaseUrl(name),
    drop: () => withAdminSql((sql) => sql.unsafe(`drop database if exists ${name} with (force)`)).then(() => {}),
  };
}
