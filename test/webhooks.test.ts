import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql, gqlData } from "./helpers/graphql-client.js";
import { grant } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { submitJobMutation } from "./helpers/queries.js";
import { createTestEnvironment, startTestApp, tokenFor, type TestApp, type TestEnvironment } from "./helpers/test-app.js";
import { refusingUrl, startWebhookReceiver, webhookSecret, type WebhookReceiver } from "./helpers/webhook-receiver.js";

// The receiver's tries come 50 ms, then 100 ms apart; the refusing endpoint's third failure
// leaves it waiting a minute, longer than this file runs.
const retryDelays = "50,100,60000,60000,60000,60000,60000";
const secret = webhookSecret("receiver");

let env: TestEnvironment;
let app: TestApp;
let receiver: WebhookReceiver;
let downUrl: string;
/** Per job id: how many tries the receiver refuses (503) before it accepts. */
const refuseFirst = new Map<string, number>();

beforeAll(async () => {
  receiver = await startWebhookReceiver((request, earlier) =>
    earlier.length < (refuseFirst.get(request.payload.data?.id) ?? 0) ? { status: 503, body: "busy, try later" } : { status: 204 },
  );
  downUrl = await refusingUrl();
  env = await createTestEnvironment();
  app = await startTestApp(env, {
    overrides: { WEBHOOK_RETRY_DELAYS_MS: retryDelays },
    app: {
      webhooks: [
        { url: receiver.url, events: ["job.succeeded", "job.failed", "job.cancelled"], secret },
        { url: downUrl, events: ["job.succeeded"], secret: webhookSecret("down") },
      ],
    },
  });
});

afterAll(async () => {
  await app?.stop();
  await env?.teardown();
  await receiver?.close();
});

async function submit(subject: string, params: Record<string, unknown>): Promise<string> {
  const data = await gqlData(app.url, submitJobMutation, { input: { type: "demo.simulate", params } }, await tokenFor(subject));
  expect(data.submitJob.__typename).toBe("SubmitJobSuccess");
  return data.submitJob.job.id;
}

// The test's client reads timestamps as PostgreSQL's text; milliseconds since the epoch compare plainly.
const epochMs = (column: string) => env.sql.unsafe(`(extract(epoch from ${column}) * 1000)::float8`);

const deliveriesOf = (jobId: string) =>
  env.sql<{ id: string; endpoint: string; event: string; status: string; attempts: number; next_attempt_ms: number }[]>`
    select id, endpoint, event, status, attempts, ${epochMs("next_attempt_at")} as next_attempt_ms
    from webhook_deliveries where job_id = ${jobId} order by endpoint`;

const triesOf = (deliveryId: string) =>
  env.sql<{ status_code: number | null; error: string | null; duration_ms: number }[]>`
    select status_code, error, duration_ms from webhook_attempts where delivery_id = ${deliveryId} order by at, id`;

const deliveriesQuery = /* GraphQL */ `
  query Deliveries($jobId: ID, $status: WebhookDeliveryStatus, $first: Int, $after: String) {
    webhookDeliveries(jobId: $jobId, status: $status, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { id jobId event endpoint status payload nextAttemptAt deliveredAt createdAt attempts { at statusCode error durationMs } } }
    }
  }
`;

const resendMutation = /* GraphQL */ `
  mutation Resend($id: ID!) {
    resendWebhookDelivery(id: $id) {
      __typename
      ... on ResendWebhookDeliverySuccess { delivery { id status nextAttemptAt } }
      ... on NotFoundError { message }
    }
  }
`;

