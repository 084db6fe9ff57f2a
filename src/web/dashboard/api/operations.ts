import { graphql } from "../gql/index.js";

// Every operation the dashboard sends; `npm run codegen` types them (src/web/dashboard/gql/).

export const JobFields = graphql(`
  fragment JobFields on Job {
    id
    type
    status
    priority
    params
    progress
    progressMessage
    attempts
    maxAttempts
    cost
    result
    error {
      message
      code
      attempt
    }
    seq
    queuePosition
    estimatedStartAt
    nextAttemptAt
    createdAt
    startedAt
    finishedAt
    updatedAt
    owner {
      subject
    }
  }
`);

export const MeQuery = graphql(`
  query DashboardMe {
    me {
      id
      subject
      email
      role
      balance
    }
  }
`);

export const JobTypesQuery = graphql(`
  query DashboardJobTypes {
    jobTypes {
      name
      description
      cost
      defaultPriority
      maxUserPriority
      paramsSchema
    }
  }
`);

export const JobsQuery = graphql(`
  query DashboardJobs($first: Int, $after: String, $status: [JobStatus!]) {
    jobs(first: $first, after: $after, status: $status) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...JobFields
        }
      }
    }
  }
`);

export const JobQuery = graphql(`
  query DashboardJob($id: ID!) {
    job(id: $id) {
      ...JobFields
    }
  }
`);

export const SubmitJobMutation = graphql(`
  mutation DashboardSubmitJob($input: SubmitJobInput!) {
    submitJob(input: $input) {
      __typename
      ... on SubmitJobSuccess {
        balance
        job {
          ...JobFields
        }
      }
      ... on ValidationError {
        message
        issues {
          path
          message
        }
      }
      ... on InsufficientBalanceError {
        message
        balance
        cost
      }
      ... on RateLimitedError {
        message
        retryAfterMs
        limit
      }
    }
  }
`);

export const CancelJobMutation = graphql(`
  mutation DashboardCancelJob($id: ID!) {
    cancelJob(id: $id) {
      __typename
      ... on CancelJobSuccess {
        balance
        job {
          ...JobFields
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

export const RetryJobMutation = graphql(`
  mutation DashboardRetryJob($id: ID!) {
    retryJob(id: $id) {
      __typename
      ... on SubmitJobSuccess {
        balance
        job {
          ...JobFields
        }
      }
      ... on InsufficientBalanceError {
        balance
        cost
      }
      ... on RateLimitedError {
        retryAfterMs
      }
      ... on Error {
        message
      }
    }
  }
`);

export const MyJobUpdatedSubscription = graphql(`
  subscription DashboardMyJobUpdated($includeCurrent: Boolean) {
    myJobUpdated(includeCurrent: $includeCurrent) {
      ...JobFields
    }
  }
`);

export const JobUpdatedSubscription = graphql(`
  subscription DashboardJobUpdated($id: ID!) {
    jobUpdated(id: $id) {
      ...JobFields
    }
  }
`);

export const JobEventsSubscription = graphql(`
  subscription DashboardJobEvents($id: ID!, $after: Int) {
    jobEvents(id: $id, after: $after) {
      seq
      at
      status
      progress
      message
    }
  }
`);

export const QueueStatsQuery = graphql(`
  query DashboardQueueStats {
    queueStats {
      type
      queued
      running
      retrying
      ready
      consumers
      deadLettered
      paused
      concurrency
      defaultConcurrency
    }
  }
`);

export const DeadLettersQuery = graphql(`
  query DashboardDeadLetters($type: String!, $first: Int) {
    deadLetters(type: $type, first: $first) {
      jobId
      reason
      body
    }
  }
`);

export const RedriveDeadLettersMutation = graphql(`
  mutation DashboardRedriveDeadLetters($type: String!) {
    redriveDeadLetters(type: $type)
  }
`);

export const JobTypeSettingsFields = graphql(`
  fragment JobTypeSettingsFields on JobTypeSettings {
    type
    paused
    concurrency
    defaultConcurrency
  }
`);

export const PauseJobTypeMutation = graphql(`
  mutation DashboardPauseJobType($type: String!) {
    pauseJobType(type: $type) {
      ...JobTypeSettingsFields
    }
  }
`);

export const ResumeJobTypeMutation = graphql(`
  mutation DashboardResumeJobType($type: String!) {
    resumeJobType(type: $type) {
      ...JobTypeSettingsFields
    }
  }
`);

export const SetJobTypeConcurrencyMutation = graphql(`
  mutation DashboardSetJobTypeConcurrency($type: String!, $concurrency: Int) {
    setJobTypeConcurrency(type: $type, concurrency: $concurrency) {
      ...JobTypeSettingsFields
    }
  }
`);

export const PurgeJobTypeMutation = graphql(`
  mutation DashboardPurgeJobType($type: String!) {
    purgeJobType(type: $type)
  }
`);

export const JobArtifactsQuery = graphql(`
  query DashboardJobArtifacts($id: ID!, $expiresInSeconds: Int) {
    job(id: $id) {
      id
      artifacts {
        id
        name
        contentType
        size
        url(expiresInSeconds: $expiresInSeconds)
        createdAt
        expiresAt
      }
    }
  }
`);

export const JobOutputSubscription = graphql(`
  subscription DashboardJobOutput($id: ID!, $offset: Int, $attempt: Int) {
    jobOutput(id: $id, offset: $offset, attempt: $attempt) {
      attempt
      offset
      text
    }
  }
`);

export const UploadsQuery = graphql(`
  query DashboardUploads($first: Int) {
    uploads(first: $first) {
      id
      name
      size
      contentType
      createdAt
    }
  }
`);
