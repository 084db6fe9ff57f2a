import { cancelJob as cancelJobRow, type CancelJobResult } from "../db/queries/cancel-job.js";
import { isUuid } from "../domain/ids.js";
import { ownerScopeOf, type Caller, type JobCommandDeps } from "./job-commands.js";

/** Cancels a job not yet finished and refunds it; a running handler is told to stop. Another user's job is not found. */
export async function cancelJob(deps: Pick<JobCommandDeps, "db" | "hints" | "webhooks">, caller: Caller, jobId: string): Promise<CancelJobResult> {
  if (!isUuid(jobId)) return { kind: "not-found" };
  return cancelJobRow(deps.db, deps.hints, deps.webhooks, jobId, ownerScopeOf(caller));
}
