import { afterAll, beforeAll, expect, it } from "vitest";
import { cancelJob } from "../src/db/queries/cancel-job.js";
import { noJobHints } from "../src/events/job-hints.js";
import { noWebhooks } from "../src/webhooks/routing.js";
import { gqlData, openWebSocketSubscription } from "./helpers/graphql-client.js";
import { grant } from "./helpers/ledger.js";
import { jobEventsSubscription, jobUpdatedSubscription, submitJobMutation } from "./helpers/queries.js";
import { createTestEnvironment, startTestApp, tokenFor, type TestEnvironment } from "./helpers/test-app.js";

// Hints travel after commit, so a writer that dies between its commit and its NOTIFY loses
// them. Streams must still deliver the change, by their slow poll, with no gap.
const streamPollMs = 300;

let env: TestEnvironment;
let app: Awaited<ReturnType<typeof startTestApp>>;
let token: string;

beforeAll(async () => {
  env = await createTestEnvironment();
  // A gateway alone: nothing runs the jobs, so the test's write is the only change.
  app = await startTestApp(env, { overrides: { ROLE: "gateway", STREAM_POLL_MS: String(streamPollMs) } });
  await grant(env.sql, "lost-hints", 10);
  token = await tokenFor("lost-hints");
});
afterAll(async () => {
  await app?.stop();
  await env?.teardown();
});

const myJobUpdated = /* GraphQL */ `subscription { myJobUpdated { id status seq } }`;

it("a change committed without a hint reaches every kind of stream by the next poll", async () => {
  const submitted = await gqlData(app.url, submitJobMutation, { input: { type: "demo.simulate", params: {} } }, token);
  const id: string = submitted.submitJob.job.id;

  const events = openWebSocketSubscription(app.url, token, jobEventsSubscription, { id, after: 0 });
  const updates = openWebSocketSubscription(app.url, token, jobUpdatedSubscription, { id });
  try {
    expect((await events.next())!.data!.jobEvents).toMatchObject({ seq: 1, status: "QUEUED" });
    expect((await updates.next())!.data!.jobUpdated).toMatchObject({ seq: 1, status: "QUEUED" });

    // As if written by a process that crashed right after its commit: no hint at all.
    const cancelled = await cancelJob(env.db, noJobHints, noWebhooks, id, null);
    expect(cancelled.kind).toBe("cancelled");
    const written = Date.now();

    expect((await events.next())!.data!.jobEvents).toMatchObject({ seq: 2, status: "CANCELLED" });
    expect(await events.next()).toBeNull();
    expect((await updates.next())!.data!.jobUpdated).toMatchObject({ seq: 2, status: "CANCELLED" });
    expect(await updates.next()).toBeNull();
    // Took the poll, not a hint (a hint would have come within milliseconds, there is none).
    expect(Date.now() - written).toBeLessThan(streamPollMs * 2 + 1_000);
  } finally {
    await events.close();
    await updates.close();
  }
});

it("myJobUpdated re-reads the jobs it has seen, so a change without a hint arrives by the next poll", async () => {
  const mine = openWebSocketSubscription(app.url, token, myJobUpdated, {});
  try {
    // myJobUpdated sends nothing until a job changes, so submit until the open stream reports one.
    const first = mine.next();
    let arrived = false;
    void first.then(() => (arrived = true));
    const submitted: string[] = [];
    while (!arrived) {
      const data = await gqlData(app.url, submitJobMutation, { input: { type: "demo.simulate", params: {} } }, token);
      submitted.push(data.submitJob.job.id);
      await Promise.race([first, new Promise((resolve) => setTimeout(resolve, 50))]);
    }
    const seen = (await first)!.data!.myJobUpdated;
    expect(submitted).toContain(seen.id);
    expect(seen).toMatchObject({ seq: 1, status: "QUEUED" });

    await cancelJob(env.db, noJobHints, noWebhooks, seen.id, null);
    // Later submits may report first; the cancelled job must come, with its new seq.
    for (;;) {
      const next = (await mine.next())!.data!.myJobUpdated;
      if (next.id !== seen.id) continue;
      expect(next).toMatchObject({ seq: 2, status: "CANCELLED" });
      break;
    }
  } finally {
    await mine.close();
  }
});
