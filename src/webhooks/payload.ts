import type { JobError } from "../domain/errors.js";
import type { WebhookEvent } from "./endpoint.js";

/**
 * What an endpoint receives, in Standard Webhooks' shape (`type`,
 * `timestamp`, `data`): the job as it was at its terminal transition. Built
 * by the transition's own statement (db/queries/record-webhook-deliveries.ts)
 * and stored with the delivery, so every try sends the same body.
 */
export interface WebhookPayload {
  type: WebhookEvent;
  /** When the job finished (its `finishedAt`), ISO 8601 in UTC. */
  timestamp: string;
  data: WebhookJobData;
}

export interface WebhookJobData {
  id: string;
  /** The job type's name. */
  type: string;
  status: "SUCCEEDED" | "FAILED" | "CANCELLED";
  /** job.succeeded only: the handler's result. */
  result?: unknown;
  /** job.failed and job.cancelled only: the last attempt's error (null when a job is cancelled before one failed). */
  error?: JobError | null;
  /** The job's owner: the user's id and their token's `sub`. */
  owner: { id: string; subject: string };
  /** Credits charged for the job's latest run. */
  cost: number;
  /** Credits given back at this transition: the cost for a failed or cancelled job, 0 otherwise (or when it cost nothing). */
  refunded: number;
  /** Attempts begun, over all its runs. */
  attempts: number;
  createdAt: string;
  finishedAt: string;
}

// PostgreSQL's jsonb keeps keys in its own order (shortest first); a body is
// easier to read in the order the shape is documented.
const payloadKeys = ["type", "timestamp", "data"];
const dataKeys = ["id", "type", "status", "result", "error", "owner", "cost", "refunded", "attempts", "createdAt", "finishedAt"];
const ownerKeys = ["id", "subject"];

/** The HTTP body of a stored payload: the documented key order first, any other key after, values untouched. */
export function webhookBody(payload: unknown): string {
  if (!isRecord(payload)) return JSON.stringify(payload);
  const data = isRecord(payload.data)
    ? ordered({ ...payload.data, ...(isRecord(payload.data.owner) ? { owner: ordered(payload.data.owner, ownerKeys) } : {}) }, dataKeys)
    : payload.data;
  return JSON.stringify(ordered({ ...payload, data }, payloadKeys));
}

function ordered(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (key in record) out[key] = record[key];
  for (const key of Object.keys(record)) if (!(key in out)) out[key] = record[key];
  return out;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
