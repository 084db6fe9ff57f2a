import { expect, it } from "vitest";
import { gqlData } from "./helpers/graphql-client.js";
import { grant, ledgerReport } from "./helpers/ledger.js";
import { waitFor } from "./helpers/processes.js";
import { jobQuery, submitJobMutation } from "./helpers/queries.js";
import { tokenFor, useTestApp } from "./helpers/test-app.js";

const t = useTestApp();

const retryJobMutation = /* GraphQL */ `
  mutation Retry($id: ID!) {
    retryJob(id: $id) {
      __typename
      ... on SubmitJobSuccess { balance job { id status attempts } }
      ... on InvalidJobStateError { message status }
    }
  }
`;

const cancelJobMutation = /* GraphQL */ `
  mutation Cancel($id: ID!) {
    cancelJob(id: $id) { __typename ... on InvalidJobStateError { status } }
  }
`;

it("retryJob runs a FAILED job again as the same job, charged again, with attempt numbers that go on", async () => {
  await grant(t.env.sql, "retry-job", 2);
  const token = await tokenFor("retry-job");
  // Fails its first 4 attempts: the first run (3 attempts) fails, the second run succeeds on attempt 5.
  const submitted = await gqlData(t.app.url, submitJobMutation, { input: { type: "demo.simulate", params: { failTimes: 4, result: "second run" } } }, token);
  const id = submitted.submitJob.job.id;
  const status = async () => (await gqlData(t.app.url, jobQuery, { id }, token)).job;
  await waitFor(async () => ((await status()).status === "FAILED" ? true : undefined));

  const retried = await gqlData(t.app.url, retryJobMutation, { id }, token);
  expect(retried.retryJob).toMatchObject({ __typename: "SubmitJobSuccess", balance: 1, job: { id, status: "QUEUED", attempts: 3 } });
  const job = await waitFor(async () => {
    const current = await status();
    return ["SUCCEEDED", "FAILED"].includes(current.status) ? current : undefined;
  });
  expect(job).toMatchObject({ status: "SUCCEEDED", attempts: 5, maxAttempts: 6, result: "second run" });

  // A SUCCEEDED job is not retried (nor cancelled): both answer InvalidJobStateError with its status, and charge nothing.
  const again = await gqlData(t.app.url, retryJobMutation, { id }, token);
  expect(again.retryJob).toEqual({
    __typename: "InvalidJobStateError",
    message: "only FAILED or CANCELLED jobs can be retried; this one is SUCCEEDED",
    status: "SUCCEEDED",
  });
  const cancel = await gqlData(t.app.url, cancelJobMutation, { id }, token);
  expect(cancel.cancelJob).toEqual({ __typename: "InvalidJobStateError", status: "SUCCEEDED" });

  // Charged twice, refunded once (the failed first run): pays exactly for the run that succeeded.
  const report = (await ledgerReport(t.env.sql)).find((r) => r.subject === "retry-job")!;
  expect(report).toMatchObject({ balance: 1, ledgerSum: 1, charged: 1, succeededCost: 1 });
});
