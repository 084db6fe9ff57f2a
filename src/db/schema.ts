import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  doublePrecision,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { JobError } from "../domain/errors.js";
import type { JobStatus } from "../domain/job-status.js";

// Millisecond precision, as JavaScript dates have: a cursor built from one matches the row exactly.
const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    subject: text("subject").notNull().unique(),
    email: text("email"),
    role: text("role").$type<"user" | "admin">().notNull().default("user"),
    balance: integer("balance").notNull().default(0),
    /** Tokens left in the user's submit bucket as of `submitTokensAt`; null: a full bucket (see domain/submit-limits.ts). */
    submitTokens: doublePrecision("submit_tokens"),
    // Full precision: the bucket refills by the microsecond, and no client reads it.
    submitTokensAt: timestamp("submit_tokens_at", { withTimezone: true, mode: "date" }),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [check("users_balance_non_negative", sql`${t.balance} >= 0`)],
);

export const jobs = pgTable(
  "jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    type: text("type").notNull(),
    status: text("status").$type<JobStatus>().notNull(),
    priority: smallint("priority").notNull(),
    params: jsonb("params").notNull(),
    progress: doublePrecision("progress").notNull().default(0),
    progressMessage: text("progress_message"),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull(),
    cost: integer("cost").notNull(),
    result: jsonb("result"),
    error: jsonb("error").$type<JobError>(),
    idempotencyKey: text("idempotency_key"),
    seq: integer("seq").notNull().default(1),
    nextAttemptAt: timestamptz("next_attempt_at"),
    heartbeatAt: timestamptz("heartbeat_at"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    startedAt: timestamptz("started_at"),
    finishedAt: timestamptz("finished_at"),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("jobs_user_idempotency_key").on(t.userId, t.idempotencyKey),
    index("jobs_user_created").on(t.userId, t.createdAt.desc(), t.id.desc()),
    index("jobs_created").on(t.createdAt.desc(), t.id.desc()),
    // Queue order (priority, highest first, then time queued): a job's queue position is counted from it (read-jobs.ts).
    index("jobs_queued").on(t.type, t.priority.desc().nullsFirst(), t.updatedAt, t.id).where(sql`${t.status} = 'QUEUED'`),
    index("jobs_running_heartbeat").on(t.heartbeatAt).where(sql`${t.status} = 'RUNNING'`),
    // A type's latest run times, for the start estimate of its queued jobs (domain/estimate-start.ts).
    index("jobs_succeeded").on(t.type, t.finishedAt).where(sql`${t.status} = 'SUCCEEDED'`),
    // A submit counts its user's unfinished jobs (at most MAX_UNFINISHED_JOBS of them) from this index alone.
    index("jobs_user_unfinished").on(t.userId).where(sql`${t.status} in ('QUEUED', 'RUNNING', 'RETRYING')`),
    check("jobs_progress_range", sql`${t.progress} >= 0 and ${t.progress} <= 1`),
    check("jobs_priority_range", sql`${t.priority} between 0 and 9`),
  ],
);

export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    amount: integer("amount").notNull(),
    kind: text("kind").$type<"grant" | "charge" | "refund">().notNull(),
    jobId: uuid("job_id").references(() => jobs.id),
    /** For a refund, the charge it gives back; unique, so a charge is refunded at most once. */
    refundOf: bigint("refund_of", { mode: "number" }),
    reason: text("reason"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("ledger_entries_refund_of").on(t.refundOf),
    index("ledger_entries_user").on(t.userId),
    index("ledger_entries_job").on(t.jobId),
  ],
);

