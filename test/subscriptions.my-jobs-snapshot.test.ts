import { describe, expect, it } from "vitest";
import { currentJobsSent } from "../src/schema/job-subscriptions.js";
import { gqlData, openWebSocketSubscription } from "./helpers/graphql-client.js";
import { grant } from "./helpers/ledger.js";
import { submitJobMutation } from "./helpers/queries.js";
import { tokenFor, useTestApp } from "./helpers/test-app.js";

// A client reads its list, then subscribes: whatever changed in between must not be lost.
// With includeCurrent the stream opens with the caller's unfinished jobs as they are.

// A gateway alone: nothing runs the jobs, so the test's own writes are the only changes.
const t = useTestApp({ overrides: { ROLE: "gateway" } });

const myJobUpdated = /* GraphQL */ `subscription ($includeCurrent: Boolean) { myJobUpdated(includeCurrent: $includeCurrent) { id status seq } }`;
const cancelJob = /* GraphQL */ `mutation ($id: ID!) { cancelJob(id: $id) { __typename } }`;
const retryJob = /* GraphQL */ `mutation ($id: ID!) { retryJob(id: $id) { __typename } }`;

async function submit(token: string): Promise<string> {
  const data = await gqlData(t.app.url, submitJobMutation, { input: { type: "demo.simulate", params: {} } }, token);
  expect(data.submitJob.__typename).toBe("SubmitJobSuccess");
  return data.submitJob.job.id;
}

async function mutate(token: string, mutation: string, id: string, typename: string) {
  const data = await gqlData(t.app.url, mutation, { id }, token);
  expect(Object.values(data)[0]).toEqual({ __typename: typename });
}

type Update = { id: string; status: string; seq: number };
const nextUpdate = async (stream: ReturnType<typeof openWebSocketSubscription>): Promise<Update> => {
  const payload = await stream.next();
  expect(payload?.errors).toBeUndefined();
  return payload!.data!.myJobUpdated as Update;
};

describe("myJobUpdated(includeCurrent)", () => {
  it("with includeCurrent, first sends the unfinished jobs as they are (newest first, a job changed before subscribing at its latest seq), then changes", async () => {
    await grant(t.env.sql, "snapshot", 10);
    const token = await tokenFor("snapshot");
    const older = await submit(token);
    const finished = await submit(token);
    const newer = await submit(token);
    await mutate(token, cancelJob, finished, "CancelJobSuccess");
    // Changed twice before anyone subscribes: cancelled (seq 2), then queued again (seq 3).
    await mutate(token, cancelJob, older, "CancelJobSuccess");
    await mutate(token, retryJob, older, "SubmitJobSuccess");

    const stream = openWebSocketSubscription(t.app.url, token, myJobUpdated, { includeCurrent: true });
    try {
      expect(await nextUpdate(stream)).toEqual({ id: newer, status: "QUEUED", seq: 1 });
      expect(await nextUpdate(stream)).toEqual({ id: older, status: "QUEUED", seq: 3 });
      // The finished job is not sent; the next item is a change made after subscribing.
      await mutate(token, cancelJob, newer, "CancelJobSuccess");
      expect(await nextUpdate(stream)).toEqual({ id: newer, status: "CANCELLED", seq: 2 });
    } finally {
      await stream.close();
    }
  });

  it("without includeCurrent (the default), sends only changes made after it listens", async () => {
    await grant(t.env.sql, "no-snapshot", 20);
    const token = await tokenFor("no-snapshot");
    const before = await submit(token);
    await mutate(token, cancelJob, before, "CancelJobSuccess");
    await mutate(token, retryJob, before, "SubmitJobSuccess");

    const stream = openWebSocketSubscription(t.app.url, token, myJobUpdated, {});
    try {
      // Nothing comes until a job changes, so submit until the open stream reports one.
      const first = nextUpdate(stream);
      let arrived = false;
      void first.then(() => (arrived = true));
      const submitted: string[] = [];
      while (!arrived) {
        submitted.push(await submit(token));
        await Promise.race([first, new Promise((resolve) => setTimeout(resolve, 50))]);
      }
      const update = await first;
      expect(update.id).not.toBe(before);
      expect(submitted).toContain(update.id);
    } finally {
      await stream.close();
    }
  });

  it(`sends at most the newest ${currentJobsSent} unfinished jobs`, async () => {
    const count = currentJobsSent + 1;
    await grant(t.env.sql, "many", count + 1);
    const token = await tokenFor("many");
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(await submit(token));

    const stream = openWebSocketSubscription(t.app.url, token, myJobUpdated, { includeCurrent: true });
    try {
      const current: string[] = [];
      for (let i = 0; i < currentJobsSent; i++) current.push((await nextUpdate(stream)).id);
      expect(current).toEqual(ids.slice(1).reverse());
      // The oldest was left out: the next item is a change made now.
      const later = await submit(token);
      expect((await nextUpdate(stream)).id).toBe(later);
    } finally {
      await stream.close();
    }
  });
});
