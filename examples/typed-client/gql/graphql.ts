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

export type SubmitJobMutationVariables = Exact<{
  input: SubmitJobInput;
}>;


export type SubmitJobMutation = { submitJob:
    | { __typename: 'InsufficientBalanceError', message: string, balance: number, cost: number }
    | { __typename: 'RateLimitedError', message: string, retryAfterMs: number }
    | { __typename: 'SubmitJobSuccess', balance: number, job: { id: string, status: JobStatus } }
    | { __typename: 'ValidationError', message: string, issues: Array<{ path: Array<string>, message: string }> }
   };

export type JobEventsSubscriptionVariables = Exact<{
  id: string | number;
  after: number;
}>;


export type JobEventsSubscription = { jobEvents: { seq: number, at: string, status: JobStatus, progress: number, message: string | null } };

export type FinishedJobQueryVariables = Exact<{
  id: string | number;
}>;


export type FinishedJobQuery = { job: { id: string, status: JobStatus, result: unknown, error: { message: string, code: string | null, attempt: number } | null } | null };

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

export const SubmitJobDocument = new TypedDocumentString(`
    mutation SubmitJob($input: SubmitJobInput!) {
  submitJob(input: $input) {
    __typename
    ... on SubmitJobSuccess {
      balance
      job {
        id
        status
      }
    }
    ... on InsufficientBalanceError {
      message
      balance
      cost
    }
    ... on ValidationError {
      message
      issues {
        path
        message
      }
    }
    ... on RateLimitedError {
      message
      retryAfterMs
    }
  }
}
    `) as unknown as TypedDocumentString<SubmitJobMutation, SubmitJobMutationVariables>;
export const JobEventsDocument = new TypedDocumentString(`
    subscription JobEvents($id: ID!, $after: Int!) {
  jobEvents(id: $id, after: $after) {
    seq
    at
    status
    progress
    message
  }
}
    `) as unknown as TypedDocumentString<JobEventsSubscription, JobEventsSubscriptionVariables>;
export const FinishedJobDocument = new TypedDocumentString(`
    query FinishedJob($id: ID!) {
  job(id: $id) {
    id
    status
    result
    error {
      message
      code
      attempt
    }
  }
}
    `) as unknown as TypedDocumentString<FinishedJobQuery, FinishedJobQueryVariables>;