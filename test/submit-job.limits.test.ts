import { describe, expect, it } from "vitest";
import { gql, gqlData } from "./helpers/graphql-client.js";
import { grant } from "./helpers/ledger.js";
import { startTestApp, tokenFor, useTestApp, type TestEnvironment } from "./helpers/test-app.js";

const submitMutation = /* GraphQL */ `
  mutation Submit($input: SubmitJobInput!) {
    submitJob(input: $input) {
      __typename
      ... on SubmitJobSuccess { balance job { id status } }
      ... on RateLimitedError { message retryAfterMs limit }
      ... on InsufficientBalanceError { message balance }
      ... on ValidationError { message issues { path message } }
    }
  }
`;

const retryMutation = /* GraphQL */ `
  mutation Retry($id: ID!) {
    retryJob(id: $id) {
      __typename
      ... on SubmitJobSuccess { balance job { id status } }
      ... on RateLimitedError { message retryAfterMs limit }
      ... on ValidationError { message issues { path message } }
    }
  }
`;

type Answer = { __typename: string; balance?: number; job?: { id: string; status: string }; retryAfterMs?: number; limit?: string; message?: string };

const demo = (params: Record<string, unknown> = {}) => ({ type: "demo.simulate", params });

async function submit(url: string, token: string, input: Record<string, unknown> = demo()): Promise<Answer> {
  return (await gqlData(url, submitMutation, { input }, token)).submitJob as Answer;
}

async function cancel(url: string, token: string, id: string): Promise<void> {
  const data = await gqlData(url, "mutation($id: ID!) { cancelJob(id: $id) { __typename } }", { id }, token);
  expect(data.cancelJob.__typename).toBe("CancelJobSuccess");
}

/** Balance, ledger, jobs and unfinished jobs of one user. */
async function account(env: TestEnvironment, subject: string) {
  const [row] = await env.sql<{ balance: number; ledgerSum: number; entries: number; jobs: number; unfinished: number }[]>`
    select u.balance,
      coalesce((select sum(amount) from ledger_entries l where l.user_id = u.id), 0)::int as "ledgerSum",
      (select count(*) from ledger_entries l where l.user_id = u.id)::int as entries,
      (select count(*) from jobs j where j.user_id = u.id)::int as jobs,
      (select count(*) from jobs j where j.user_id = u.id and j.status in ('QUEUED', 'RUNNING', 'RETRYING'))::int as unfinished
    from users u where u.subject = ${subject}`;
  return row!;
}

