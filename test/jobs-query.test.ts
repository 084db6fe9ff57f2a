import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql, gqlData } from "./helpers/graphql-client.js";
import { grant, ledgerReport } from "./helpers/ledger.js";
import { submitJobMutation } from "./helpers/queries.js";
import { createTestEnvironment, startTestApp, tokenFor, type TestEnvironment } from "./helpers/test-app.js";

let env: TestEnvironment;
let app: Awaited<ReturnType<typeof startTestApp>>;

// A gateway without consumers: submitted jobs stay QUEUED until this file moves them.
beforeAll(async () => {
  env = await createTestEnvironment();
  app = await startTestApp(env, { overrides: { ROLE: "gateway" } });
});
afterAll(async () => {
  await app?.stop();
  await env?.teardown();
});

const jobsQuery = /* GraphQL */ `
  query Jobs($first: Int, $after: String, $last: Int, $before: String, $status: [JobStatus!], $type: String) {
    jobs(first: $first, after: $after, last: $last, before: $before, status: $status, type: $type) {
      edges { cursor node { id type status createdAt } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

const cancelJobMutation = /* GraphQL */ `
  mutation Cancel($id: ID!) {
    cancelJob(id: $id) {
      __typename
      ... on CancelJobSuccess { balance job { id status seq } }
      ... on NotFoundError { message }
      ... on InvalidJobStateError { message status }
    }
  }
`;

const retryJobMutation = /* GraphQL */ `
  mutation Retry($id: ID!) {
    retryJob(id: $id) {
      __typename
      ... on SubmitJobSuccess { balance job { id status seq cost attempts } }
      ... on InsufficientBalanceError { message balance cost }
      ... on ValidationError { message issues { path message } }
      ... on NotFoundError { message }
      ... on InvalidJobStateError { message status }
    }
  }
