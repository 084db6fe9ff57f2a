export const submitJobMutation = /* GraphQL */ `
  mutation Submit($input: SubmitJobInput!) {
    submitJob(input: $input) {
      __typename
      ... on SubmitJobSuccess { balance job { id status seq cost } }
      ... on InsufficientBalanceError { message balance cost }
      ... on ValidationError { message issues { path message } }
    }
  }
`;

export const jobUpdatedSubscription = /* GraphQL */ `
  subscription Follow($id: ID!) {
    jobUpdated(id: $id) { id status progress progressMessage attempts result seq error { message code attempt } }
  }
`;

export const jobEventsSubscription = /* GraphQL */ `
  subscription Events($id: ID!, $after: Int) {
    jobEvents(id: $id, after: $after) { jobId seq status progress message }
  }
`;

export const jobQuery = /* GraphQL */ `
  query Job($id: ID!) {
    job(id: $id) { id status progress attempts maxAttempts result cost seq error { message code attempt } events(first: 1000) { seq status progress message } }
  }
`;