describe("the submit rate limit: a token bucket per user", () => {
  const burst = 5;
  const ratePerSecond = 1;
  // No consumers: accepted jobs stay QUEUED, and the cap on unfinished jobs is far away.
  const t = useTestApp({ overrides: { ROLE: "gateway", SUBMIT_BURST: String(burst), SUBMIT_RATE_PER_SECOND: String(ratePerSecond) } });

  it("of 12 concurrent submits, the burst (plus what refilled meanwhile) is accepted; the rest get SUBMIT_RATE and are charged nothing", async () => {
    await grant(t.env.sql, "bursty", 100);
    const token = await tokenFor("bursty");
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 12 }, () => submit(t.app.url, token)));
    const elapsedMs = performance.now() - started;

    const accepted = answers.filter((a) => a.__typename === "SubmitJobSuccess");
    expect(accepted.length).toBeGreaterThanOrEqual(burst);
    expect(accepted.length).toBeLessThanOrEqual(burst + Math.floor((elapsedMs / 1000) * ratePerSecond));
    for (const refused of answers.filter((a) => a.__typename !== "SubmitJobSuccess")) {
      expect(refused).toMatchObject({ __typename: "RateLimitedError", limit: "SUBMIT_RATE", message: expect.stringMatching(/too many submits/) });
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(1000 / ratePerSecond);
    }
    const after = await account(t.env, "bursty");
    // The grant, then one charge per accepted job: nothing else was written.
    expect(after).toMatchObject({ balance: 100 - accepted.length, ledgerSum: 100 - accepted.length, entries: 1 + accepted.length, jobs: accepted.length });
  });

  it("retryAfterMs is when a token is back: waiting it gets exactly one more submit through", async () => {
    const token = await tokenFor("bursty");
    let refusal: Answer | null = null;
    for (let i = 0; i < burst + 2 && !refusal; i++) {
      const answer = await submit(t.app.url, token);
      if (answer.__typename !== "SubmitJobSuccess") refusal = answer;
    }
    expect(refusal).toMatchObject({ __typename: "RateLimitedError", limit: "SUBMIT_RATE" });
    await new Promise((resolve) => setTimeout(resolve, refusal!.retryAfterMs!));
    expect((await submit(t.app.url, token)).__typename).toBe("SubmitJobSuccess");
    expect(await submit(t.app.url, token)).toMatchObject({ __typename: "RateLimitedError", limit: "SUBMIT_RATE" });
  });

  it("refused submits take no token: a user without credits can be refused any number of times, then submit a full burst", async () => {
    await grant(t.env.sql, "broke", 0);
    const token = await tokenFor("broke");
    for (let i = 0; i < burst * 2; i++) expect((await submit(t.app.url, token)).__typename).toBe("InsufficientBalanceError");
    for (let i = 0; i < burst; i++) expect((await submit(t.app.url, token, demo({ steps: -1 }))).__typename).toBe("ValidationError");
    await grant(t.env.sql, "broke", burst);
    const answers = await Promise.all(Array.from({ length: burst }, () => submit(t.app.url, token)));
    expect(answers.map((a) => a.__typename)).toEqual(Array(burst).fill("SubmitJobSuccess"));
  });

  it("an idempotent replay takes no token", async () => {
    await grant(t.env.sql, "replayer", 10);
    const token = await tokenFor("replayer");
    const input = { ...demo(), idempotencyKey: "same" };
    const first = await submit(t.app.url, token, input);
    for (let i = 0; i < burst * 2; i++) expect((await submit(t.app.url, token, input)).job?.id).toBe(first.job!.id);
    const answers = await Promise.all(Array.from({ length: burst - 1 }, () => submit(t.app.url, token)));
    expect(answers.map((a) => a.__typename)).toEqual(Array(burst - 1).fill("SubmitJobSuccess"));
  });

  it("retryJob passes through the same bucket", async () => {
    await grant(t.env.sql, "retrier", 20);
    const token = await tokenFor("retrier");
    const job = await submit(t.app.url, token);
    await cancel(t.app.url, token, job.job!.id);
    // An empty bucket counted an hour ahead refills nothing until then: no race with the clock.
    await t.env.sql`update users set submit_tokens = 0, submit_tokens_at = now() + interval '1 hour' where subject = 'retrier'`;
    expect((await submit(t.app.url, token)).limit).toBe("SUBMIT_RATE");
    const before = await account(t.env, "retrier");
    const retried = (await gqlData(t.app.url, retryMutation, { id: job.job!.id }, token)).retryJob;
    expect(retried).toMatchObject({ __typename: "RateLimitedError", limit: "SUBMIT_RATE" });
    expect(await account(t.env, "retrier")).toEqual(before);
    const [row] = await t.env.sql<{ status: string }[]>`select status from jobs where id = ${job.job!.id}`;
    expect(row!.status).toBe("CANCELLED");
  });

  it("a lower SUBMIT_BURST applies at once to buckets already counted, since burst and rate are not stored", async () => {
    await grant(t.env.sql, "reconfigured", 20);
    const token = await tokenFor("reconfigured");
    expect((await submit(t.app.url, token)).__typename).toBe("SubmitJobSuccess");
    // Four tokens left under a burst of 5; a gateway configured with a burst of 2 holds the bucket to 2.
    const stricter = await startTestApp(t.env, { overrides: { ROLE: "gateway", SUBMIT_BURST: "2", SUBMIT_RATE_PER_SECOND: "1" } });
    try {
      const answers = await Promise.all(Array.from({ length: 4 }, () => submit(stricter.url, token)));
      expect(answers.filter((a) => a.__typename === "SubmitJobSuccess").length).toBeLessThanOrEqual(3);
      expect(answers.filter((a) => a.__typename === "SubmitJobSuccess").length).toBeGreaterThanOrEqual(2);
    } finally {
      await stricter.stop();
    }
  });
});

