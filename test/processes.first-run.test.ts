import postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startAppProcess } from "./helpers/processes.js";
import { databaseUrl, uniqueName, withAdminSql } from "./helpers/services.js";
import { createTestEnvironment, type TestEnvironment } from "./helpers/test-app.js";

let env: TestEnvironment;
const name = uniqueName("jobgw_first_run");

beforeAll(async () => {
  env = await createTestEnvironment();
});
afterAll(async () => {
  await withAdminSql((sql) => sql.unsafe(`drop database if exists ${name} with (force)`));
  await env?.teardown();
});

it("the compiled start (npm start) on a server without its database creates it, migrates it and serves", async () => {
  const app = await startAppProcess({ ...env.env, DATABASE_URL: databaseUrl(name) }, { command: [process.execPath, "dist/main.js"] });
  try {
    expect(app.output.some((line) => line.includes('"msg":"database created"'))).toBe(true);
    expect((await fetch(new URL("/readyz", app.url))).status).toBe(200);
    const created = postgres(databaseUrl(name), { max: 1 });
    try {
      const [jobs] = await created<{ count: number }[]>`select count(*)::int as count from jobs`;
      expect(jobs!.count).toBe(0);
    } finally {
      await created.end();
    }
  } finally {
    app.kill("SIGTERM");
    await app.exited;
  }
});
