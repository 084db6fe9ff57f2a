import { describe, expect, it } from "vitest";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { statusRank } from "./helpers/job-status.js";
import { collectOverSse, collectOverWebSocket, gqlData } from "./helpers/graphql-client.js";
import { grant, ledgerReport } from "./helpers/ledger.js";
import { jobUpdatedSubscription, submitJobMutation } from "./helpers/queries.js";
import { tokenFor, useTestApp } from "./helpers/test-app.js";

const t = useTestApp();

const transports = { "graphql-ws": collectOverWebSocket, SSE: collectOverSse };

describe.each(Object.entries(transports))("jobUpdated over %s", (transport, collect) => {
  it("sends the snapshot first, moves only forward, ends at SUCCEEDED with the result, and charges once", async () => {
    const subject = `happy-${transport}`;
    await grant(t.env.sql, subject, 5);
    const token = await tokenFor(subject);
    const submitted = await gqlData(
      t.app.url,
      submitJobMutation,
      { input: { type: "demo.simulate", params: { steps: 5, stepMs: 40, result: { story: "done" } } } },
      token,
    );
    expect(submitted.submitJob.__typename).toBe("SubmitJobSuccess");
    expect(submitted.submitJob.balance).toBe(4);
    const jobId = submitted.submitJob.job.id;

    const payloads = await collect(t.app.url, token, jobUpdatedSubscription, { id: jobId });
    const updates = payloads.map((p) => {
      expect(p.errors).toBeUndefined();
      return p.data!.jobUpdated;
    });

    expect(updates.length).toBeGreaterThanOrEqual(2);
    expect(updates[0].id).toBe(jobId);
    for (let i = 1; i < updates.length; i++) {
      expect(updates[i].seq).toBeGreaterThan(updates[i - 1].seq);
      expect(statusRank(updates[i].status)).toBeGreaterThanOrEqual(statusRank(updates[i - 1].status));
      expect(updates[i].progress).toBeGreaterThanOrEqual(updates[i - 1].progress);
    }
    const last = updates.at(-1);
    expect(last.status).toBe("SUCCEEDED");
    expect(last.progress).toBe(1);
    expect(last.result).toEqual({ story: "done" });

    const me = await gqlData(t.app.url, "{ me { balance } }", {}, token);
    expect(me.me.balance).toBe(4);
    const report = (await ledgerReport(t.env.sql)).find((r) => r.subject === subject)!;
    expect(report).toMatchObject({ balance: 4, ledgerSum: 4, charged: 1, succeededCost: 1 });
  });
});

it("a subscription that does not parse gets a GraphQL error and the socket keeps serving the others", async () => {
  await grant(t.env.sql, "syntax", 1);
  const token = await tokenFor("syntax");
  const client = createClient({
    url: t.app.url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  try {
    const broken = client.iterate({ query: "subscription { jobUpdated(id: " });
    await expect(broken.next()).rejects.toSatisfy((errors: unknown) => Array.isArray(errors) && /Syntax Error/.test(String((errors[0] as Error).message)));

    const submitted = await gqlData(t.app.url, submitJobMutation, { input: { type: "demo.simulate", params: {} } }, token);
    const statuses: string[] = [];
    for await (const payload of client.iterate({ query: jobUpdatedSubscription, variables: { id: submitted.submitJob.job.id } })) {
      statuses.push((payload.data as { jobUpdated: { status: string } }).jobUpdated.status);
    }
    expect(statuses.at(-1)).toBe("SUCCEEDED");
  } finally {
    await client.dispose();
  }
});
