import type { HttpClient } from "./http-client.js";

interface SubmitAnswer {
  data?: { submitJob: { __typename: string; job?: { id: string; seq: number } } };
  errors?: unknown[];
}

interface SubmitManyAnswer {
  data?: { submitJobs: { __typename: string; job?: { id: string; seq: number } }[] };
  errors?: unknown[];
}

const submitQuery = `mutation Submit($input: SubmitJobInput!) {
  submitJob(input: $input) { __typename ... on SubmitJobSuccess { job { id seq } } }
}`;

const submitManyQuery = `mutation SubmitMany($inputs: [SubmitJobInput!]!) {
  submitJobs(inputs: $inputs) { __typename ... on SubmitJobSuccess { job { id seq } } }
}`;

/** The request body of a demo.simulate submit, built once and reused. */
export const submitBody = (params: Record<string, unknown>) => JSON.stringify({ query: submitQuery, variables: { input: { type: "demo.simulate", params } } });

/** The request body of a submitJobs of `count` demo.simulate inputs with the same params, built once and reused. */
export const submitManyBody = (params: Record<string, unknown>, count: number) =>
  JSON.stringify({ query: submitManyQuery, variables: { inputs: Array.from({ length: count }, () => ({ type: "demo.simulate", params })) } });

/** Submits over HTTP; anything but SubmitJobSuccess is an error (the bench sets limits that never refuse). */
export async function submitJob(client: HttpClient, body: string, token: string): Promise<{ id: string; seq: number }> {
  const answer = await client.postJson<SubmitAnswer>(body, token);
  const result = answer.data?.submitJob;
  if (result?.__typename !== "SubmitJobSuccess" || !result.job) throw new Error(`submitJob answered ${JSON.stringify(answer).slice(0, 300)}`);
  return result.job;
}

/** submitJobs over HTTP: `count` results, every one a SubmitJobSuccess, or an error. */
export async function submitJobs(client: HttpClient, body: string, token: string, count: number): Promise<{ id: string; seq: number }[]> {
  const answer = await client.postJson<SubmitManyAnswer>(body, token);
  const results = answer.data?.submitJobs;
  const refused = results?.find((result) => result.__typename !== "SubmitJobSuccess" || !result.job);
  if (!results || results.length !== count || refused) {
    throw new Error(`submitJobs of ${count} answered ${JSON.stringify(refused ?? answer).slice(0, 300)}${results ? ` (${results.length} results)` : ""}`);
  }
  return results.map((result) => result.job!);
}
