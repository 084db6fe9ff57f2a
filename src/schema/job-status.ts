import { jobStatuses } from "../domain/job-status.js";
import { builder } from "./builder.js";

export const JobStatusEnum = builder.enumType("JobStatus", {
  values: jobStatuses,
  description: "QUEUED → RUNNING → SUCCEEDED | RETRYING → RUNNING … | FAILED; QUEUED/RETRYING/RUNNING → CANCELLED.",
});
