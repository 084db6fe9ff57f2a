/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation SubmitJob($input: SubmitJobInput!) {\n    submitJob(input: $input) {\n      __typename\n      ... on SubmitJobSuccess {\n        balance\n        job { id status }\n      }\n      ... on InsufficientBalanceError { message balance cost }\n      ... on ValidationError { message issues { path message } }\n      ... on RateLimitedError { message retryAfterMs }\n    }\n  }\n": typeof types.SubmitJobDocument,
    "\n  subscription JobEvents($id: ID!, $after: Int!) {\n    jobEvents(id: $id, after: $after) { seq at status progress message }\n  }\n": typeof types.JobEventsDocument,
    "\n  query FinishedJob($id: ID!) {\n    job(id: $id) {\n      id\n      status\n      result\n      error { message code attempt }\n    }\n  }\n": typeof types.FinishedJobDocument,
};
const documents: Documents = {
    "\n  mutation SubmitJob($input: SubmitJobInput!) {\n    submitJob(input: $input) {\n      __typename\n      ... on SubmitJobSuccess {\n        balance\n        job { id status }\n      }\n      ... on InsufficientBalanceError { message balance cost }\n      ... on ValidationError { message issues { path message } }\n      ... on RateLimitedError { message retryAfterMs }\n    }\n  }\n": types.SubmitJobDocument,
    "\n  subscription JobEvents($id: ID!, $after: Int!) {\n    jobEvents(id: $id, after: $after) { seq at status progress message }\n  }\n": types.JobEventsDocument,
    "\n  query FinishedJob($id: ID!) {\n    job(id: $id) {\n      id\n      status\n      result\n      error { message code attempt }\n    }\n  }\n": types.FinishedJobDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SubmitJob($input: SubmitJobInput!) {\n    submitJob(input: $input) {\n      __typename\n      ... on SubmitJobSuccess {\n        balance\n        job { id status }\n      }\n      ... on InsufficientBalanceError { message balance cost }\n      ... on ValidationError { message issues { path message } }\n      ... on RateLimitedError { message retryAfterMs }\n    }\n  }\n"): typeof import('./graphql.js').SubmitJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription JobEvents($id: ID!, $after: Int!) {\n    jobEvents(id: $id, after: $after) { seq at status progress message }\n  }\n"): typeof import('./graphql.js').JobEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FinishedJob($id: ID!) {\n    job(id: $id) {\n      id\n      status\n      result\n      error { message code attempt }\n    }\n  }\n"): typeof import('./graphql.js').FinishedJobDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
