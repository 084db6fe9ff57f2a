import { describe, expect, it } from "vitest";
import { SignJWT } from "jose";
import { gqlData } from "./helpers/graphql-client.js";
import { grant } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { jobUpdatedSubscription, submitJobMutation } from "./helpers/queries.js";
import { RawGraphqlWs } from "./helpers/raw-graphql-ws.js";
import { openSseStream } from "./helpers/sse-stream.js";
import { testJwtSecret, tokenFor, useTestApp } from "./helpers/test-app.js";

const limits = { sockets: 2, anonymousSockets: 2, perSocket: 2, perUser: 3, initTimeoutMs: 300 };
const t = useTestApp({
  overrides: {
    MAX_SOCKETS_PER_USER: String(limits.sockets),
    MAX_ANONYMOUS_SOCKETS: String(limits.anonymousSockets),
    MAX_SUBSCRIPTIONS_PER_SOCKET: String(limits.perSocket),
    MAX_SUBSCRIPTIONS_PER_USER: String(limits.perUser),
    WS_CONNECTION_INIT_TIMEOUT_MS: String(limits.initTimeoutMs),
  },
});

// Stays open and quiet: the user has no jobs.
const myJobs = "subscription { myJobUpdated { id status } }";

/** A gauge of the gateway's own metrics. */
async function gauge(name: string): Promise<number> {
  const text = await (await fetch(t.app.url.replace("/graphql", "/metrics"))).text();
  return Number(new RegExp(`^${name} (\\d+)`, "m").exec(text)?.[1]);
}

const activeSubscriptions = () => gauge("jobgw_subscriptions_active");

const waitForActive = (count: number) =>
  waitFor(async () => (await activeSubscriptions()) === count, { timeoutMs: 5_000, what: `${count} open subscriptions` });

const firstCode = (socket: RawGraphqlWs, id: string) => socket.about(id)[0]?.payload?.[0]?.extensions?.code;

/** The error code of an operation's first answer, an `error` message or a `next` with errors. */
const answerCode = (socket: RawGraphqlWs, id: string) => {
  const answer = socket.about(id)[0];
  return answer?.type === "error" ? answer.payload?.[0]?.extensions?.code : answer?.payload?.errors?.[0]?.extensions?.code;
};

async function openAcked(token?: string): Promise<RawGraphqlWs> {
  const socket = await RawGraphqlWs.open(t.app.url);
  await socket.initAndAck(token);
  return socket;
}

describe("sockets", () => {
  it("a socket that sends no connection_init is closed with 4408 after WS_CONNECTION_INIT_TIMEOUT_MS", async () => {
    // Measured from before the upgrade request: the server's timer starts when it accepts the socket.
    const started = Date.now();
    const socket = await RawGraphqlWs.open(t.app.url);
    const close = await socket.closed;
    expect(close.code).toBe(4408);
    expect(close.at - started).toBeGreaterThanOrEqual(limits.initTimeoutMs - 5);
    expect(close.at - started).toBeLessThan(limits.initTimeoutMs + 2_000);
  });

  it("past MAX_SOCKETS_PER_USER a user's socket is closed with 4429 after connection_init; a closed one frees its place", async () => {
    const token = await tokenFor("socket-hog");
    const kept = [await openAcked(token), await openAcked(token)];
    const refused = await RawGraphqlWs.open(t.app.url);
    refused.init(token);
    expect((await refused.closed).code).toBe(4429);

    // Other users and tokenless sockets are not counted against this user.
    const other = await openAcked(await tokenFor("someone-else"));
    const anonymous = await openAcked();
    expect(other.isOpen && anonymous.isOpen).toBe(true);

    kept[0]!.close();
    await kept[0]!.closed;
    const replacement = await openAcked(token);
    expect(replacement.isOpen).toBe(true);
    for (const socket of [kept[1]!, replacement, other, anonymous]) socket.close();
  });

  it("past MAX_ANONYMOUS_SOCKETS a socket without a valid token is closed with 4429; those kept answer UNAUTHENTICATED", async () => {
    // The sockets of the tests before are gone.
    await waitFor(async () => (await gauge("jobgw_websockets_open")) === 0, { timeoutMs: 5_000, what: "no open socket" });
    const kept = [await openAcked(), await openAcked("not-a-token")];
    const refused = await RawGraphqlWs.open(t.app.url);
    refused.init();
    expect((await refused.closed).code).toBe(4429);

    kept[1]!.send({ id: "q", type: "subscribe", payload: { query: "{ me { id } }" } });
    await kept[1]!.waitFor(() => kept[1]!.about("q").length > 0, { what: "an answer to q" });
    expect(answerCode(kept[1]!, "q")).toBe("UNAUTHENTICATED");

    // A user's sockets are not counted against anonymous ones.
    const user = await openAcked(await tokenFor("not-anonymous"));
    kept[0]!.close();
    await kept[0]!.closed;
    const replacement = await openAcked();
    for (const socket of [kept[1]!, user, replacement]) socket.close();
    await Promise.all([kept[1]!.closed, user.closed, replacement.closed]);
  });

  it("checks the token once, at connection_init: one not yet valid then leaves the socket anonymous", async () => {
    const notBefore = Math.ceil(Date.now() / 1000) + 1;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("not-yet")
      .setIssuedAt()
      .setNotBefore(notBefore)
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode(testJwtSecret));
    const socket = await openAcked(token);
    await new Promise((resolve) => setTimeout(resolve, notBefore * 1000 - Date.now() + 100));
    socket.send({ id: "q", type: "subscribe", payload: { query: "{ me { id } }" } });
    await socket.waitFor(() => socket.about("q").length > 0, { what: "an answer to q" });
    expect(answerCode(socket, "q")).toBe("UNAUTHENTICATED");
    socket.close();
    await socket.closed;
  });
});

