import { beforeAll, describe, expect, it } from "vitest";
import { SignJWT } from "jose";
import { collectOverSse, collectOverWebSocket, gql, gqlData, type GraphQLResponse } from "./helpers/graphql-client.js";
import { grant, ledgerReport } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { jobEventsSubscription, jobQuery, jobUpdatedSubscription, submitJobMutation } from "./helpers/queries.js";
import { testJwtSecret, tokenFor, useTestApp } from "./helpers/test-app.js";

const t = useTestApp();

const cancelJobMutation = /* GraphQL */ `
  mutation Cancel($id: ID!) {
    cancelJob(id: $id) {
      __typename
      ... on CancelJobSuccess { balance job { id status } }
      ... on NotFoundError { message }
      ... on InvalidJobStateError { message status }
    }
  }
`;

const grantCreditsMutation = /* GraphQL */ `
  mutation Grant($userId: ID!, $amount: Int!, $reason: String) {
    grantCredits(userId: $userId, amount: $amount, reason: $reason) { id balance role }
  }
`;

const meQuery = "{ me { id balance role } }";

/** A well-formed HS256 token for `sub`, signed with a secret the gateway does not know. */
async function tokenWithOtherSecret(sub: string): Promise<string> {
  const otherSecret = new TextEncoder().encode("another-secret-0123456789abcdef0123456789");
  return new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject(sub).setIssuedAt().setExpirationTime("1h").sign(otherSecret);
}

/** Codes of a subscription's errors, whether they come as a payload with `errors` or as a rejection. */
async function subscriptionErrorCodes(run: Promise<GraphQLResponse[]>): Promise<unknown[]> {
  try {
    const payloads = await run;
    expect(payloads.every((p) => p.data == null || Object.values(p.data).every((v) => v == null))).toBe(true);
    return payloads.flatMap((p) => (p.errors ?? []).map((e) => e.extensions?.code));
  } catch (error) {
    const errors = Array.isArray(error) ? error : [error];
    return errors.map((e: { extensions?: { code?: unknown } }) => e?.extensions?.code);
  }
}

async function userRow(subject: string) {
  const [row] = await t.env.sql<{ id: string; balance: number; role: string }[]>`select id, balance, role from users where subject = ${subject}`;
  return row;
}

async function ledgerKinds(subject: string) {
  return t.env.sql<{ kind: string; amount: number; reason: string | null }[]>`
    select l.kind, l.amount, l.reason from ledger_entries l join users u on u.id = l.user_id where u.subject = ${subject} order by l.id`;
}

const badTokens: [string, () => Promise<string | undefined>][] = [
  ["no token", async () => undefined],
  ["a token signed with another secret", () => tokenWithOtherSecret("intruder")],
  ["an expired token", () => tokenFor("intruder", { expiresIn: Math.floor(Date.now() / 1000) - 60 })],
  ["a token that is not a JWT", async () => "not-a-jwt"],
];

