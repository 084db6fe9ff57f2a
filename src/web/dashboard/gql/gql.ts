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
    "\n  fragment AdminUserFields on User {\n    id\n    subject\n    email\n    role\n    balance\n  }\n": typeof types.AdminUserFieldsFragmentDoc,
    "\n  query DashboardUsers($search: String, $first: Int) {\n    users(search: $search, first: $first) {\n      ...AdminUserFields\n    }\n  }\n": typeof types.DashboardUsersDocument,
    "\n  mutation DashboardGrantCredits($userId: ID!, $amount: Int!, $reason: String) {\n    grantCredits(userId: $userId, amount: $amount, reason: $reason) {\n      ...AdminUserFields\n    }\n  }\n": typeof types.DashboardGrantCreditsDocument,
    "\n  fragment JobFields on Job {\n    id\n    type\n    status\n    priority\n    params\n    progress\n    progressMessage\n    attempts\n    maxAttempts\n    cost\n    result\n    error {\n      message\n      code\n      attempt\n    }\n    seq\n    queuePosition\n    estimatedStartAt\n    nextAttemptAt\n    createdAt\n    startedAt\n    finishedAt\n    updatedAt\n    owner {\n      subject\n    }\n  }\n": typeof types.JobFieldsFragmentDoc,
    "\n  query DashboardMe {\n    me {\n      id\n      subject\n      email\n      role\n      balance\n    }\n  }\n": typeof types.DashboardMeDocument,
    "\n  query DashboardJobTypes {\n    jobTypes {\n      name\n      description\n      cost\n      defaultPriority\n      maxUserPriority\n      paramsSchema\n    }\n  }\n": typeof types.DashboardJobTypesDocument,
    "\n  query DashboardJobs($first: Int, $after: String, $status: [JobStatus!]) {\n    jobs(first: $first, after: $after, status: $status) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...JobFields\n        }\n      }\n    }\n  }\n": typeof types.DashboardJobsDocument,
    "\n  query DashboardJob($id: ID!) {\n    job(id: $id) {\n      ...JobFields\n    }\n  }\n": typeof types.DashboardJobDocument,
    "\n  mutation DashboardSubmitJob($input: SubmitJobInput!) {\n    submitJob(input: $input) {\n      __typename\n      ... on SubmitJobSuccess {\n        balance\n        job {\n          ...JobFields\n        }\n      }\n      ... on ValidationError {\n        message\n        issues {\n          path\n          message\n        }\n      }\n      ... on InsufficientBalanceError {\n        message\n        balance\n        cost\n      }\n      ... on RateLimitedError {\n        message\n        retryAfterMs\n        limit\n      }\n    }\n  }\n": typeof types.DashboardSubmitJobDocument,
    "\n  mutation DashboardCancelJob($id: ID!) {\n    cancelJob(id: $id) {\n      __typename\n      ... on CancelJobSuccess {\n        balance\n        job {\n          ...JobFields\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.DashboardCancelJobDocument,
    "\n  mutation DashboardRetryJob($id: ID!) {\n    retryJob(id: $id) {\n      __typename\n      ... on SubmitJobSuccess {\n        balance\n        job {\n          ...JobFields\n        }\n      }\n      ... on InsufficientBalanceError {\n        balance\n        cost\n      }\n      ... on RateLimitedError {\n        retryAfterMs\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.DashboardRetryJobDocument,
    "\n  subscription DashboardMyJobUpdated($includeCurrent: Boolean) {\n    myJobUpdated(includeCurrent: $includeCurrent) {\n      ...JobFields\n    }\n  }\n": typeof types.DashboardMyJobUpdatedDocument,
    "\n  subscription DashboardJobUpdated($id: ID!) {\n    jobUpdated(id: $id) {\n      ...JobFields\n    }\n  }\n": typeof types.DashboardJobUpdatedDocument,
    "\n  subscription DashboardJobEvents($id: ID!, $after: Int) {\n    jobEvents(id: $id, after: $after) {\n      seq\n      at\n      status\n      progress\n      message\n    }\n  }\n": typeof types.DashboardJobEventsDocument,
    "\n  query DashboardQueueStats {\n    queueStats {\n      type\n      queued\n      running\n      retrying\n      ready\n      consumers\n      deadLettered\n      paused\n      concurrency\n      defaultConcurrency\n    }\n  }\n": typeof types.DashboardQueueStatsDocument,
    "\n  query DashboardDeadLetters($type: String!, $first: Int) {\n    deadLetters(type: $type, first: $first) {\n      jobId\n      reason\n      body\n    }\n  }\n": typeof types.DashboardDeadLettersDocument,
    "\n  mutation DashboardRedriveDeadLetters($type: String!) {\n    redriveDeadLetters(type: $type)\n  }\n": typeof types.DashboardRedriveDeadLettersDocument,
    "\n  fragment JobTypeSettingsFields on JobTypeSettings {\n    type\n    paused\n    concurrency\n    defaultConcurrency\n  }\n": typeof types.JobTypeSettingsFieldsFragmentDoc,
    "\n  mutation DashboardPauseJobType($type: String!) {\n    pauseJobType(type: $type) {\n      ...JobTypeSettingsFields\n    }\n  }\n": typeof types.DashboardPauseJobTypeDocument,
    "\n  mutation DashboardResumeJobType($type: String!) {\n    resumeJobType(type: $type) {\n      ...JobTypeSettingsFields\n    }\n  }\n": typeof types.DashboardResumeJobTypeDocument,
    "\n  mutation DashboardSetJobTypeConcurrency($type: String!, $concurrency: Int) {\n    setJobTypeConcurrency(type: $type, concurrency: $concurrency) {\n      ...JobTypeSettingsFields\n    }\n  }\n": typeof types.DashboardSetJobTypeConcurrencyDocument,
    "\n  mutation DashboardPurgeJobType($type: String!) {\n    purgeJobType(type: $type)\n  }\n": typeof types.DashboardPurgeJobTypeDocument,
    "\n  query DashboardJobArtifacts($id: ID!, $expiresInSeconds: Int) {\n    job(id: $id) {\n      id\n      artifacts {\n        id\n        name\n        contentType\n        size\n        url(expiresInSeconds: $expiresInSeconds)\n        createdAt\n        expiresAt\n      }\n    }\n  }\n": typeof types.DashboardJobArtifactsDocument,
    "\n  subscription DashboardJobOutput($id: ID!, $offset: Int, $attempt: Int) {\n    jobOutput(id: $id, offset: $offset, attempt: $attempt) {\n      attempt\n      offset\n      text\n    }\n  }\n": typeof types.DashboardJobOutputDocument,
    "\n  query DashboardUploads($first: Int) {\n    uploads(first: $first) {\n      id\n      name\n      size\n      contentType\n      createdAt\n    }\n  }\n": typeof types.DashboardUploadsDocument,
};
const documents: Documents = {
    "\n  fragment AdminUserFields on User {\n    id\n    subject\n    email\n    role\n    balance\n  }\n": types.AdminUserFieldsFragmentDoc,
    "\n  query DashboardUsers($search: String, $first: Int) {\n    users(search: $search, first: $first) {\n      ...AdminUserFields\n    }\n  }\n": types.DashboardUsersDocument,
    "\n  mutation DashboardGrantCredits($userId: ID!, $amount: Int!, $reason: String) {\n    grantCredits(userId: $userId, amount: $amount, reason: $reason) {\n      ...AdminUserFields\n    }\n  }\n": types.DashboardGrantCreditsDocument,
    "\n  fragment JobFields on Job {\n    id\n    type\n    status\n    priority\n    params\n    progress\n    progressMessage\n    attempts\n    maxAttempts\n    cost\n    result\n    error {\n      message\n      code\n      attempt\n    }\n    seq\n    queuePosition\n    estimatedStartAt\n    nextAttemptAt\n    createdAt\n    startedAt\n    finishedAt\n    updatedAt\n    owner {\n      subject\n    }\n  }\n": types.JobFieldsFragmentDoc,
    "\n  query DashboardMe {\n    me {\n      id\n      subject\n      email\n      role\n      balance\n    }\n  }\n": types.DashboardMeDocument,
    "\n  query DashboardJobTypes {\n    jobTypes {\n      name\n      description\n      cost\n      defaultPriority\n      maxUserPriority\n      paramsSchema\n    }\n  }\n": types.DashboardJobTypesDocument,
    "\n  query DashboardJobs($first: Int, $after: String, $status: [JobStatus!]) {\n    jobs(first: $first, after: $after, status: $status) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...JobFields\n        }\n      }\n    }\n  }\n": types.DashboardJobsDocument,
    "\n  query DashboardJob($id: ID!) {\n    job(id: $id) {\n      ...JobFields\n    }\n  }\n": types.DashboardJobDocument,
    "\n  mutation DashboardSubmitJob($input: SubmitJobInput!) {\n    submitJob(input: $input) {\n      __typename\n      ... on SubmitJobSuccess {\n        balance\n        job {\n          ...JobFields\n        }\n      }\n      ... on ValidationError {\n        message\n        issues {\n          path\n          message\n        }\n      }\n      ... on InsufficientBalanceError {\n        message\n        balance\n        cost\n      }\n      ... on RateLimitedError {\n        message\n        retryAfterMs\n        limit\n      }\n    }\n  }\n": types.DashboardSubmitJobDocument,
    "\n  mutation DashboardCancelJob($id: ID!) {\n    cancelJob(id: $id) {\n      __typename\n      ... on CancelJobSuccess {\n        balance\n        job {\n          ...JobFields\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.DashboardCancelJobDocument,
    "\n  mutation DashboardRetryJob($id: ID!) {\n    retryJob(id: $id) {\n      __typename\n      ... on SubmitJobSuccess {\n        balance\n        job {\n          ...JobFields\n        }\n      }\n      ... on InsufficientBalanceError {\n        balance\n        cost\n      }\n      ... on RateLimitedError {\n        retryAfterMs\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.DashboardRetryJobDocument,
    "\n  subscription DashboardMyJobUpdated($includeCurrent: Boolean) {\n    myJobUpdated(includeCurrent: $includeCurrent) {\n      ...JobFields\n    }\n  }\n": types.DashboardMyJobUpdatedDocument,
    "\n  subscription DashboardJobUpdated($id: ID!) {\n    jobUpdated(id: $id) {\n      ...JobFields\n    }\n  }\n": types.DashboardJobUpdatedDocument,
    "\n  subscription DashboardJobEvents($id: ID!, $after: Int) {\n    jobEvents(id: $id, after: $after) {\n      seq\n      at\n      status\n      progress\n      message\n    }\n  }\n": types.DashboardJobEventsDocument,
    "\n  query DashboardQueueStats {\n    queueStats {\n      type\n      queued\n      running\n      retrying\n      ready\n      consumers\n      deadLettered\n      paused\n      concurrency\n      defaultConcurrency\n    }\n  }\n": types.DashboardQueueStatsDocument,
    "\n  query DashboardDeadLetters($type: String!, $first: Int) {\n    deadLetters(type: $type, first: $first) {\n      jobId\n      reason\n      body\n    }\n  }\n": types.DashboardDeadLettersDocument,
    "\n  mutation DashboardRedriveDeadLetters($type: String!) {\n    redriveDeadLetters(type: $type)\n  }\n": types.DashboardRedriveDeadLettersDocument,
    "\n  fragment JobTypeSettingsFields on JobTypeSettings {\n    type\n    paused\n    concurrency\n    defaultConcurrency\n  }\n": types.JobTypeSettingsFieldsFragmentDoc,
    "\n  mutation DashboardPauseJobType($type: String!) {\n    pauseJobType(type: $type) {\n      ...JobTypeSettingsFields\n    }\n  }\n": types.DashboardPauseJobTypeDocument,
    "\n  mutation DashboardResumeJobType($type: String!) {\n    resumeJobType(type: $type) {\n      ...JobTypeSettingsFields\n    }\n  }\n": types.DashboardResumeJobTypeDocument,
    "\n  mutation DashboardSetJobTypeConcurrency($type: String!, $concurrency: Int) {\n    setJobTypeConcurrency(type: $type, concurrency: $concurrency) {\n      ...JobTypeSettingsFields\n    }\n  }\n": types.DashboardSetJobTypeConcurrencyDocument,
    "\n  mutation DashboardPurgeJobType($type: String!) {\n    purgeJobType(type: $type)\n  }\n": types.DashboardPurgeJobTypeDocument,
    "\n  query DashboardJobArtifacts($id: ID!, $expiresInSeconds: Int) {\n    job(id: $id) {\n      id\n      artifacts {\n        id\n        name\n        contentType\n        size\n        url(expiresInSeconds: $expiresInSeconds)\n        createdAt\n        expiresAt\n      }\n    }\n  }\n": types.DashboardJobArtifactsDocument,
    "\n  subscription DashboardJobOutput($id: ID!, $offset: Int, $attempt: Int) {\n    jobOutput(id: $id, offset: $offset, attempt: $attempt) {\n      attempt\n      offset\n      text\n    }\n  }\n": types.DashboardJobOutputDocument,
    "\n  query DashboardUploads($first: Int) {\n    uploads(first: $first) {\n      id\n      name\n      size\n      contentType\n      createdAt\n    }\n  }\n": types.DashboardUploadsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AdminUserFields on User {\n    id\n    subject\n    email\n    role\n    balance\n  }\n"): typeof import('./graphql.js').AdminUserFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardUsers($search: String, $first: Int) {\n    users(search: $search, first: $first) {\n      ...AdminUserFields\n    }\n  }\n"): typeof import('./graphql.js').DashboardUsersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardGrantCredits($userId: ID!, $amount: Int!, $reason: String) {\n    grantCredits(userId: $userId, amount: $amount, reason: $reason) {\n      ...AdminUserFields\n    }\n  }\n"): typeof import('./graphql.js').DashboardGrantCreditsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobFields on Job {\n    id\n    type\n    status\n    priority\n    params\n    progress\n    progressMessage\n    attempts\n    maxAttempts\n    cost\n    result\n    error {\n      message\n      code\n      attempt\n    }\n    seq\n    queuePosition\n    estimatedStartAt\n    nextAttemptAt\n    createdAt\n    startedAt\n    finishedAt\n    updatedAt\n    owner {\n      subject\n    }\n  }\n"): typeof import('./graphql.js').JobFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardMe {\n    me {\n      id\n      subject\n      email\n      role\n      balance\n    }\n  }\n"): typeof import('./graphql.js').DashboardMeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardJobTypes {\n    jobTypes {\n      name\n      description\n      cost\n      defaultPriority\n      maxUserPriority\n      paramsSchema\n    }\n  }\n"): typeof import('./graphql.js').DashboardJobTypesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardJobs($first: Int, $after: String, $status: [JobStatus!]) {\n    jobs(first: $first, after: $after, status: $status) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...JobFields\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').DashboardJobsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardJob($id: ID!) {\n    job(id: $id) {\n      ...JobFields\n    }\n  }\n"): typeof import('./graphql.js').DashboardJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardSubmitJob($input: SubmitJobInput!) {\n    submitJob(input: $input) {\n      __typename\n      ... on SubmitJobSuccess {\n        balance\n        job {\n          ...JobFields\n        }\n      }\n      ... on ValidationError {\n        message\n        issues {\n          path\n          message\n        }\n      }\n      ... on InsufficientBalanceError {\n        message\n        balance\n        cost\n      }\n      ... on RateLimitedError {\n        message\n        retryAfterMs\n        limit\n      }\n    }\n  }\n"): typeof import('./graphql.js').DashboardSubmitJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardCancelJob($id: ID!) {\n    cancelJob(id: $id) {\n      __typename\n      ... on CancelJobSuccess {\n        balance\n        job {\n          ...JobFields\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').DashboardCancelJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardRetryJob($id: ID!) {\n    retryJob(id: $id) {\n      __typename\n      ... on SubmitJobSuccess {\n        balance\n        job {\n          ...JobFields\n        }\n      }\n      ... on InsufficientBalanceError {\n        balance\n        cost\n      }\n      ... on RateLimitedError {\n        retryAfterMs\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').DashboardRetryJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription DashboardMyJobUpdated($includeCurrent: Boolean) {\n    myJobUpdated(includeCurrent: $includeCurrent) {\n      ...JobFields\n    }\n  }\n"): typeof import('./graphql.js').DashboardMyJobUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription DashboardJobUpdated($id: ID!) {\n    jobUpdated(id: $id) {\n      ...JobFields\n    }\n  }\n"): typeof import('./graphql.js').DashboardJobUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription DashboardJobEvents($id: ID!, $after: Int) {\n    jobEvents(id: $id, after: $after) {\n      seq\n      at\n      status\n      progress\n      message\n    }\n  }\n"): typeof import('./graphql.js').DashboardJobEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardQueueStats {\n    queueStats {\n      type\n      queued\n      running\n      retrying\n      ready\n      consumers\n      deadLettered\n      paused\n      concurrency\n      defaultConcurrency\n    }\n  }\n"): typeof import('./graphql.js').DashboardQueueStatsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardDeadLetters($type: String!, $first: Int) {\n    deadLetters(type: $type, first: $first) {\n      jobId\n      reason\n      body\n    }\n  }\n"): typeof import('./graphql.js').DashboardDeadLettersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardRedriveDeadLetters($type: String!) {\n    redriveDeadLetters(type: $type)\n  }\n"): typeof import('./graphql.js').DashboardRedriveDeadLettersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobTypeSettingsFields on JobTypeSettings {\n    type\n    paused\n    concurrency\n    defaultConcurrency\n  }\n"): typeof import('./graphql.js').JobTypeSettingsFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardPauseJobType($type: String!) {\n    pauseJobType(type: $type) {\n      ...JobTypeSettingsFields\n    }\n  }\n"): typeof import('./graphql.js').DashboardPauseJobTypeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardResumeJobType($type: String!) {\n    resumeJobType(type: $type) {\n      ...JobTypeSettingsFields\n    }\n  }\n"): typeof import('./graphql.js').DashboardResumeJobTypeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardSetJobTypeConcurrency($type: String!, $concurrency: Int) {\n    setJobTypeConcurrency(type: $type, concurrency: $concurrency) {\n      ...JobTypeSettingsFields\n    }\n  }\n"): typeof import('./graphql.js').DashboardSetJobTypeConcurrencyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardPurgeJobType($type: String!) {\n    purgeJobType(type: $type)\n  }\n"): typeof import('./graphql.js').DashboardPurgeJobTypeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardJobArtifacts($id: ID!, $expiresInSeconds: Int) {\n    job(id: $id) {\n      id\n      artifacts {\n        id\n        name\n        contentType\n        size\n        url(expiresInSeconds: $expiresInSeconds)\n        createdAt\n        expiresAt\n      }\n    }\n  }\n"): typeof import('./graphql.js').DashboardJobArtifactsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription DashboardJobOutput($id: ID!, $offset: Int, $attempt: Int) {\n    jobOutput(id: $id, offset: $offset, attempt: $attempt) {\n      attempt\n      offset\n      text\n    }\n  }\n"): typeof import('./graphql.js').DashboardJobOutputDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardUploads($first: Int) {\n    uploads(first: $first) {\n      id\n      name\n      size\n      contentType\n      createdAt\n    }\n  }\n"): typeof import('./graphql.js').DashboardUploadsDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
