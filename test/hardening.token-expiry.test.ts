import { afterAll, beforeAll, expect, it } from "vitest";
import { gql, gqlData } from "./helpers/graphql-client.js";
import { grant } from "./helpers/ledger.js";
import { startAppProcess, waitFor, type AppProcess } from "./helpers/processes.js";
import { RawGraphqlWs } from "./helpers/raw-graphql-ws.js";
import { openSseStream } from "./helpers/sse-stream.js";
import { createTestEnvironment, tokenFor, type TestEnvironment } from "./helpers/test-app.js";

// A gateway and its workers in one real process (ROLE=all, test mode: demo.simulate is there).
let env: TestEnvironment;
let app: AppProcess;
const subject = "short-lived";

beforeAll(async () => {
  env = await createTestEnvironment();
  app = await startAppProcess({ ...env.env, ROLE: "all" });
  await grant(env.sql, subject, 100);
}, 60_000);

afterAll(async () => {
  app?.kill("SIGTERM");
  await app?.exited;
  await env?.teardown();
});

const submitMutation = /* GraphQL */ `
  mutation Submit($input: SubmitJobInput!) {
    submitJob(input: $input) { __typename ... on SubmitJobSuccess { job { id } } }
  }
`;

/** A token whose exp is 2 to 3 s ahead, on a whole second; with that instant in ms. */
async function expiringToken(): Promise<{ token: string; expiresAtMs: number }> {
  const exp = Math.ceil(Date.now() / 1000) + 2;
  return { token: await tokenFor(subject, { expiresIn: exp }), expiresAtMs: exp * 1000 };
}

/** A demo job that runs for about `seconds` (it is cancelled at the end of its test). */
async function longJob(seconds: number): Promise<string> {
  const data = await gqlData(
    app.url,
    submitMutation,
    { input: { type: "demo.simulate", params: { steps: seconds * 10, stepMs: 100 } } },
    await tokenFor(subject),
  );
  expect(data.submitJob.__typename).toBe("SubmitJobSuccess");
  return data.submitJob.job.id as string;
}