describe("the cap on a user's unfinished jobs", () => {
  const cap = 3;
  const t = useTestApp({ overrides: { ROLE: "gateway", MAX_UNFINISHED_JOBS: String(cap), SUBMIT_BURST: "1000", SUBMIT_RATE_PER_SECOND: "1000" } });

  it(`of 20 concurrent submits exactly ${cap} are accepted; the rest get UNFINISHED_JOBS and are charged nothing`, async () => {
    await grant(t.env.sql, "hoarder", 100);
    const token = await tokenFor("hoarder");
    const answers = await Promise.all(Array.from({ length: 20 }, () => submit(t.app.url, token)));
    expect(answers.filter((a) => a.__typename === "SubmitJobSuccess")).toHaveLength(cap);
    for (const refused of answers.filter((a) => a.__typename !== "SubmitJobSuccess")) {
      expect(refused).toMatchObject({
        __typename: "RateLimitedError",
        limit: "UNFINISHED_JOBS",
        retryAfterMs: 1000,
        message: expect.stringMatching(new RegExp(`at most ${cap}`)),
      });
    }
    expect(await account(t.env, "hoarder")).toEqual({ balance: 100 - cap, ledgerSum: 100 - cap, entries: 1 + cap, jobs: cap, unfinished: cap });
  });

  it("a cancelled job frees one place; concurrent submits take it once", async () => {
    const token = await tokenFor("hoarder");
    const [job] = await t.env.sql<{ id: string }[]>`select j.id from jobs j join users u on u.id = j.user_id where u.subject = 'hoarder' limit 1`;
    await cancel(t.app.url, token, job!.id);
    expect((await account(t.env, "hoarder")).unfinished).toBe(cap - 1);
    const answers = await Promise.all(Array.from({ length: 5 }, () => submit(t.app.url, token)));
    expect(answers.filter((a) => a.__typename === "SubmitJobSuccess")).toHaveLength(1);
    const after = await account(t.env, "hoarder");
    expect(after).toMatchObject({ unfinished: cap, balance: after.ledgerSum });
  });

  it("retryJob at the cap gets UNFINISHED_JOBS, charges nothing and leaves the job as it was", async () => {
    const token = await tokenFor("hoarder");
    const [cancelled] = await t.env.sql<{ id: string }[]>`
      select j.id from jobs j join users u on u.id = j.user_id where u.subject = 'hoarder' and j.status = 'CANCELLED' limit 1`;
    const before = await account(t.env, "hoarder");
    const retried = (await gqlData(t.app.url, retryMutation, { id: cancelled!.id }, token)).retryJob;
    expect(retried).toMatchObject({ __typename: "RateLimitedError", limit: "UNFINISHED_JOBS" });
    expect(await account(t.env, "hoarder")).toEqual(before);
    const [row] = await t.env.sql<{ status: string }[]>`select status from jobs where id = ${cancelled!.id}`;
    expect(row!.status).toBe("CANCELLED");
  });

  it("with a place free, retryJob counts as one more unfinished job", async () => {
    const token = await tokenFor("hoarder");
    const [queued] = await t.env.sql<{ id: string }[]>`
      select j.id from jobs j join users u on u.id = j.user_id where u.subject = 'hoarder' and j.status = 'QUEUED' limit 1`;
    await cancel(t.app.url, token, queued!.id);
    const retried = (await gqlData(t.app.url, retryMutation, { id: queued!.id }, token)).retryJob;
    expect(retried).toMatchObject({ __typename: "SubmitJobSuccess", job: { status: "QUEUED" } });
    expect(await account(t.env, "hoarder")).toMatchObject({ unfinished: cap });
    expect((await submit(t.app.url, token)).limit).toBe("UNFINISHED_JOBS");
  });

  it("a user at the cap without credits hears about the balance, which the charge checks first", async () => {
    await t.env.sql`update users set balance = 0 where subject = 'hoarder'`;
    await t.env.sql`insert into ledger_entries (user_id, amount, kind, reason)
      select id, -(select coalesce(sum(amount), 0) from ledger_entries l where l.user_id = users.id)::int, 'grant', 'test: emptied'
      from users where subject = 'hoarder'`;
    expect((await submit(t.app.url, await tokenFor("hoarder"))).__typename).toBe("InsufficientBalanceError");
  });
});

describe("GraphQL errors are never the answer to a refused submit", () => {
  const t = useTestApp({ overrides: { ROLE: "gateway", SUBMIT_BURST: "1", SUBMIT_RATE_PER_SECOND: "1", MAX_UNFINISHED_JOBS: "1" } });

  it("RateLimitedError carries its limit as data", async () => {
    await grant(t.env.sql, "single", 5);
    const token = await tokenFor("single");
    await submit(t.app.url, token);
    const answer = await gql(t.app.url, submitMutation, { input: demo() }, token);
    expect(answer.errors).toBeUndefined();
    expect(answer.data.submitJob.__typename).toBe("RateLimitedError");
    expect(["SUBMIT_RATE", "UNFINISHED_JOBS"]).toContain(answer.data.submitJob.limit);
  });
});
