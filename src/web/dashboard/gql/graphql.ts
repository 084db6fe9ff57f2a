/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** QUEUED → RUNNING → SUCCEEDED | RETRYING → RUNNING … | FAILED; QUEUED/RETRYING/RUNNING → CANCELLED. */
export type JobStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'RETRYING'
  | 'RUNNING'
  | 'SUCCEEDED';

/** Which per-user limit a request ran into. */
export type RateLimit =
  /** Submits per second (SUBMIT_BURST, SUBMIT_RATE_PER_SECOND): a token comes back after retryAfterMs. */
  | 'SUBMIT_RATE'
  /** Jobs QUEUED, RUNNING or RETRYING at once (MAX_UNFINISHED_JOBS): wait for one to finish. */
  | 'UNFINISHED_JOBS';

export type Role =
  | 'ADMIN'
  | 'USER';

export type SubmitJobInput = {
  /** Submitting again with the same key, type and params returns the first job, charged once; the same key with another type or params is a ValidationError. */
  idempotencyKey?: string | null | undefined;
  /** Checked against the type's `paramsSchema`. */
  params: unknown;
  /** 0 (lowest) to the type's `maxUserPriority` (9 for admins); the type's default when omitted. */
  priority?: number | null | undefined;
  /** A name from `jobTypes`. */
  type: string;
};

export type AdminUserFieldsFragment = { id: string, subject: string, email: string | null, role: Role, balance: number };

export type DashboardUsersQueryVariables = Exact<{
  search?: string | null | undefined;
  first?: number | null | undefined;
}>;


export type DashboardUsersQuery = { users: Array<{ id: string, subject: string, email: string | null, role: Role, balance: number }> };

export type DashboardGrantCreditsMutationVariables = Exact<{
  userId: string | number;
  amount: number;
  reason?: string | null | undefined;
}>;


export type DashboardGrantCreditsMutation = { grantCredits: { id: string, subject: string, email: string | null, role: Role, balance: number } };

export type JobFieldsFragment = { id: string, type: string, status: JobStatus, priority: number, params: unknown, progress: number, progressMessage: string | null, attempts: number, maxAttempts: number, cost: number, result: unknown, seq: number, queuePosition: number | null, estimatedStartAt: string | null, nextAttemptAt: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, updatedAt: string, error: { message: string, code: string | null, attempt: number } | null, owner: { subject: string } };

export type DashboardMeQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardMeQuery = { me: { id: string, subject: string, email: string | null, role: Role, balance: number } };

export type DashboardJobTypesQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardJobTypesQuery = { jobTypes: Array<{ name: string, description: string, cost: number, defaultPriority: number, maxUserPriority: number, paramsSchema: unknown }> };

export type DashboardJobsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  status?: Array<JobStatus> | JobStatus | null | undefined;
}>;


export type DashboardJobsQuery = { jobs: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, type: string, status: JobStatus, priority: number, params: unknown, progress: number, progressMessage: string | null, attempts: number, maxAttempts: number, cost: number, result: unknown, seq: number, queuePosition: number | null, estimatedStartAt: string | null, nextAttemptAt: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, updatedAt: string, error: { message: string, code: string | null, attempt: number } | null, owner: { subject: string } } }> } };

export type DashboardJobQueryVariables = Exact<{
  id: string | number;
}>;


export type DashboardJobQuery = { job: { id: string, type: string, status: JobStatus, priority: number, params: unknown, progress: number, progressMessage: string | null, attempts: number, maxAttempts: number, cost: number, result: unknown, seq: number, queuePosition: number | null, estimatedStartAt: string | null, nextAttemptAt: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, updatedAt: string, error: { message: string, code: string | null, attempt: number } | null, owner: { subject: string } } | null };

export type DashboardSubmitJobMutationVariables = Exact<{
  input: SubmitJobInput;
}>;


export type DashboardSubmitJobMutation = { submitJob:
    | { __typename: 'InsufficientBalanceError', message: string, balance: number, cost: number }
    | { __typename: 'RateLimitedError', message: string, retryAfterMs: number, limit: RateLimit }
    | { __typename: 'SubmitJobSuccess', balance: number, job: { id: string, type: string, status: JobStatus, priority: number, params: unknown, progress: number, progressMessage: string | null, attempts: number, maxAttempts: number, cost: number, result: unknown, seq: number, queuePosition: number | null, estimatedStartAt: string | null, nextAttemptAt: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, updatedAt: string, error: { message: string, code: string | null, attempt: number } | null, owner: { subject: string } } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, message: string }> }
   };

