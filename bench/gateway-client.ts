import type { HttpClient } from "./http-client.js";

interface SubmitAnswer {
  data?: { submitJob: { __typename: string; job?: { id: string; seq: number } } };
  errors?: unknown[];
}

const submitQuery = `mutation Submit($input: SubmitJobInput!) {
  submitJob(input: $input) { __typename ... on SubmitJobSuccess { job { id seq } } }
}`;

/** The request body of a demo.simulate submit, built once and reused. */
export const submitBody = (params: Record<string, unknown>) => JSON.stringify({ query: submitQuery, variables: { input: { type: "demo.simulate", params } } });

/** Submits over HTTP; anything but SubmitJobSuccess is an error (the bench sets limits that never refuse). */
export async function submitJob(client: HttpClient, body: string, token: string): Promise<{ id: string; seq: number }> {
  const answer = await client.postJson<SubmitAnswer>(body, token);
  const result = answer.data?.submitJob;
  if (result?.__typename !== "SubmitJobSuccess" || !result.job) throw new Error(`submitJob answered ${JSON.stringify(answer).slice(0, 300)}`);
  return result.job;
}