describe("a job that succeeds", () => {
  let jobId: string;

  beforeAll(async () => {
    await grant(env.sql, "hook-alice", 5);
    // Registered before the job can finish: the receiver refuses its first two tries.
    jobId = await submit("hook-alice", { steps: 1, result: { pages: 3 } });
    refuseFirst.set(jobId, 2);
  });

  it("reaches a receiver that refused twice on the third try, with the same webhook-id and a signature that verifies", async () => {
    const tries = await waitFor(() => receiver.about(jobId).length >= 3 && receiver.about(jobId), { what: "three tries" });
    const ids = new Set(tries.map((t) => t.headers["webhook-id"]));
    expect(ids.size).toBe(1);
    for (const request of tries) {
      expect(request.headers["content-type"]).toBe("application/json");
      expect(new Webhook(secret).verify(request.body, request.headers)).toEqual(request.payload);
    }

    const [job] = await env.sql`
      select j.user_id, ${epochMs("j.created_at")} as created_ms, ${epochMs("j.finished_at")} as finished_ms
      from jobs j join users u on u.id = j.user_id where j.id = ${jobId}`;
    expect(tries[2]!.payload).toEqual({
      type: "job.succeeded",
      timestamp: new Date(job!.finished_ms).toISOString(),
      data: {
        id: jobId,
        type: "demo.simulate",
        status: "SUCCEEDED",
        result: { pages: 3 },
        owner: { id: job!.user_id, subject: "hook-alice" },
        cost: 1,
        refunded: 0,
        attempts: 1,
        createdAt: new Date(job!.created_ms).toISOString(),
        finishedAt: new Date(job!.finished_ms).toISOString(),
      },
    });
    // The same body every time: the payload was fixed at the transition.
    expect(new Set(tries.map((t) => t.body)).size).toBe(1);

    const delivery = await waitFor(async () => (await deliveriesOf(jobId)).find((d) => d.endpoint === receiver.url && d.status === "delivered"), {
      what: "the delivery to be marked delivered",
    });
    expect(delivery.id).toBe([...ids][0]);
    expect(delivery.event).toBe("job.succeeded");
    expect((await triesOf(delivery.id)).map((t) => [t.status_code, t.error])).toEqual([
      [503, "busy, try later"],
      [503, "busy, try later"],
      [204, null],
    ]);
  });

  it("loses nothing for an endpoint that is down: its delivery stays pending, every try recorded", async () => {
    const down = await waitFor(
      async () => {
        const delivery = (await deliveriesOf(jobId)).find((d) => d.endpoint === downUrl);
        return delivery && (await triesOf(delivery.id)).length >= 3 && delivery;
      },
      { what: "three refused tries" },
    );
    const [again] = (await deliveriesOf(jobId)).filter((d) => d.endpoint === downUrl);
    expect(again).toMatchObject({ id: down.id, event: "job.succeeded", status: "pending", attempts: 3 });
    expect(again!.next_attempt_ms).toBeGreaterThan(Date.now() + 30_000);
    for (const attempt of await triesOf(down.id)) {
      expect(attempt.status_code).toBeNull();
      expect(attempt.error).toMatch(/ECONNREFUSED/);
    }
  });

  it("counts the tries by outcome in /metrics", async () => {
    const text = await (await fetch(`http://127.0.0.1:${app.port}/metrics`)).text();
    const count = (outcome: string) => Number(new RegExp(`^jobgw_webhook_deliveries_total\\{outcome="${outcome}"\\} (\\d+)`, "m").exec(text)?.[1] ?? 0);
    expect(count("delivered")).toBeGreaterThanOrEqual(1);
    expect(count("retried")).toBeGreaterThanOrEqual(4);
  });

  it("lists for an admin, newest first, with each try; nobody else", async () => {
    const admin = await tokenFor("hook-admin", { admin: true });
    const { webhookDeliveries } = await gqlData(app.url, deliveriesQuery, { jobId }, admin);
    const nodes = webhookDeliveries.edges.map((e: { node: any }) => e.node);
    expect(nodes).toHaveLength(2);
    const toReceiver = nodes.find((n: any) => n.endpoint === receiver.url);
    expect(toReceiver).toMatchObject({ jobId, event: "job.succeeded", status: "DELIVERED", nextAttemptAt: null, payload: { type: "job.succeeded" } });
    expect(toReceiver.attempts.map((a: any) => a.statusCode)).toEqual([503, 503, 204]);
    expect(toReceiver.attempts.every((a: any) => a.durationMs >= 0 && a.at)).toBe(true);
    const toDown = nodes.find((n: any) => n.endpoint === downUrl);
    expect(toDown).toMatchObject({ status: "PENDING", deliveredAt: null });
    expect(toDown.nextAttemptAt).not.toBeNull();
    const created = nodes.map((n: any) => `${n.createdAt} ${n.id}`);
    expect(created).toEqual([...created].sort().reverse());

    const firstPage = await gqlData(app.url, deliveriesQuery, { jobId, first: 1 }, admin);
    expect(firstPage.webhookDeliveries.pageInfo.hasNextPage).toBe(true);
    const secondPage = await gqlData(app.url, deliveriesQuery, { jobId, first: 1, after: firstPage.webhookDeliveries.pageInfo.endCursor }, admin);
    expect([firstPage, secondPage].map((page) => page.webhookDeliveries.edges[0].node.id)).toEqual(nodes.map((n: any) => n.id));

    const pending = await gqlData(app.url, deliveriesQuery, { jobId, status: "PENDING" }, admin);
    expect(pending.webhookDeliveries.edges.map((e: any) => e.node.id)).toEqual([toDown.id]);
    const none = await gqlData(app.url, deliveriesQuery, { jobId: "not-a-uuid" }, admin);
    expect(none.webhookDeliveries.edges).toEqual([]);

    const user = await gql(app.url, deliveriesQuery, { jobId }, await tokenFor("hook-alice"));
    expect(user.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const resendByUser = await gql(app.url, resendMutation, { id: toReceiver.id }, await tokenFor("hook-alice"));
    expect(resendByUser.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("resends a delivered one under the same webhook-id, and answers NotFoundError for an unknown id", async () => {
    const admin = await tokenFor("hook-admin", { admin: true });
    const [delivery] = (await deliveriesOf(jobId)).filter((d) => d.endpoint === receiver.url);
    const before = receiver.about(jobId).length;
    const resent = await gqlData(app.url, resendMutation, { id: delivery!.id }, admin);
    expect(resent.resendWebhookDelivery).toMatchObject({ __typename: "ResendWebhookDeliverySuccess", delivery: { id: delivery!.id, status: "PENDING" } });

    const again = await waitFor(() => receiver.about(jobId).length > before && receiver.about(jobId).at(-1), { what: "the resent delivery" });
    expect(again.headers["webhook-id"]).toBe(delivery!.id);
    expect(new Webhook(secret).verify(again.body, again.headers)).toEqual(again.payload);
    await waitFor(async () => (await deliveriesOf(jobId)).some((d) => d.id === delivery!.id && d.status === "delivered"), { what: "delivered again" });
    expect((await triesOf(delivery!.id)).map((t) => t.status_code)).toEqual([503, 503, 204, 204]);

    for (const id of ["00000000-0000-4000-8000-000000000000", "nope"]) {
      const missing = await gqlData(app.url, resendMutation, { id }, admin);
      expect(missing.resendWebhookDelivery.__typename).toBe("NotFoundError");
    }
  });
});

it("a job that fails gets job.failed with its error and its refund", async () => {
  await grant(env.sql, "hook-bob", 5);
  const jobId = await submit("hook-bob", { steps: 1, failTimes: 5 });
  const [request] = await waitFor(() => receiver.about(jobId).length > 0 && receiver.about(jobId), { what: "job.failed" });
  expect(new Webhook(secret).verify(request!.body, request!.headers)).toEqual(request!.payload);
  expect(request!.payload).toMatchObject({
    type: "job.failed",
    data: { id: jobId, status: "FAILED", cost: 1, refunded: 1, attempts: 3, owner: { subject: "hook-bob" }, error: { code: "HANDLER_ERROR", attempt: 3 } },
  });
  expect(request!.payload.data.error.message).toMatch(/simulated failure on attempt 3/);
  expect(request!.payload.data).not.toHaveProperty("result");
  // Only the endpoint that asked for job.failed has a delivery.
  expect((await deliveriesOf(jobId)).map((d) => [d.endpoint, d.event])).toEqual([[receiver.url, "job.failed"]]);
});

it("nothing is sent while a job runs; cancelling it sends job.cancelled", async () => {
  await grant(env.sql, "hook-carol", 5);
  const token = await tokenFor("hook-carol");
  const jobId = await submit("hook-carol", { steps: 200, stepMs: 100 });
  await waitFor(async () => {
    const [job] = await env.sql`select status, progress from jobs where id = ${jobId}`;
    return job!.status === "RUNNING" && job!.progress > 0;
  }, { what: "the job to run" });
  // Deliveries are written with a terminal transition only: a running job has none to send.
  expect(await deliveriesOf(jobId)).toEqual([]);
  expect(receiver.about(jobId)).toEqual([]);

  const cancelled = await gqlData(app.url, "mutation ($id: ID!) { cancelJob(id: $id) { __typename } }", { id: jobId }, token);
  expect(cancelled.cancelJob.__typename).toBe("CancelJobSuccess");
  const [request] = await waitFor(() => receiver.about(jobId).length > 0 && receiver.about(jobId), { what: "job.cancelled" });
  expect(request!.payload).toMatchObject({ type: "job.cancelled", data: { id: jobId, status: "CANCELLED", cost: 1, refunded: 1, owner: { subject: "hook-carol" } } });
  expect(request!.payload.data).toHaveProperty("error");
  expect(request!.payload.data).not.toHaveProperty("result");
  expect((await deliveriesOf(jobId)).map((d) => d.event)).toEqual(["job.cancelled"]);
});