describe("subscriptions", () => {
  it("past MAX_SUBSCRIPTIONS_PER_SOCKET a subscribe gets TOO_MANY_SUBSCRIPTIONS, the socket stays open, and a completed one frees its place", async () => {
    const socket = await openAcked(await tokenFor("per-socket"));
    socket.subscribe("s1", myJobs);
    socket.subscribe("s2", myJobs);
    socket.subscribe("s3", myJobs);
    await socket.waitFor(() => socket.about("s3").length > 0, { what: "an answer to s3" });
    expect(socket.about("s3")[0]!.type).toBe("error");
    expect(firstCode(socket, "s3")).toBe("TOO_MANY_SUBSCRIPTIONS");
    expect(socket.isOpen).toBe(true);
    await waitForActive(2);

    socket.send({ id: "s1", type: "complete" });
    await waitForActive(1);
    socket.subscribe("s4", myJobs);
    await waitForActive(2);
    expect(socket.about("s4")).toEqual([]);
    socket.close();
    await waitForActive(0);
  });

  it("past MAX_SUBSCRIPTIONS_PER_USER, over WebSocket and SSE together, a subscribe gets TOO_MANY_SUBSCRIPTIONS; ending one frees a slot", async () => {
    const token = await tokenFor("per-user");
    const first = await openAcked(token);
    const second = await openAcked(token);
    first.subscribe("a", myJobs);
    first.subscribe("b", myJobs);
    const sse = openSseStream(t.app.url, token, myJobs);
    await waitForActive(3);

    second.subscribe("c", myJobs);
    await second.waitFor(() => second.about("c").length > 0, { what: "an answer to c" });
    expect(firstCode(second, "c")).toBe("TOO_MANY_SUBSCRIPTIONS");
    const overSse = openSseStream(t.app.url, token, myJobs);
    await overSse.ended;
    expect(overSse.payloads[0]!.payload.errors?.[0]?.extensions?.code).toBe("TOO_MANY_SUBSCRIPTIONS");

    // A client that goes away releases its slot.
    sse.stop();
    await waitForActive(2);
    second.subscribe("d", myJobs);
    await waitForActive(3);
    expect(second.about("d")).toEqual([]);
    first.close();
    second.close();
    await waitForActive(0);
  });

  it("a subscribe completed while it is prepared, then sent again with its id, counts twice and ends with the socket", async () => {
    const subject = "same-id-race";
    await grant(t.env.sql, subject, 5);
    const token = await tokenFor(subject);
    // Runs for the whole test, so jobUpdated stays open; preparing it reads the job (a database round trip).
    const submitted = await gqlData(t.app.url, submitJobMutation, { input: { type: "demo.simulate", params: { steps: 1, stepMs: 30_000 } } }, token);
    const jobId = submitted.submitJob.job.id;
    const socket = await openAcked(token);
    const rounds = ["r1", "r2", "r3"];
    for (const id of rounds) {
      socket.subscribe(id, jobUpdatedSubscription, { id: jobId });
      socket.send({ id, type: "complete" });
      socket.subscribe(id, jobUpdatedSubscription, { id: jobId });
    }
    // However the messages interleave with the preparing, at most two streams run (graphql-ws
    // may know only one of them, when the first subscribe of r1 was still prepared at its complete).
    await socket.waitFor(() => socket.answered(rounds) === rounds.length, { what: "answers to every round" });
    expect(firstCode(socket, "r3")).toBe("TOO_MANY_SUBSCRIPTIONS");
    await waitForActive(limits.perSocket);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await activeSubscriptions()).toBe(limits.perSocket);

    socket.close();
    await waitForActive(0);
    await gqlData(t.app.url, "mutation Cancel($id: ID!) { cancelJob(id: $id) { __typename } }", { id: jobId }, token);
  });
});

describe("token expiry", () => {
  it("a socket is closed with 4403 within 1 s of its token's exp, and an SSE stream ends with UNAUTHENTICATED token expired", async () => {
    const exp = Math.ceil(Date.now() / 1000) + 2;
    const token = await tokenFor("short-lived", { expiresIn: exp });
    const socket = await openAcked(token);
    socket.subscribe("mine", myJobs);
    const sse = openSseStream(t.app.url, token, myJobs);
    await waitForActive(2);

    const close = await socket.closed;
    expect(close.code).toBe(4403);
    expect(close.reason).toMatch(/expired/);
    expect(close.at - exp * 1000).toBeGreaterThanOrEqual(-20);
    expect(close.at - exp * 1000).toBeLessThanOrEqual(1_000);

    const end = await sse.ended;
    expect(end.how).toBe("complete");
    expect(end.at - exp * 1000).toBeLessThanOrEqual(1_000);
    const last = sse.payloads.at(-1)!.payload;
    expect(last.errors?.[0]).toMatchObject({ message: "token expired", extensions: { code: "UNAUTHENTICATED" } });
    await waitForActive(0);
  });
});
