import { describe, expect, it } from "vitest";
import { SignJWT } from "jose";
import { schema } from "../src/schema/index.js";
import { collectOverSse, gql, type GraphQLResponse } from "./helpers/graphql-client.js";
import { grant } from "./helpers/ledger.js";
import { testJwtSecret, tokenFor, useTestApp } from "./helpers/test-app.js";

const t = useTestApp();

const noJob = "00000000-0000-4000-8000-000000000000";
const authRequired = "authentication required: send Authorization: Bearer <token>";

// Root fields anyone may read without a token.
const publicRootFields = ["jobTypes"];

const userOperations: [string, string][] = [
  ["me", "{ me { id } }"],
  ["job", `{ job(id: "${noJob}") { id } }`],
  ["jobs", "{ jobs { edges { node { id } } } }"],
  ["submitJob", `mutation { submitJob(input: { type: "demo.simulate", params: { steps: 0 } }) { __typename } }`],
  ["submitJobs", `mutation { submitJobs(inputs: [{ type: "demo.simulate", params: { steps: 0 } }]) { __typename } }`],
  ["cancelJob", `mutation { cancelJob(id: "${noJob}") { __typename } }`],
  ["retryJob", `mutation { retryJob(id: "${noJob}") { __typename } }`],
];

const adminOperations: [string, string][] = [
  ["queueStats", "{ queueStats { type } }"],
  ["deadLetters", `{ deadLetters(type: "demo.simulate") { body } }`],
  ["webhookDeliveries", "{ webhookDeliveries { edges { node { id } } } }"],
  ["resendWebhookDelivery", `mutation { resendWebhookDelivery(id: "${noJob}") { __typename } }`],
  // amount 0 would be BAD_USER_INPUT from the resolver: the scope answers first.
  ["grantCredits", `mutation { grantCredits(userId: "${noJob}", amount: 0) { id } }`],
  ["redriveDeadLetters", `mutation { redriveDeadLetters(type: "demo.simulate", limit: 0) }`],
  // An unknown type: past the scope, the resolver refuses it (BAD_USER_INPUT) and changes nothing.
  ["pauseJobType", `mutation { pauseJobType(type: "no.such-type") { paused } }`],
  ["resumeJobType", `mutation { resumeJobType(type: "no.such-type") { paused } }`],
  ["setJobTypeConcurrency", `mutation { setJobTypeConcurrency(type: "no.such-type", concurrency: 2) { concurrency } }`],
  ["purgeJobType", `mutation { purgeJobType(type: "no.such-type") }`],
];

const subscriptions: [string, string][] = [
  ["jobUpdated", `subscription { jobUpdated(id: "${noJob}") { id } }`],
  ["jobEvents", `subscription { jobEvents(id: "${noJob}") { seq } }`],
  ["myJobUpdated", "subscription { myJobUpdated { id } }"],
];

function firstError(result: GraphQLResponse) {
  expect(result.errors?.length, JSON.stringify(result)).toBeGreaterThan(0);
  return { code: result.errors![0]!.extensions?.code, message: result.errors![0]!.message };
}

async function subjectSeen(subject: string): Promise<boolean> {
  return (await t.env.sql`select 1 from users where subject = ${subject}`).length > 0;
}

describe("every root field but the public catalogue requires a scope", () => {
  it.each(["Query", "Mutation", "Subscription"] as const)("%s", (rootName) => {
    const root = schema.getType(rootName) as import("graphql").GraphQLObjectType;
    for (const field of Object.values(root.getFields())) {
      const scopes = (field.extensions as { pothosOptions?: { authScopes?: unknown } }).pothosOptions?.authScopes;
      if (publicRootFields.includes(field.name)) expect(scopes, field.name).toBeUndefined();
      else expect(scopes, `${rootName}.${field.name} has no authScopes`).toBeTruthy();
    }
  });
});

describe.each([...userOperations, ...adminOperations])("%s", (_name, operation) => {
  it("without a token: UNAUTHENTICATED, asking for one", async () => {
    expect(firstError(await gql(t.app.url, operation))).toEqual({ code: "UNAUTHENTICATED", message: authRequired });
  });

  it("with an expired token: UNAUTHENTICATED, token expired", async () => {
    const expired = await tokenFor("scopes-expired", { expiresIn: Math.floor(Date.now() / 1000) - 5 });
    expect(firstError(await gql(t.app.url, operation, {}, expired))).toEqual({ code: "UNAUTHENTICATED", message: "token expired" });
    expect(await subjectSeen("scopes-expired")).toBe(false);
  });
});

