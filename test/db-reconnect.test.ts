import { expect, it } from "vitest";
import { collectOverWebSocket, gqlData, openWebSocketSubscription } from "./helpers/graphql-client.js";
import { grant } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { jobEventsSubscription, jobUpdatedSubscription, submitJobMutation } from "./helpers/queries.js";
import { withAdminSql } from "./helpers/services.js";
import { tokenFor, useTestApp } from "./helpers/test-app.js";

const t = useTestApp();

/** Cuts every connection the app holds to its database, the LISTEN one included. */
async function dropAppConnections(): Promise<number> {
  const database = new URL(t.env.databaseUrl).pathname.slice(1);
  return withAdminSql(async (sql) => {
    const killed = await sql`
      select pg_terminate_backend(pid) from pg_stat_activity
      where datname = ${database} and application_name like 'job-gateway%'`;
    return killed.length;
  });
}

it("after its PostgreSQL connections are cut, the app reconnects by itself and live subscriptions keep flowing", async () => {
  await grant(t.env.sql, "reconnect", 5);
  const token = await tokenFor("reconnect");
  const submitted = await gqlData(t.app.url, submitJobMutation, { input: { type: "demo.simulate", params: { steps: 30, stepMs: 50 } } }, token);
  const id = submitted.submitJob.job.id;

  // A subscriber already following the job when the connections drop.
  const follower = openWebSocketSubscription(t.app.url, token, jobEventsSubscription, { id, after: 0 });
  const seen: number[] = [];
  const following = (async () => {
    for (;;) {
      const payload = await follower.next();
      if (!payload) return;
      seen.push(payload.data!.jobEvents.seq);
      if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(payload.data!.jobEvents.status)) return;
    }
  })();

  await waitFor(async () => seen.length >= 3 || undefined);
  expect(await dropAppConnections()).toBeGreaterThan(0);

  await following;
  await follower.close();
  seen.forEach((seq, i) => expect(seq).toBe(i + 1));
  const [job] = await t.env.sql`select status, seq from jobs where id = ${id}`;
  expect(job!.status).toBe("SUCCEEDED");
  expect(seen.at(-1)).toBe(job!.seq);

  // And new work still goes through end to end.
  const again = await gqlData(t.app.url, submitJobMutation, { input: { type: "demo.simulate", params: { steps: 2, stepMs: 10 } } }, token);
  const payloads = await collectOverWebSocket(t.app.url, token, jobUpdatedSubscription, { id: again.submitJob.job.id });
  expect(payloads.at(-1)!.data!.jobUpdated.status).toBe("SUCCEEDED");
});