describe.each(badTokens)("with %s", (_name, makeToken) => {
  it("me is refused with UNAUTHENTICATED", async () => {
    const result = await gql(t.app.url, meQuery, {}, await makeToken());
    expect(result.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(result.data?.me ?? null).toBeNull();
  });

  it("submitJob is refused with UNAUTHENTICATED and creates nothing", async () => {
    const result = await gql(t.app.url, submitJobMutation, { input: { type: "demo.simulate", params: { steps: 0 } } }, await makeToken());
    expect(result.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(result.data?.submitJob ?? null).toBeNull();
    expect(await userRow("intruder")).toBeUndefined();
  });

  it("jobUpdated over graphql-ws is refused with UNAUTHENTICATED", async () => {
    const token = (await makeToken()) ?? "";
    const codes = await subscriptionErrorCodes(
      collectOverWebSocket(t.app.url, token, jobUpdatedSubscription, { id: "00000000-0000-4000-8000-000000000000" }),
    );
    expect(codes).toContain("UNAUTHENTICATED");
  });
});

it("a request with a non-Bearer Authorization header is UNAUTHENTICATED", async () => {
  const token = await tokenFor("basic-user");
  const response = await fetch(t.app.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Basic ${token}` },
    body: JSON.stringify({ query: meQuery }),
  });
  const body = (await response.json()) as GraphQLResponse;
  expect(body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  expect(await userRow("basic-user")).toBeUndefined();
});

describe("provisioning", () => {
  it("the first request with a new subject creates the user with balance 0 and no ledger entry", async () => {
    expect(await userRow("newcomer")).toBeUndefined();
    const token = await tokenFor("newcomer");
    const me = await gqlData(t.app.url, meQuery, {}, token);
    expect(me.me).toMatchObject({ balance: 0, role: "USER" });
    const row = await userRow("newcomer");
    expect(row).toMatchObject({ id: me.me.id, balance: 0, role: "user" });
    expect(await ledgerKinds("newcomer")).toEqual([]);

    // Seen again: the same user.
    const again = await gqlData(t.app.url, meQuery, {}, token);
    expect(again.me.id).toBe(me.me.id);
  });

  it("concurrent first requests of one subject create exactly one user", async () => {
    const token = await tokenFor("stampede");
    const results = await Promise.all(Array.from({ length: 10 }, () => gql(t.app.url, meQuery, {}, token)));
    for (const result of results) expect(result.errors).toBeUndefined();
    expect(new Set(results.map((r) => r.data.me.id)).size).toBe(1);
    const [count] = await t.env.sql<{ n: number }[]>`select count(*)::int as n from users where subject = 'stampede'`;
    expect(count!.n).toBe(1);
  });
});

describe("another user's job", () => {
  let ownerToken: string;
  let otherToken: string;
  let adminToken: string;
  let jobId: string;

  beforeAll(async () => {
    await grant(t.env.sql, "owner", 2);
    await grant(t.env.sql, "other", 2);
    ownerToken = await tokenFor("owner");
    otherToken = await tokenFor("other");
    adminToken = await tokenFor("auth-admin", { admin: true });
    const submitted = await gqlData(
      t.app.url,
      submitJobMutation,
      { input: { type: "demo.simulate", params: { steps: 3, stepMs: 20, result: { secret: "owner's" } } } },
      ownerToken,
    );
    expect(submitted.submitJob.__typename).toBe("SubmitJobSuccess");
    jobId = submitted.submitJob.job.id;
  });

  it("job(id) reads as null for someone else", async () => {
    const data = await gqlData(t.app.url, jobQuery, { id: jobId }, otherToken);
    expect(data.job).toBeNull();
    const jobs = await gqlData(t.app.url, "{ jobs(first: 10) { edges { node { id } } } }", {}, otherToken);
    expect(jobs.jobs.edges).toEqual([]);
  });

  it("cancelJob by someone else is NotFoundError and changes nothing", async () => {
    const data = await gqlData(t.app.url, cancelJobMutation, { id: jobId }, otherToken);
    expect(data.cancelJob.__typename).toBe("NotFoundError");
    const [row] = await t.env.sql<{ status: string }[]>`select status from jobs where id = ${jobId}`;
    expect(row!.status).not.toBe("CANCELLED");
    expect((await ledgerKinds("owner")).filter((e) => e.kind === "refund")).toEqual([]);
    expect((await gqlData(t.app.url, meQuery, {}, otherToken)).me.balance).toBe(2);
  });

  it("retryJob by someone else does not find it", async () => {
    const data = await gqlData(
      t.app.url,
      "mutation ($id: ID!) { retryJob(id: $id) { __typename ... on NotFoundError { message } } }",
      { id: jobId },
      otherToken,
    );
    expect(data.retryJob).toEqual({ __typename: "NotFoundError", message: "job not found" });
    expect((await gqlData(t.app.url, meQuery, {}, otherToken)).me.balance).toBe(2);
  });

  it.each([
    ["jobUpdated over graphql-ws", () => collectOverWebSocket(t.app.url, otherToken, jobUpdatedSubscription, { id: jobId })],
    ["jobEvents over graphql-ws", () => collectOverWebSocket(t.app.url, otherToken, jobEventsSubscription, { id: jobId })],
    ["jobUpdated over SSE", () => collectOverSse(t.app.url, otherToken, jobUpdatedSubscription, { id: jobId })],
    ["jobEvents over SSE", () => collectOverSse(t.app.url, otherToken, jobEventsSubscription, { id: jobId })],
  ])("%s by someone else is refused with NOT_FOUND", async (_name, run) => {
    const codes = await subscriptionErrorCodes(run());
    expect(codes).toContain("NOT_FOUND");
  });

  it("an admin can read it and follow it", async () => {
    const data = await gqlData(t.app.url, jobQuery, { id: jobId }, adminToken);
    expect(data.job).toMatchObject({ id: jobId, cost: 1 });
    const payloads = await collectOverWebSocket(t.app.url, adminToken, jobUpdatedSubscription, { id: jobId });
    for (const payload of payloads) expect(payload.errors).toBeUndefined();
    expect(payloads.at(-1)!.data!.jobUpdated).toMatchObject({ id: jobId, status: "SUCCEEDED", result: { secret: "owner's" } });
    // The owner was charged once; nobody else paid.
    const report = await ledgerReport(t.env.sql);
    expect(report.find((r) => r.subject === "owner")).toMatchObject({ balance: 1, ledgerSum: 1, charged: 1, succeededCost: 1 });
    expect(report.find((r) => r.subject === "other")).toMatchObject({ balance: 2, ledgerSum: 2, charged: 0 });
  });
});

describe("grantCredits", () => {
  let userId: string;
  let userToken: string;
  let adminToken: string;

  beforeAll(async () => {
    userToken = await tokenFor("grantee");
    userId = (await gqlData(t.app.url, meQuery, {}, userToken)).me.id;
    adminToken = await tokenFor("granter", { admin: true });
  });

  it("is FORBIDDEN to a non-admin, even for themselves", async () => {
    const result = await gql(t.app.url, grantCreditsMutation, { userId, amount: 100 }, userToken);
    expect(result.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await userRow("grantee")).toMatchObject({ balance: 0 });
    expect(await ledgerKinds("grantee")).toEqual([]);
  });

  it("by an admin adds credits and writes a grant ledger entry", async () => {
    const data = await gqlData(t.app.url, grantCreditsMutation, { userId, amount: 5, reason: "welcome" }, adminToken);
    expect(data.grantCredits).toMatchObject({ id: userId, balance: 5, role: "USER" });
    expect((await gqlData(t.app.url, meQuery, {}, userToken)).me.balance).toBe(5);
    expect(await ledgerKinds("grantee")).toEqual([{ kind: "grant", amount: 5, reason: "welcome" }]);
  });

  it("a negative grant within the balance takes credits back", async () => {
    const data = await gqlData(t.app.url, grantCreditsMutation, { userId, amount: -2 }, adminToken);
    expect(data.grantCredits.balance).toBe(3);
    expect((await ledgerKinds("grantee")).map((e) => e.amount)).toEqual([5, -2]);
  });

  it("a negative grant beyond the balance is an error and changes nothing", async () => {
    const result = await gql(t.app.url, grantCreditsMutation, { userId, amount: -4 }, adminToken);
    expect(result.errors?.length).toBeGreaterThan(0);
    expect(result.errors![0]!.extensions?.code).toBe("BAD_USER_INPUT");
    expect(result.data?.grantCredits ?? null).toBeNull();
    expect((await gqlData(t.app.url, meQuery, {}, userToken)).me.balance).toBe(3);
    expect((await ledgerKinds("grantee")).map((e) => e.amount)).toEqual([5, -2]);
  });

  it("an unknown user or a zero amount is an error", async () => {
    const unknown = await gql(t.app.url, grantCreditsMutation, { userId: "00000000-0000-4000-8000-000000000000", amount: 1 }, adminToken);
    expect(unknown.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const notUuid = await gql(t.app.url, grantCreditsMutation, { userId: "nobody", amount: 1 }, adminToken);
    expect(notUuid.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const zero = await gql(t.app.url, grantCreditsMutation, { userId, amount: 0 }, adminToken);
    expect(zero.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect((await gqlData(t.app.url, meQuery, {}, userToken)).me.balance).toBe(3);
  });

  it("granted credits pay for a job, and balance always equals the ledger sum", async () => {
    const submitted = await gqlData(t.app.url, submitJobMutation, { input: { type: "demo.simulate", params: { steps: 0 } } }, userToken);
    expect(submitted.submitJob).toMatchObject({ __typename: "SubmitJobSuccess", balance: 2 });
    await waitFor(
      async () => {
        const [row] = await t.env.sql<{ status: string }[]>`select status from jobs where id = ${submitted.submitJob.job.id}`;
        return row!.status === "SUCCEEDED" || undefined;
      },
      { timeoutMs: 10_000, what: "the granted job to succeed" },
    );
    for (const row of await ledgerReport(t.env.sql)) expect(row.balance, row.subject).toBe(row.ledgerSum);
  });
});

it("the test secret is what the gateway trusts (sanity check for the other-secret case)", async () => {
  const ok = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject("same-secret").setExpirationTime("1h").sign(new TextEncoder().encode(testJwtSecret));
  expect((await gqlData(t.app.url, meQuery, {}, ok)).me.balance).toBe(0);
});

it("a token without exp is refused: tokens must expire", async () => {
  const forever = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject("forever").sign(new TextEncoder().encode(testJwtSecret));
  const result = await gql(t.app.url, "{ me { id } }", {}, forever);
  expect(result.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
});