describe.each(adminOperations)("%s (admin)", (_name, operation) => {
  it("for a user: FORBIDDEN, admin role required", async () => {
    const token = await tokenFor("scopes-user");
    expect(firstError(await gql(t.app.url, operation, {}, token))).toEqual({ code: "FORBIDDEN", message: "admin role required" });
  });

  it("for an admin: past the scope check", async () => {
    const token = await tokenFor("scopes-admin", { admin: true });
    const result = await gql(t.app.url, operation, {}, token);
    for (const error of result.errors ?? []) expect(["UNAUTHENTICATED", "FORBIDDEN"]).not.toContain(error.extensions?.code);
  });
});

describe.each(subscriptions)("subscription %s over SSE", (_name, subscription) => {
  it("without a valid token: UNAUTHENTICATED, before `subscribe` runs", async () => {
    const payloads = await collectOverSse(t.app.url, "not-a-jwt", subscription, {});
    expect(payloads.flatMap((p) => p.errors ?? []).map((e) => ({ code: e.extensions?.code, message: e.message }))).toEqual([
      { code: "UNAUTHENTICATED", message: "invalid token" },
    ]);
  });
});

it("the public catalogue needs no token", async () => {
  const result = await gql(t.app.url, "{ jobTypes { name } }");
  expect(result.errors).toBeUndefined();
  expect(result.data.jobTypes.length).toBeGreaterThan(0);
});

it("a token living longer than JWT_MAX_LIFETIME_SECONDS is UNAUTHENTICATED", async () => {
  const longLived = await new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject("scopes-long-lived")
    .setIssuedAt()
    .setExpirationTime("25h")
    .sign(new TextEncoder().encode(testJwtSecret));
  expect(firstError(await gql(t.app.url, "{ me { id } }", {}, longLived))).toEqual({
    code: "UNAUTHENTICATED",
    message: "token lifetime exceeds 86400 s",
  });
  expect(await subjectSeen("scopes-long-lived")).toBe(false);
});

it("a token with an empty subject is UNAUTHENTICATED", async () => {
  const anonymous = await new SignJWT({ sub: "" }).setProtectedHeader({ alg: "HS256" }).setIssuedAt().setExpirationTime("1h").sign(new TextEncoder().encode(testJwtSecret));
  expect(firstError(await gql(t.app.url, "{ me { id } }", {}, anonymous))).toEqual({
    code: "UNAUTHENTICATED",
    message: "token subject (sub) must be 1 to 255 characters",
  });
});

describe("a mutation is authorized whole, before its first field runs", () => {
  const submitThenGrant = (alias: string) => `mutation {
    ${alias}: submitJob(input: { type: "demo.simulate", params: {} }) { __typename ... on SubmitJobSuccess { job { id } } }
    more: grantCredits(userId: "${noJob}", amount: 100) { id } }`;
  const moneyOf = async (subject: string) =>
    (await t.env.sql<{ balance: number; jobs: number }[]>`
      select balance, (select count(*)::int from jobs j where j.user_id = u.id) as jobs from users u where subject = ${subject}`)[0];

  it("a user's submitJob followed by an admin field is refused FORBIDDEN, and charges nothing", async () => {
    await grant(t.env.sql, "sneaky", 5);
    const result = await gql(t.app.url, submitThenGrant("first"), {}, await tokenFor("sneaky"));
    expect(firstError(result)).toEqual({ code: "FORBIDDEN", message: "admin role required" });
    expect(result.data ?? null).toBeNull();
    expect(await moneyOf("sneaky")).toEqual({ balance: 5, jobs: 0 });
  });

  it("the same through a fragment on Mutation", async () => {
    await grant(t.env.sql, "sneaky-fragment", 5);
    const query = `mutation { ...M } fragment M on Mutation {
      submitJob(input: { type: "demo.simulate", params: {} }) { __typename } grantCredits(userId: "${noJob}", amount: 1) { id } }`;
    const result = await gql(t.app.url, query, {}, await tokenFor("sneaky-fragment"));
    expect(firstError(result).code).toBe("FORBIDDEN");
    expect(await moneyOf("sneaky-fragment")).toEqual({ balance: 5, jobs: 0 });
  });

  it("without a token: UNAUTHENTICATED, not FORBIDDEN", async () => {
    expect(firstError(await gql(t.app.url, submitThenGrant("first"), {})).code).toBe("UNAUTHENTICATED");
  });
});
