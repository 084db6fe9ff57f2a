import { afterAll, beforeAll, inject } from "vitest";
import { createDb, type Db, type Sql } from "../../src/db/client.js";
import { createTestDatabase } from "./services.js";

/**
 * A migrated database of the test file's own, for tests of the queries
 * alone (no app, no broker); read `db` and `sql` inside the tests.
 */
export function useTestDatabase() {
  const state = {} as { db: Db; sql: Sql };
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let client: ReturnType<typeof createDb> | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(inject("templateDatabase"));
    client = createDb(database.url, { max: 4 });
    state.db = client.db;
    state.sql = client.sql;
  });
  afterAll(async () => {
    await client?.close();
    await database?.drop();
  });
  return state;
}
