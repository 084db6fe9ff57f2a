import { afterAll, beforeAll, expect, it } from "vitest";
import { createKnownUsers } from "../src/auth/known-users.js";
import { noJobHints } from "../src/events/job-hints.js";
import { builtinJobTypes } from "../src/jobs/builtin.js";
import { makeJobTypeRegistry } from "../src/jobs/index.js";
import { createMetrics } from "../src/observability/metrics.js";
import { cancelJob } from "../src/use-cases/cancel-job.js";
import type { Caller, JobCommandDeps } from "../src/use-cases/job-commands.js";
import { retryJob } from "../src/use-cases/retry-job.js";
import { submitJob } from "../src/use-cases/submit-job.js";
import { noWebhooks } from "../src/webhooks/routing.js";
import { grant, ledgerReport } from "./helpers/ledger.js";
import { createTestEnvironment, type TestEnvironment } from "./helpers/test-app.js";

// The use cases without GraphQL, a gateway or a broker: what a CLI or another transport would call.
let env: TestEnvironment;
let deps: JobCommandDeps;
let caller: Caller;
const dispatched: string[] = [];

beforeAll(async () => {
  env = await createTestEnvironment();
  const config = env.config();
  deps = {
    db: env.db,
    hints: noJobHints,
    webhooks: noWebhooks,
    registry: makeJobTypeRegistry(builtinJobTypes),
    limits: config.limits,
    metrics: createMetrics(),
    dispatchJob: (job) => dispatched.push(job.id),
  };
  const user = await createKnownUsers(env.db, 0)({ subject: "direct", email: null, role: "user" });
  caller = { userId: user.id, isAdmin: false };
  await grant(env.sql, "direct", 1);
});
afterAll(async () => {
  await env?.teardown();
});

it("submit charges, records and dispatches; an invalid submit and a refused one write nothing; cancel refunds; retry charges again", async () => {
  const invalid = await submitJob(deps, caller, { type: "demo.simulate", params: { steps: -1 } });
  expect(invalid).toMatchObject({ kind: "invalid", issues: [{ path: ["input", "params", "steps"] }] });

  const submitted = await submitJob(deps, caller, { type: "demo.simulate", params: {} });
  expect(submitted).toMatchObject({ kind: "submitted", created: true, balance: 0, job: { status: "QUEUED" } });
  const job = submitted.kind === "submitted" ? submitted.job : null;
  expect(dispatched).toEqual([job!.id]);

  expect(await submitJob(deps, caller, { type: "demo.simulate", params: {} })).toMatchObject({ kind: "refused", refusal: { kind: "insufficient-balance" } });
  expect(await cancelJob(deps, { userId: "00000000-0000-0000-0000-000000000000", isAdmin: false }, job!.id)).toEqual({ kind: "not-found" });
  expect(await cancelJob(deps, caller, job!.id)).toMatchObject({ kind: "cancelled", balance: 1 });
  expect(await retryJob(deps, caller, job!.id)).toMatchObject({ kind: "queued", balance: 0 });
  expect(dispatched).toEqual([job!.id, job!.id]);

  const ledger = await ledgerReport(env.sql);
  expect(ledger.map((row) => [row.subject, row.balance, row.ledgerSum])).toEqual([["direct", 0, 0]]);
});
