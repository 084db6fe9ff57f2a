import { graphql } from "./gql/index.js";

// The operations this client sends. `npm run codegen` reads them and writes
// their result and variable types to ./gql/: edit here, then regenerate.

export const SubmitJob = graphql(`
  mutation SubmitJob($input: SubmitJobInput!) {
    submitJob(input: $input) {
      __typename
      ... on SubmitJobSuccess {
        balance
        job { id status }
      }
      ... on InsufficientBalanceError { message balance cost }
      ... on ValidationError { message issues { path message } }
      ... on RateLimitedError { message retryAfterMs }
    }
  }
`);

export const JobEvents = graphql(`
  subscription JobEvents($id: ID!, $after: Int!) {
    jobEvents(id: $id, after: $after) { seq at status progress message }
  }
`);

export const FinishedJob = graphql(`
  query FinishedJob($id: ID!) {
    job(id: $id) {
      id
      status
      result
      error { message code attempt }
    }
  }
`);
