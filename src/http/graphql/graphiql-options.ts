import type { GraphiQLOptions } from "graphql-yoga";
import type { DevTokenIssuer } from "../routes/dev-token-route.js";

/** Who GraphiQL's prefilled development token names: an admin, so every example runs. */
export const graphiqlDeveloper = "developer";

/**
 * GraphiQL's starting document: one named operation per thing a client does.
 * Kept valid against schema.graphql by test/unit/graphiql-options.test.ts.
 */
export const exampleOperations = /* GraphQL */ `# Example operations: put the cursor in one and press
# Ctrl-Enter, or pick one from the run button.
# Headers (below): with development sign-in on, a fresh
# token for "developer", an admin; elsewhere paste one
# from \`npm run token -- --sub alice\`.
# Variables: {"id": "<a job id from SubmitJob>"} for
# FollowJob, JobEvents and CancelJob;
# {"userId": "<an id from FindUsers>"} for GrantCredits.

query Me {
  me { id subject email role balance }
}

query JobTypes {
  jobTypes {
    name description cost maxAttempts timeoutMs
    paramsSchema
  }
}

mutation SubmitJob {
  submitJob(input: {
    type: "slides.generate"
    params: { topic: "Volcanoes", slideCount: 6 }
  }) {
    __typename
    ... on SubmitJobSuccess {
      balance
      job { id status queuePosition estimatedStartAt }
    }
    ... on InsufficientBalanceError { message balance cost }
    ... on ValidationError { message issues { path message } }
    ... on RateLimitedError { message retryAfterMs }
  }
}

query MyJobs {
  jobs(first: 10) {
    edges {
      node {
        id type status progress progressMessage
        queuePosition createdAt finishedAt
        result error { message }
        owner { subject }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}

subscription FollowJob($id: ID!) {
  jobUpdated(id: $id) {
    id status progress progressMessage
    queuePosition estimatedStartAt
    result error { message attempt }
  }
}

# The job's event log after seq \`after\`, then live:
# resume from the last seq you saw.
subscription JobEvents($id: ID!, $after: Int = 0) {
  jobEvents(id: $id, after: $after) {
    seq at status progress message
  }
}

mutation CancelJob($id: ID!) {
  cancelJob(id: $id) {
    __typename
    ... on CancelJobSuccess { balance job { id status } }
    ... on Error { message }
  }
}

# Admin only: the backlog per job type.
query QueueStats {
  queueStats {
    type queued running retrying ready consumers deadLettered
  }
}

# Admin only: find users by subject or email, then give
# one credits.
query FindUsers {
  users(search: "a", first: 10) {
    id subject email role balance
  }
}

mutation GrantCredits($userId: ID!) {
  grantCredits(userId: $userId, amount: 50, reason: "welcome") {
    subject balance
  }
}
`;

const title = "Job gateway";
const headersWith = (authorization: string) => JSON.stringify({ Authorization: authorization }, null, 2);

/**
 * yoga's `graphiql` option. Production: none. Development sign-in on (a token
 * issuer exists: development on the published secret): each page load carries
 * a fresh admin token in the Authorization header. Elsewhere, including
 * development with a JWT_SECRET of its own: a placeholder saying where a token comes from.
 */
export function graphiqlOptions(settings: {
  production: boolean;
  devTokens: DevTokenIssuer | null;
}): false | GraphiQLOptions | (() => Promise<GraphiQLOptions>) {
  if (settings.production) return false;
  const base: GraphiQLOptions = { title, defaultQuery: exampleOperations };
  const issuer = settings.devTokens;
  if (issuer === null) {
    const headers = headersWith("Bearer <npm run token -- --sub alice>");
    return { ...base, headers, defaultHeaders: headers };
  }
  return async () => {
    const headers = headersWith(`Bearer ${await issuer.sign(graphiqlDeveloper, { admin: true })}`);
    return { ...base, headers, defaultHeaders: headers };
  };
}
