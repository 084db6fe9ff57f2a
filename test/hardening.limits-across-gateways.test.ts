import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtinJobTypes as allJobTypes } from "../src/jobs/builtin.js";
import { gql } from "./helpers/graphql-client.js";
import { grant } from "./helpers/ledger.js";
import { startAppProcess, type AppProcess } from "./helpers/processes.js";
import { createTestEnvironment, tokenFor, type TestEnvironment } from "./helpers/test-app.js";

// Two gateway processes on one database and vhost, no worker: accepted jobs stay QUEUED.
// The limits are per user and held in PostgreSQL, so the two must add up to one.

const demoCost = allJobTypes.find((type) => type.name === "demo.simulate")!.cost;

const submitMutation = /* GraphQL */ `
  mutation Submit($input: SubmitJobInput!) {
    submitJob(input: $input) {
      __typename
      ... on SubmitJobSuccess { balance job { id } }
      ... on RateLimitedError { message retryAfterMs limit }
      ... on ValidationError { message }
      ... on InsufficientBalanceError { message }
    }
  }
`;

type SubmitResult = { __typename: string; job?: { id: string }; retryAfterMs?: number; limit?: string; message?: string };

const rateLimits = { SUBMIT_BURST: "10", SUBMIT_RATE_PER_SECOND: "1" };
const capLimits = { SUBMIT_BURST: "1000", SUBMIT_RATE_PER_SECOND: "1000", MAX_UNFINISHED_JOBS: "25" };

let env: TestEnvironment;
/** Two gateways for the rate-limit tests, two for the cap tests. */
const rateGateways: AppProcess[] = [];
const capGateways: AppProcess[] = [];

beforeAll(async () => {
  env = await createTestEnvironment();
  const start = (limits: Record<string, string>) => startAppProcess({ ...env.env, ROLE: "gateway", ...limits });
  // One first, so its migration check runs alone; then the other three together.
  rateGateways.push(await start(rateLimits));
  const [rate, ...cap] = await Promise.all([start(rateLimits), start(capLimits), start(capLimits)]);
  rateGateways.push(rate!);
  capGateways.push(...cap);
}, 90_000);

afterAll(async () => {
  const all = [...rateGateways, ...capGateways];
  for (const gateway of all) gateway.kill("SIGTERM");
  await Promise.all(all.map((gateway) => gateway.exited));
  await env?.teardown();
});

async function submit(gateway: AppProcess, token: string, input: Record<string, unknown> = { type: "demo.simulate", params: {} }): Promise<SubmitResult> {
  const answer = await gql(gateway.url, submitMutation, { input }, token);
  expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
  return answer.data!.submitJob as SubmitResult;
}

/** `count` submits at once, alternating between the gateways; with the wall-clock time they spanned. */
async function submitConcurrently(gateways: AppProcess[], token: string, count: number) {
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: count }, (_, i) => submit(gateways[i % gateways.length]!, token)));
  return { results, elapsedMs: performance.now() - started };
}

async function account(subject: string) {
  const [row] = await env.sql<{ balance: number; ledgerSum: number; charges: number; jobs: number; unfinished: number }[]>`
    select u.balance,
      coalesce((select sum(amount) from ledger_entries l where l.user_id = u.id), 0)::int as "ledgerSum",
      (select count(*) from ledger_entries l where l.user_id = u.id and l.kind = 'charge')::int as charges,
      (select count(*) from jobs j where j.user_id = u.id)::int as jobs,
      (select count(*) from jobs j where j.user_id = u.id and j.status in ('QUEUED', 'RUNNING', 'RETRYING'))::int as unfinished
    from users u where u.subject = ${subject}`;
  return row!;
}