export type DashboardCancelJobMutationVariables = Exact<{
  id: string | number;
}>;


export type DashboardCancelJobMutation = { cancelJob:
    | { __typename: 'CancelJobSuccess', balance: number, job: { id: string, type: string, status: JobStatus, priority: number, params: unknown, progress: number, progressMessage: string | null, attempts: number, maxAttempts: number, cost: number, result: unknown, seq: number, queuePosition: number | null, estimatedStartAt: string | null, nextAttemptAt: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, updatedAt: string, error: { message: string, code: string | null, attempt: number } | null, owner: { subject: string } } }
    | { __typename: 'InvalidJobStateError', message: string }
    | { __typename: 'NotFoundError', message: string }
   };

export type DashboardRetryJobMutationVariables = Exact<{
  id: string | number;
}>;


export type DashboardRetryJobMutation = { retryJob:
    | { __typename: 'InsufficientBalanceError', balance: number, cost: number, message: string }
    | { __typename: 'InvalidJobStateError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'RateLimitedError', retryAfterMs: number, message: string }
    | { __typename: 'SubmitJobSuccess', balance: number, job: { id: string, type: string, status: JobStatus, priority: number, params: unknown, progress: number, progressMessage: string | null, attempts: number, maxAttempts: number, cost: number, result: unknown, seq: number, queuePosition: number | null, estimatedStartAt: string | null, nextAttemptAt: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, updatedAt: string, error: { message: string, code: string | null, attempt: number } | null, owner: { subject: string } } }
    | { __typename: 'ValidationError', message: string }
   };

export type DashboardMyJobUpdatedSubscriptionVariables = Exact<{
  includeCurrent?: boolean | null | undefined;
}>;


export type DashboardMyJobUpdatedSubscription = { myJobUpdated: { id: string, type: string, status: JobStatus, priority: number, params: unknown, progress: number, progressMessage: string | null, attempts: number, maxAttempts: number, cost: number, result: unknown, seq: number, queuePosition: number | null, estimatedStartAt: string | null, nextAttemptAt: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, updatedAt: string, error: { message: string, code: string | null, attempt: number } | null, owner: { subject: string } } };

export type DashboardJobUpdatedSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type DashboardJobUpdatedSubscription = { jobUpdated: { id: string, type: string, status: JobStatus, priority: number, params: unknown, progress: number, progressMessage: string | null, attempts: number, maxAttempts: number, cost: number, result: unknown, seq: number, queuePosition: number | null, estimatedStartAt: string | null, nextAttemptAt: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, updatedAt: string, error: { message: string, code: string | null, attempt: number } | null, owner: { subject: string } } };

export type DashboardJobEventsSubscriptionVariables = Exact<{
  id: string | number;
  after?: number | null | undefined;
}>;


export type DashboardJobEventsSubscription = { jobEvents: { seq: number, at: string, status: JobStatus, progress: number, message: string | null } };

export type DashboardQueueStatsQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardQueueStatsQuery = { queueStats: Array<{ type: string, queued: number, running: number, retrying: number, ready: number | null, consumers: number | null, deadLettered: number | null, paused: boolean, concurrency: number, defaultConcurrency: number }> };

export type DashboardDeadLettersQueryVariables = Exact<{
  type: string;
  first?: number | null | undefined;
}>;


export type DashboardDeadLettersQuery = { deadLetters: Array<{ jobId: string | null, reason: string | null, body: string }> };

export type DashboardRedriveDeadLettersMutationVariables = Exact<{
  type: string;
}>;


export type DashboardRedriveDeadLettersMutation = { redriveDeadLetters: number };

export type JobTypeSettingsFieldsFragment = { type: string, paused: boolean, concurrency: number, defaultConcurrency: number };

export type DashboardPauseJobTypeMutationVariables = Exact<{
  type: string;
}>;


export type DashboardPauseJobTypeMutation = { pauseJobType: { type: string, paused: boolean, concurrency: number, defaultConcurrency: number } };

export type DashboardResumeJobTypeMutationVariables = Exact<{
  type: string;
}>;


export type DashboardResumeJobTypeMutation = { resumeJobType: { type: string, paused: boolean, concurrency: number, defaultConcurrency: number } };

export type DashboardSetJobTypeConcurrencyMutationVariables = Exact<{
  type: string;
  concurrency?: number | null | undefined;
}>;


export type DashboardSetJobTypeConcurrencyMutation = { setJobTypeConcurrency: { type: string, paused: boolean, concurrency: number, defaultConcurrency: number } };

export type DashboardPurgeJobTypeMutationVariables = Exact<{
  type: string;
}>;


export type DashboardPurgeJobTypeMutation = { purgeJobType: number };

export type DashboardJobArtifactsQueryVariables = Exact<{
  id: string | number;
  expiresInSeconds?: number | null | undefined;
}>;


export type DashboardJobArtifactsQuery = { job: { id: string, artifacts: Array<{ id: string, name: string, contentType: string, size: number, url: string, createdAt: string, expiresAt: string | null }> } | null };

export type DashboardJobOutputSubscriptionVariables = Exact<{
  id: string | number;
  offset?: number | null | undefined;
  attempt?: number | null | undefined;
}>;


export type DashboardJobOutputSubscription = { jobOutput: { attempt: number, offset: number, text: string } };

export type DashboardUploadsQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type DashboardUploadsQuery = { uploads: Array<{ id: string, name: string, size: number, contentType: string, createdAt: string }> };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const AdminUserFieldsFragmentDoc = new TypedDocumentString(`
    fragment AdminUserFields on User {
  id
  subject
  email
  role
  balance
}
    `, {"fragmentName":"AdminUserFields"}) as unknown as TypedDocumentString<AdminUserFieldsFragment, unknown>;
export const JobFieldsFragmentDoc = new TypedDocumentString(`
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
    `, {"fragmentName":"JobFields"}) as unknown as TypedDocumentString<JobFieldsFragment, unknown>;
export const JobTypeSettingsFieldsFragmentDoc = new TypedDocumentString(`
    fragment JobTypeSettingsFields on JobTypeSettings {
  type
  paused
  concurrency
  defaultConcurrency
}
    `, {"fragmentName":"JobTypeSettingsFields"}) as unknown as TypedDocumentString<JobTypeSettingsFieldsFragment, unknown>;
export const DashboardUsersDocument = new TypedDocumentString(`
    query DashboardUsers($search: String, $first: Int) {
  users(search: $search, first: $first) {
    ...AdminUserFields
  }
}
    fragment AdminUserFields on User {
  id
  subject
  email
  role
  balance
}`) as unknown as TypedDocumentString<DashboardUsersQuery, DashboardUsersQueryVariables>;
export const DashboardGrantCreditsDocument = new TypedDocumentString(`
    mutation DashboardGrantCredits($userId: ID!, $amount: Int!, $reason: String) {
  grantCredits(userId: $userId, amount: $amount, reason: $reason) {
    ...AdminUserFields
  }
}
    fragment AdminUserFields on User {
  id
  subject
  email
  role
  balance
}`) as unknown as TypedDocumentString<DashboardGrantCreditsMutation, DashboardGrantCreditsMutationVariables>;
export const DashboardMeDocument = new TypedDocumentString(`
    query DashboardMe {
  me {
    id
    subject
    email
    role
    balance
  }
}
    `) as unknown as TypedDocumentString<DashboardMeQuery, DashboardMeQueryVariables>;
export const DashboardJobTypesDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<DashboardJobTypesQuery, DashboardJobTypesQueryVariables>;
export const DashboardJobsDocument = new TypedDocumentString(`
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
}`) as unknown as TypedDocumentString<DashboardJobsQuery, DashboardJobsQueryVariables>;
export const DashboardJobDocument = new TypedDocumentString(`
    query DashboardJob($id: ID!) {
  job(id: $id) {
    ...JobFields
  }
}
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
}`) as unknown as TypedDocumentString<DashboardJobQuery, DashboardJobQueryVariables>;
export const DashboardSubmitJobDocument = new TypedDocumentString(`
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
}`) as unknown as TypedDocumentString<DashboardSubmitJobMutation, DashboardSubmitJobMutationVariables>;
export const DashboardCancelJobDocument = new TypedDocumentString(`
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
}`) as unknown as TypedDocumentString<DashboardCancelJobMutation, DashboardCancelJobMutationVariables>;
export const DashboardRetryJobDocument = new TypedDocumentString(`
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
}`) as unknown as TypedDocumentString<DashboardRetryJobMutation, DashboardRetryJobMutationVariables>;
export const DashboardMyJobUpdatedDocument = new TypedDocumentString(`
    subscription DashboardMyJobUpdated($includeCurrent: Boolean) {
  myJobUpdated(includeCurrent: $includeCurrent) {
    ...JobFields
  }
}
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
}`) as unknown as TypedDocumentString<DashboardMyJobUpdatedSubscription, DashboardMyJobUpdatedSubscriptionVariables>;
export const DashboardJobUpdatedDocument = new TypedDocumentString(`
    subscription DashboardJobUpdated($id: ID!) {
  jobUpdated(id: $id) {
    ...JobFields
  }
}
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
}`) as unknown as TypedDocumentString<DashboardJobUpdatedSubscription, DashboardJobUpdatedSubscriptionVariables>;
export const DashboardJobEventsDocument = new TypedDocumentString(`
    subscription DashboardJobEvents($id: ID!, $after: Int) {
  jobEvents(id: $id, after: $after) {
    seq
    at
    status
    progress
    message
  }
}
    `) as unknown as TypedDocumentString<DashboardJobEventsSubscription, DashboardJobEventsSubscriptionVariables>;
export const DashboardQueueStatsDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<DashboardQueueStatsQuery, DashboardQueueStatsQueryVariables>;
export const DashboardDeadLettersDocument = new TypedDocumentString(`
    query DashboardDeadLetters($type: String!, $first: Int) {
  deadLetters(type: $type, first: $first) {
    jobId
    reason
    body
  }
}
    `) as unknown as TypedDocumentString<DashboardDeadLettersQuery, DashboardDeadLettersQueryVariables>;
export const DashboardRedriveDeadLettersDocument = new TypedDocumentString(`
    mutation DashboardRedriveDeadLetters($type: String!) {
  redriveDeadLetters(type: $type)
}
    `) as unknown as TypedDocumentString<DashboardRedriveDeadLettersMutation, DashboardRedriveDeadLettersMutationVariables>;
export const DashboardPauseJobTypeDocument = new TypedDocumentString(`
    mutation DashboardPauseJobType($type: String!) {
  pauseJobType(type: $type) {
    ...JobTypeSettingsFields
  }
}
    fragment JobTypeSettingsFields on JobTypeSettings {
  type
  paused
  concurrency
  defaultConcurrency
}`) as unknown as TypedDocumentString<DashboardPauseJobTypeMutation, DashboardPauseJobTypeMutationVariables>;
export const DashboardResumeJobTypeDocument = new TypedDocumentString(`
    mutation DashboardResumeJobType($type: String!) {
  resumeJobType(type: $type) {
    ...JobTypeSettingsFields
  }
}
    fragment JobTypeSettingsFields on JobTypeSettings {
  type
  paused
  concurrency
  defaultConcurrency
}`) as unknown as TypedDocumentString<DashboardResumeJobTypeMutation, DashboardResumeJobTypeMutationVariables>;
export const DashboardSetJobTypeConcurrencyDocument = new TypedDocumentString(`
    mutation DashboardSetJobTypeConcurrency($type: String!, $concurrency: Int) {
  setJobTypeConcurrency(type: $type, concurrency: $concurrency) {
    ...JobTypeSettingsFields
  }
}
    fragment JobTypeSettingsFields on JobTypeSettings {
  type
  paused
  concurrency
  defaultConcurrency
}`) as unknown as TypedDocumentString<DashboardSetJobTypeConcurrencyMutation, DashboardSetJobTypeConcurrencyMutationVariables>;
export const DashboardPurgeJobTypeDocument = new TypedDocumentString(`
    mutation DashboardPurgeJobType($type: String!) {
  purgeJobType(type: $type)
}
    `) as unknown as TypedDocumentString<DashboardPurgeJobTypeMutation, DashboardPurgeJobTypeMutationVariables>;
export const DashboardJobArtifactsDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<DashboardJobArtifactsQuery, DashboardJobArtifactsQueryVariables>;
export const DashboardJobOutputDocument = new TypedDocumentString(`
    subscription DashboardJobOutput($id: ID!, $offset: Int, $attempt: Int) {
  jobOutput(id: $id, offset: $offset, attempt: $attempt) {
    attempt
    offset
    text
  }
}
    `) as unknown as TypedDocumentString<DashboardJobOutputSubscription, DashboardJobOutputSubscriptionVariables>;
export const DashboardUploadsDocument = new TypedDocumentString(`
    query DashboardUploads($first: Int) {
  uploads(first: $first) {
    id
    name
    size
    contentType
    createdAt
  }
}
    `) as unknown as TypedDocumentString<DashboardUploadsQuery, DashboardUploadsQueryVariables>;