`;

interface JobNode {
  id: string;
  type: string;
  status: string;
  createdAt: string;
}

async function submit(token: string, type: string, params: Record<string, unknown>) {
  const data = await gqlData(app.url, submitJobMutation, { input: { type, params } }, token);
  expect(data.submitJob.__typename).toBe("SubmitJobSuccess");
  return data.submitJob as { balance: number; job: { id: string; status: string; cost: number } };
}

async function listJobs(token: string, variables: Record<string, unknown>) {
  const data = await gqlData(app.url, jobsQuery, variables, token);
  return data.jobs as {
    edges: { cursor: string; node: JobNode }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
}

async function balanceOf(token: string): Promise<number> {
  return (await gqlData(app.url, "{ me { balance } }", {}, token)).me.balance;
}

async function ledgerOfJob(jobId: string) {
  return env.sql<{ kind: string; amount: number }[]>`select kind, amount from ledger_entries where job_id = ${jobId} order by id`;
}

/** Newest first, ties on created_at broken by id, descending: the order the API promises. */
const newestFirst = (a: JobNode, b: JobNode) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

describe("jobs connection", () => {
  let token: string;
  let demoIds: string[];
  let speechId: string;
  let cancelledId: string;

  beforeAll(async () => {
    await grant(env.sql, "lister", 20);
    await grant(env.sql, "stranger", 5);
    token = await tokenFor("lister");
    demoIds = [];
    for (let i = 0; i < 5; i++) demoIds.push((await submit(token, "demo.simulate", { steps: 0, result: i })).job.id);
    speechId = (await submit(token, "speech.synthesize", { text: "Hello there." })).job.id;
    cancelledId = demoIds[1]!;
    const cancelled = await gqlData(app.url, cancelJobMutation, { id: cancelledId }, token);
    expect(cancelled.cancelJob.__typename).toBe("CancelJobSuccess");
    await submit(await tokenFor("stranger"), "demo.simulate", { steps: 0 });
  });

  it("lists the caller's jobs newest first, and only theirs", async () => {
    const page = await listJobs(token, { first: 100 });
    const nodes = page.edges.map((e) => e.node);
    expect(nodes).toHaveLength(6);
    expect(new Set(nodes.map((n) => n.id))).toEqual(new Set([...demoIds, speechId]));
    expect(nodes).toEqual([...nodes].sort(newestFirst));
    // Submitted one after another, so newer submits come first.
    const submittedOrder = [...demoIds, speechId];
    const positions = submittedOrder.map((id) => nodes.findIndex((n) => n.id === id));
    for (let i = 1; i < positions.length; i++) {
      const [earlier, later] = [nodes[positions[i - 1]!]!, nodes[positions[i]!]!];
      if (earlier.createdAt !== later.createdAt) expect(positions[i]).toBeLessThan(positions[i - 1]!);
    }
    expect(page.pageInfo.hasNextPage).toBe(false);
  });

  it("first: 2 pages with after: endCursor walk every job once, in order", async () => {
    const all = (await listJobs(token, { first: 100 })).edges.map((e) => e.node.id);
    const walked: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await listJobs(token, { first: 2, after });
      pages++;
      expect(page.edges.length).toBeLessThanOrEqual(2);
      walked.push(...page.edges.map((e) => e.node.id));
      if (page.edges.length > 0) expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
      expect(pages).toBeLessThan(10);
    }
    expect(pages).toBe(3);
    expect(walked).toEqual(all);
    expect(new Set(walked).size).toBe(walked.length);
  });

  it("last: 2 pages with before: startCursor walk back over every job once", async () => {
    const all = (await listJobs(token, { first: 100 })).edges.map((e) => e.node.id);
    const walked: string[] = [];
    let before: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await listJobs(token, { last: 2, before });
      pages++;
      walked.unshift(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
      expect(pages).toBeLessThan(10);
    }
    expect(walked).toEqual(all);
  });

  it("a page after the last job is empty", async () => {
    const all = await listJobs(token, { first: 100 });
    const beyond = await listJobs(token, { first: 2, after: all.pageInfo.endCursor });
    expect(beyond.edges).toEqual([]);
    expect(beyond.pageInfo.hasNextPage).toBe(false);
  });

  it("filters by status", async () => {
    const cancelled = await listJobs(token, { first: 100, status: ["CANCELLED"] });
    expect(cancelled.edges.map((e) => e.node.id)).toEqual([cancelledId]);

    const queued = await listJobs(token, { first: 100, status: ["QUEUED"] });
    expect(new Set(queued.edges.map((e) => e.node.id))).toEqual(new Set([...demoIds, speechId].filter((id) => id !== cancelledId)));
    for (const edge of queued.edges) expect(edge.node.status).toBe("QUEUED");

    const either = await listJobs(token, { first: 100, status: ["QUEUED", "CANCELLED"] });
    expect(either.edges).toHaveLength(6);

    const none = await listJobs(token, { first: 100, status: ["SUCCEEDED"] });
    expect(none.edges).toEqual([]);
  });

  it("filters by type, and by type and status together, paging within the filter", async () => {
    const speech = await listJobs(token, { first: 100, type: "speech.synthesize" });
    expect(speech.edges.map((e) => e.node)).toEqual([expect.objectContaining({ id: speechId, type: "speech.synthesize" })]);

    const demoQueued = await listJobs(token, { first: 100, type: "demo.simulate", status: ["QUEUED"] });
    expect(new Set(demoQueued.edges.map((e) => e.node.id))).toEqual(new Set(demoIds.filter((id) => id !== cancelledId)));

    const firstPage = await listJobs(token, { first: 3, type: "demo.simulate" });
    const secondPage = await listJobs(token, { first: 3, type: "demo.simulate", after: firstPage.pageInfo.endCursor });
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    expect(secondPage.pageInfo.hasNextPage).toBe(false);
    const paged = [...firstPage.edges, ...secondPage.edges].map((e) => e.node.id);
    expect(paged).toHaveLength(5);
    expect(new Set(paged)).toEqual(new Set(demoIds));

    expect((await listJobs(token, { first: 100, type: "no.such.type" })).edges).toEqual([]);
  });

  it("an admin sees everyone's jobs", async () => {
    const admin = await tokenFor("lister-admin", { admin: true });
    const page = await listJobs(admin, { first: 100 });
    expect(page.edges).toHaveLength(7);
  });

  it("refuses more than 100 per page and a forged cursor", async () => {
    const tooMany = await gql(app.url, jobsQuery, { first: 101 }, token);
    expect(tooMany.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const forged = await gql(app.url, jobsQuery, { first: 2, after: "not-a-cursor" }, token);
    expect(forged.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("jobTypes", () => {
  it("lists the shipped types with their params as JSON Schema", async () => {
    const token = await tokenFor("typer");
    const data = await gqlData(app.url, "{ jobTypes { name description cost defaultPriority maxAttempts timeoutMs concurrency paramsSchema } }", {}, token);
    const types = data.jobTypes as { name: string; cost: number; paramsSchema: any }[];
    expect(types.map((t) => t.name).sort()).toEqual(["demo.simulate", "slides.generate", "speech.synthesize", "story.generate", "video.transcode"]);
    for (const type of types) {
      expect(type.paramsSchema).toMatchObject({ type: "object" });
      expect(typeof type.paramsSchema.properties).toBe("object");
    }
    const demo = types.find((t) => t.name === "demo.simulate")!;
    expect(demo.cost).toBe(1);
    expect(demo.paramsSchema.properties.steps).toMatchObject({ type: "integer", minimum: 0, maximum: 1000 });
    expect(demo.paramsSchema.properties.stepMs).toMatchObject({ type: "integer", maximum: 60_000 });
    expect(demo.paramsSchema.properties.failTimes).toMatchObject({ type: "integer", maximum: 100 });
    // Every demo param has a default, so none is required of the client.
    expect(demo.paramsSchema.required ?? []).toEqual([]);
    // A transcode names an upload of the caller's, and a height among those offered.
    const transcode = types.find((t) => t.name === "video.transcode")!;
    expect(transcode.paramsSchema.properties.video).toMatchObject({ type: "string", format: "uuid", "x-upload": { accept: ["video/*"] } });
    expect(transcode.paramsSchema.properties.height).toMatchObject({ enum: [360, 720, 1080], default: 720 });
  });
});

describe("cancelJob and retryJob", () => {
  it("cancels a QUEUED job with a refund, refuses a second cancel, and retries it with a new charge", async () => {
    await grant(env.sql, "canceller", 3);
    const token = await tokenFor("canceller");
    const submitted = await submit(token, "demo.simulate", { steps: 0 });
    expect(submitted.balance).toBe(2);
    expect(submitted.job.status).toBe("QUEUED");
    const id = submitted.job.id;

    const cancelled = await gqlData(app.url, cancelJobMutation, { id }, token);
    expect(cancelled.cancelJob).toMatchObject({ __typename: "CancelJobSuccess", balance: 3, job: { id, status: "CANCELLED" } });
    expect(await balanceOf(token)).toBe(3);
    expect(await ledgerOfJob(id)).toEqual([
      { kind: "charge", amount: -1 },
      { kind: "refund", amount: 1 },
    ]);
    const [row] = await env.sql<{ status: string }[]>`select status from jobs where id = ${id}`;
    expect(row!.status).toBe("CANCELLED");

    const again = await gqlData(app.url, cancelJobMutation, { id }, token);
    expect(again.cancelJob).toMatchObject({ __typename: "InvalidJobStateError", status: "CANCELLED" });
    expect(await balanceOf(token)).toBe(3);
    expect(await ledgerOfJob(id)).toHaveLength(2);

    const retried = await gqlData(app.url, retryJobMutation, { id }, token);
    expect(retried.retryJob).toMatchObject({ __typename: "SubmitJobSuccess", balance: 2, job: { id, status: "QUEUED", cost: 1, attempts: 0 } });
    expect(retried.retryJob.job.seq).toBeGreaterThan(cancelled.cancelJob.job.seq);
    expect(await balanceOf(token)).toBe(2);
    expect(await ledgerOfJob(id)).toEqual([
      { kind: "charge", amount: -1 },
      { kind: "refund", amount: 1 },
      { kind: "charge", amount: -1 },
    ]);
    const job = await gqlData(app.url, "query ($id: ID!) { job(id: $id) { status } }", { id }, token);
    expect(job.job.status).toBe("QUEUED");

    // A QUEUED job cannot be retried; cancelling it again refunds the new charge.
    const retryQueued = await gqlData(app.url, retryJobMutation, { id }, token);
    expect(retryQueued.retryJob).toMatchObject({ __typename: "InvalidJobStateError", status: "QUEUED" });
    expect(await balanceOf(token)).toBe(2);
    const cancelledAgain = await gqlData(app.url, cancelJobMutation, { id }, token);
    expect(cancelledAgain.cancelJob).toMatchObject({ __typename: "CancelJobSuccess", balance: 3 });
    expect((await ledgerOfJob(id)).map((e) => e.amount)).toEqual([-1, 1, -1, 1]);

    const report = (await ledgerReport(env.sql)).find((r) => r.subject === "canceller");
    expect(report).toMatchObject({ balance: 3, ledgerSum: 3, charged: 0 });
  });

  it("retryJob without the credits is InsufficientBalanceError and leaves the job CANCELLED", async () => {
    await grant(env.sql, "poor", 1);
    const token = await tokenFor("poor");
    const first = await submit(token, "demo.simulate", { steps: 0 });
    const cancelled = await gqlData(app.url, cancelJobMutation, { id: first.job.id }, token);
    expect(cancelled.cancelJob).toMatchObject({ __typename: "CancelJobSuccess", balance: 1 });
    // Spend the refunded credit on another job: the balance is 0.
    const second = await submit(token, "demo.simulate", { steps: 0 });
    expect(second.balance).toBe(0);

    const retried = await gqlData(app.url, retryJobMutation, { id: first.job.id }, token);
    expect(retried.retryJob).toMatchObject({ __typename: "InsufficientBalanceError", balance: 0, cost: 1 });
    expect(await balanceOf(token)).toBe(0);
    const [row] = await env.sql<{ status: string }[]>`select status from jobs where id = ${first.job.id}`;
    expect(row!.status).toBe("CANCELLED");
    expect((await ledgerOfJob(first.job.id)).map((e) => e.kind)).toEqual(["charge", "refund"]);
  });

  it("cancelJob and retryJob of an unknown id", async () => {
    const token = await tokenFor("canceller");
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-uuid"]) {
      const cancel = await gqlData(app.url, cancelJobMutation, { id }, token);
      expect(cancel.cancelJob.__typename).toBe("NotFoundError");
      const retry = await gqlData(app.url, retryJobMutation, { id }, token);
      expect(retry.retryJob).toEqual({ __typename: "NotFoundError", message: "job not found" });
    }
  });

  it("every user's balance equals their ledger sum", async () => {
    for (const row of await ledgerReport(env.sql)) expect(row.balance, row.subject).toBe(row.ledgerSum);
  });
});