describe("the submit rate limit (token bucket) holds across two gateways", () => {
  const burst = Number(rateLimits.SUBMIT_BURST);
  const ratePerSecond = Number(rateLimits.SUBMIT_RATE_PER_SECOND);
  const gateways = rateGateways;
  const subject = "bursty";
  const credits = 1_000;

  it("of 40 concurrent submits split over both, at most the burst plus what refilled meanwhile are accepted; the rest get RateLimitedError SUBMIT_RATE", async () => {
    await grant(env.sql, subject, credits);
    const token = await tokenFor(subject);
    const { results, elapsedMs } = await submitConcurrently(gateways, token, 40);

    const accepted = results.filter((r) => r.__typename === "SubmitJobSuccess");
    const refused = results.filter((r) => r.__typename !== "SubmitJobSuccess");
    // The bucket starts full; during the test it can refill by at most rate × elapsed.
    const bound = Math.floor(burst + (ratePerSecond * elapsedMs) / 1000);
    expect(accepted.length).toBeGreaterThanOrEqual(burst);
    expect(accepted.length, `accepted within ${Math.round(elapsedMs)} ms`).toBeLessThanOrEqual(bound);
    for (const result of refused) {
      expect(result).toMatchObject({ __typename: "RateLimitedError", limit: "SUBMIT_RATE" });
      expect(result.retryAfterMs).toBeGreaterThan(0);
      expect(result.retryAfterMs).toBeLessThanOrEqual(1000 / ratePerSecond);
    }

    const after = await account(subject);
    expect(after.jobs).toBe(accepted.length);
    expect(after.charges).toBe(accepted.length);
    expect(after.balance).toBe(credits - accepted.length * demoCost);
    expect(after.ledgerSum).toBe(after.balance);
  });

  it("retryAfterMs is honest: after waiting it, a submit on the other gateway is accepted", async () => {
    const token = await tokenFor(subject);
    const [gatewayA, gatewayB] = gateways;
    // Drain what refilled since the last test, up to the refusal.
    let refusal: SubmitResult | null = null;
    for (let i = 0; i < burst + 5 && !refusal; i++) {
      const result = await submit(gatewayA!, token);
      if (result.__typename !== "SubmitJobSuccess") refusal = result;
    }
    expect(refusal).toMatchObject({ __typename: "RateLimitedError", limit: "SUBMIT_RATE" });
    // Waiting is the protocol here: the server said when a token will be there.
    await new Promise((resolve) => setTimeout(resolve, refusal!.retryAfterMs!));
    const retried = await submit(gatewayB!, token);
    expect(retried.__typename).toBe("SubmitJobSuccess");
  });

  it("another user has a bucket of their own", async () => {
    await grant(env.sql, "calm", 5);
    const result = await submit(gateways[1]!, await tokenFor("calm"));
    expect(result.__typename).toBe("SubmitJobSuccess");
  });
});

describe("the cap on unfinished jobs holds across two gateways", () => {
  const cap = Number(capLimits.MAX_UNFINISHED_JOBS);
  const gateways = capGateways;
  const subject = "hoarder";
  const credits = 1_000;

  it(`of 60 concurrent submits split over both, exactly ${cap} are accepted; the rest get RateLimitedError UNFINISHED_JOBS; charges match`, async () => {
    await grant(env.sql, subject, credits);
    const token = await tokenFor(subject);
    const { results } = await submitConcurrently(gateways, token, 60);

    const accepted = results.filter((r) => r.__typename === "SubmitJobSuccess");
    const refused = results.filter((r) => r.__typename !== "SubmitJobSuccess");
    expect(accepted.length).toBe(cap);
    for (const result of refused) {
      expect(result).toMatchObject({ __typename: "RateLimitedError", limit: "UNFINISHED_JOBS" });
      expect(result.retryAfterMs).toBeGreaterThanOrEqual(0);
    }
    const after = await account(subject);
    expect(after).toEqual({ balance: credits - cap * demoCost, ledgerSum: credits - cap * demoCost, charges: cap, jobs: cap, unfinished: cap });
  });

  it("a cancelled job frees exactly one place, whichever gateway is asked", async () => {
    const token = await tokenFor(subject);
    const [gatewayA, gatewayB] = gateways;
    const [job] = await env.sql<{ id: string }[]>`
      select j.id from jobs j join users u on u.id = j.user_id where u.subject = ${subject} and j.status = 'QUEUED' limit 1`;
    const cancelled = await gql(gatewayA!.url, "mutation($id: ID!) { cancelJob(id: $id) { __typename } }", { id: job!.id }, token);
    expect(cancelled.data?.cancelJob.__typename).toBe("CancelJobSuccess");

    const results = await Promise.all([submit(gatewayA!, token), submit(gatewayB!, token), submit(gatewayA!, token)]);
    expect(results.filter((r) => r.__typename === "SubmitJobSuccess")).toHaveLength(1);
    expect(results.filter((r) => r.__typename === "RateLimitedError" && r.limit === "UNFINISHED_JOBS")).toHaveLength(2);
    const after = await account(subject);
    expect(after.unfinished).toBe(cap);
    // One charge refunded by the cancel, one more charged.
    expect(after.balance).toBe(credits - cap * demoCost);
    expect(after.ledgerSum).toBe(after.balance);
  });

  it("another user is not held by the first one's cap", async () => {
    await grant(env.sql, "neighbour", 5);
    const result = await submit(gateways[0]!, await tokenFor("neighbour"));
    expect(result.__typename).toBe("SubmitJobSuccess");
  });
});
