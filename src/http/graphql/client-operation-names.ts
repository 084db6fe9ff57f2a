/**
 * Operation names of this project's own clients: the dashboard
 * (src/web/dashboard), the typed client example (examples/typed-client) and
 * GraphiQL's example operations. Labelled by name from the start, whoever
 * sends them (see operation-metrics.ts). Kept in step with those documents by
 * test/unit/client-operation-names.test.ts.
 */
export const clientOperationNames: readonly string[] = [
  // Dashboard
  "DashboardCancelJob",
  "DashboardDeadLetters",
  "DashboardGrantCredits",
  "DashboardJob",
  "DashboardJobArtifacts",
  "DashboardJobEvents",
  "DashboardJobOutput",
  "DashboardJobTypes",
  "DashboardJobUpdated",
  "DashboardJobs",
  "DashboardMe",
  "DashboardMyJobUpdated",
  "DashboardPauseJobType",
  "DashboardPurgeJobType",
  "DashboardQueueStats",
  "DashboardRedriveDeadLetters",
  "DashboardResumeJobType",
  "DashboardRetryJob",
  "DashboardSetJobTypeConcurrency",
  "DashboardSubmitJob",
  "DashboardUploads",
  "DashboardUsers",
  // Typed client example
  "FinishedJob",
  "JobEvents",
  "SubmitJob",
  // GraphiQL's examples
  "CancelJob",
  "FindUsers",
  "FollowJob",
  "GrantCredits",
  "JobTypes",
  "Me",
  "MyJobs",
  "QueueStats",
];