export const jobEvents = pgTable(
  "job_events",
  {
    jobId: uuid("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    status: text("status").$type<JobStatus>().notNull(),
    progress: doublePrecision("progress").notNull(),
    message: text("message"),
    at: timestamptz("at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.seq] })],
);

export const outbox = pgTable("outbox", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  jobId: uuid("job_id")
    .notNull()
    .references(() => jobs.id, { onDelete: "cascade" }),
  createdAt: timestamptz("created_at").notNull().defaultNow(),
  // Set for a retry's message: its attempt is not due before then, so the relay waits for it.
  availableAt: timestamptz("available_at"),
});

export type UserRow = typeof users.$inferSelect;
export type JobRow = typeof jobs.$inferSelect;
export type JobEventRow = typeof jobEvents.$inferSelect;

/**
 * One message to one configured webhook endpoint about one job transition,
 * written in the transition's transaction. Its `id` is the `webhook-id` the
 * receiver sees on every try, so it can drop a repeat.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    jobId: uuid("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    /** job.succeeded, job.failed or job.cancelled. */
    event: text("event").notNull(),
    /** The endpoint's URL as the config names it. */
    endpoint: text("endpoint").notNull(),
    /** The body sent on every try: the job as it was at the transition. */
    payload: jsonb("payload").notNull(),
    /** pending (to be sent or retried), delivered, or failed (given up). */
    status: text("status").$type<"pending" | "delivered" | "failed">().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamptz("next_attempt_at").notNull().defaultNow(),
    deliveredAt: timestamptz("delivered_at"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("webhook_deliveries_due").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index("webhook_deliveries_job").on(t.jobId),
    index("webhook_deliveries_created").on(t.createdAt.desc(), t.id.desc()),
  ],
);

/** Each try of a delivery: what the endpoint answered, or why it could not. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    deliveryId: uuid("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    at: timestamptz("at").notNull().defaultNow(),
    /** The HTTP status, or null when no answer came (refused, timed out). */
    statusCode: integer("status_code"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
  },
  (t) => [index("webhook_attempts_delivery").on(t.deliveryId, t.at)],
);

/** Operators' controls of a job type, read by every worker within seconds; no row: the type's defaults. */
export const jobTypeSettings = pgTable("job_type_settings", {
  type: text("type").primaryKey(),
  /** A paused type's queued jobs wait; running ones finish. */
  paused: boolean("paused").notNull().default(false),
  /** Attempts at once per worker process; null: the type's own `concurrency`. */
  concurrency: integer("concurrency"),
  updatedAt: timestamptz("updated_at").notNull().defaultNow(),
});

export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type WebhookAttemptRow = typeof webhookAttempts.$inferSelect;
export type JobTypeSettingsRow = typeof jobTypeSettings.$inferSelect;

/**
 * A file a handler wrote (ctx.artifacts.write), kept in the artifact store
 * under `storeKey`. Written per attempt: only the succeeded attempt's are the
 * job's; a failed attempt's are removed. `expiresAt` is when the retention
 * sweep removes the file (the row stays, with status expired).
 */
export const artifacts = pgTable(
  "artifacts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    jobId: uuid("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    name: text("name").notNull(),
    contentType: text("content_type").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    storeKey: text("store_key").notNull(),
    /** pending (its attempt still runs), ready, or expired (the file is gone). */
    status: text("status").$type<"pending" | "ready" | "expired">().notNull().default("pending"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    expiresAt: timestamptz("expires_at"),
  },
  (t) => [
    uniqueIndex("artifacts_job_attempt_name").on(t.jobId, t.attempt, t.name),
    index("artifacts_expiry").on(t.expiresAt).where(sql`${t.status} <> 'expired'`),
  ],
);

/** A file a user sent with the tus protocol (`/uploads`), referenced from a job's params by id. */
export const uploads = pgTable(
  "uploads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    name: text("name").notNull(),
    contentType: text("content_type").notNull(),
    /** The size the client declared (Upload-Length); the bytes received so far are the store's. */
    size: bigint("size", { mode: "number" }).notNull(),
    storeKey: text("store_key").notNull(),
    /** uploading, complete, or expired (the file is gone). */
    status: text("status").$type<"uploading" | "complete" | "expired">().notNull().default("uploading"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    completedAt: timestamptz("completed_at"),
    /** When a job first referenced it: a used upload is kept as long as its jobs need it. */
    usedAt: timestamptz("used_at"),
    expiresAt: timestamptz("expires_at").notNull(),
  },
  (t) => [index("uploads_user").on(t.userId, t.createdAt.desc()), index("uploads_expiry").on(t.expiresAt).where(sql`${t.status} <> 'expired'`)],
);

/**
 * Text a handler streams while it works (ctx.output), one row per chunk,
 * numbered by its character offset within its attempt's output: a reader
 * resumes from an offset without a gap or a repeat.
 */
export const jobOutputChunks = pgTable(
  "job_output_chunks",
  {
    jobId: uuid("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    offset: integer("offset").notNull(),
    text: text("text").notNull(),
    at: timestamptz("at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.attempt, t.offset] })],
);

export type ArtifactRow = typeof artifacts.$inferSelect;
export type UploadRow = typeof uploads.$inferSelect;
export type JobOutputChunkRow = typeof jobOutputChunks.$inferSelect;