/** `promise`, or a failure naming `what` if it has not settled by `deadlineMs` (a Date.now() instant). */
function byDeadline<T>(promise: Promise<T>, deadlineMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not by the deadline`)), Math.max(0, deadlineMs - Date.now()));
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

async function cancel(jobId: string) {
  await gql(app.url, "mutation($id: ID!) { cancelJob(id: $id) { __typename } }", { id: jobId }, await tokenFor(subject));
}

it("a WebSocket following a long job is closed with 4403 within 1 s of its token's expiry; an idle one too", async () => {
  const jobId = await longJob(20);
  const { token, expiresAtMs } = await expiringToken();
  const following = await RawGraphqlWs.open(app.url);
  const idle = await RawGraphqlWs.open(app.url);
  try {
    await Promise.all([following.initAndAck(token), idle.initAndAck(token)]);
    following.subscribe("follow", "subscription($id: ID!) { jobUpdated(id: $id) { id status progress } }", { id: jobId });
    // The stream is live before the expiry: progress arrives.
    await following.waitFor(() => following.about("follow").filter((m) => m.type === "next").length >= 2, { what: "live updates" });
    expect(Date.now()).toBeLessThan(expiresAtMs);

    for (const socket of [following, idle]) {
      const close = await byDeadline(socket.closed, expiresAtMs + 5_000, "the socket to close after its token expired");
      expect(close.code).toBe(4403);
      expect(close.at - expiresAtMs, "ms from exp to the close").toBeGreaterThanOrEqual(-20);
      expect(close.at - expiresAtMs, "ms from exp to the close").toBeLessThanOrEqual(1_000);
    }
    // The stream's own expiry and the socket's close fire at the same instant: the stream may get
    // its last message (UNAUTHENTICATED, token expired) out first. Every other message is the job.
    const updates = following.about("follow").filter((m) => m.type === "next");
    const last = updates.at(-1)!;
    const expiredLast = last.payload.data === null && last.payload.errors?.[0]?.extensions?.code === "UNAUTHENTICATED";
    const jobUpdates = expiredLast ? updates.slice(0, -1) : updates;
    expect(jobUpdates.every((m) => m.payload.data.jobUpdated.id === jobId)).toBe(true);
  } finally {
    following.terminate();
    idle.terminate();
    await cancel(jobId);
  }
});

it("an SSE stream of jobEvents ends within 1 s of its token's expiry, its last message UNAUTHENTICATED (token expired)", async () => {
  const jobId = await longJob(20);
  const { token, expiresAtMs } = await expiringToken();
  const stream = openSseStream(app.url, token, "subscription($id: ID!) { jobEvents(id: $id) { seq status progress at } }", { id: jobId });
  try {
    await waitFor(() => stream.payloads.length >= 2, { what: "live events over SSE" });
    expect(Date.now()).toBeLessThan(expiresAtMs);
    const end = await byDeadline(stream.ended, expiresAtMs + 5_000, "the SSE stream to end after its token expired");
    expect(["complete", "eof"]).toContain(end.how);
    expect(end.at - expiresAtMs, "ms from exp to the end of the stream").toBeGreaterThanOrEqual(-20);
    expect(end.at - expiresAtMs, "ms from exp to the end of the stream").toBeLessThanOrEqual(1_000);
    const last = stream.payloads.at(-1)!.payload;
    expect(last.errors?.[0]?.extensions?.code, JSON.stringify(last)).toBe("UNAUTHENTICATED");
    expect(last.errors?.[0]?.message).toMatch(/expired/i);
    // No event written after the expiry reached the stream, by the server's clock (the events' own
    // time): when the test reads a message says nothing of when it was sent on a loaded machine.
    const afterExpiry = stream.payloads.filter((p) => p.payload.data && Date.parse(p.payload.data.jobEvents.at) >= expiresAtMs);
    expect(afterExpiry).toEqual([]);
  } finally {
    stream.stop();
    await cancel(jobId);
  }
});

it("myJobUpdated delivers nothing about a job created after its token expired, over WebSocket or SSE", async () => {
  const { token, expiresAtMs } = await expiringToken();
  const myJobs = "subscription { myJobUpdated { id status } }";
  const socket = await RawGraphqlWs.open(app.url);
  await socket.initAndAck(token);
  socket.subscribe("mine", myJobs);
  const sse = openSseStream(app.url, token, myJobs);
  // A stream with a long-lived token, to show that the later job is announced at all.
  const control = await RawGraphqlWs.open(app.url);
  await control.initAndAck(await tokenFor(subject));
  control.subscribe("mine", myJobs);
  await sse.started;

  try {
    const before = await longJob(0);
    const mentions = (jobId: string) => ({
      ws: socket.about("mine").some((m) => m.payload?.data?.myJobUpdated?.id === jobId),
      sse: sse.payloads.some((p) => p.payload.data?.myJobUpdated?.id === jobId),
      control: control.about("mine").some((m) => m.payload?.data?.myJobUpdated?.id === jobId),
    });
    await waitFor(() => Object.values(mentions(before)).every(Boolean), { what: "the job created before expiry on every stream" });
    expect(Date.now()).toBeLessThan(expiresAtMs);

    const wsClose = await byDeadline(socket.closed, expiresAtMs + 5_000, "the socket to close after its token expired");
    expect(wsClose.code).toBe(4403);
    const sseEnd = await byDeadline(sse.ended, expiresAtMs + 5_000, "the SSE stream to end after its token expired");
    expect(["complete", "eof"]).toContain(sseEnd.how);
    expect(Math.max(wsClose.at, sseEnd.at) - expiresAtMs).toBeLessThanOrEqual(1_000);

    const after = await longJob(0);
    await waitFor(() => mentions(after).control, { what: "the control stream to see the later job" });
    // Give the expired streams every chance the control stream had: it already saw the job.
    expect(mentions(after)).toEqual({ ws: false, sse: false, control: true });
    expect(Date.now()).toBeGreaterThan(expiresAtMs);
  } finally {
    socket.terminate();
    sse.stop();
    control.terminate();
  }
});

it("a stream opened with an already expired token is refused UNAUTHENTICATED", async () => {
  const expired = await tokenFor(subject, { expiresIn: Math.floor(Date.now() / 1000) - 10 });
  const stream = openSseStream(app.url, expired, "subscription { myJobUpdated { id } }");
  const end = await byDeadline(stream.ended, Date.now() + 5_000, "the refused stream to end");
  expect(["complete", "eof"]).toContain(end.how);
  expect(stream.payloads.flatMap((p) => (p.payload.errors ?? []).map((e) => e.extensions?.code))).toEqual(["UNAUTHENTICATED"]);
});
