import type { Logger } from "pino";
import type { Db } from "../db/client.js";
import type { KnownUser } from "../auth/known-users.js";
import type { JobHintListener } from "../events/job-hint-listener.js";
import type { JobHints } from "../events/job-hints.js";
import type { StreamReads } from "../events/stream-reads.js";
import type { JobTypeRegistry } from "../jobs/index.js";
import type { Metrics } from "../observability/metrics.js";
import type { BrokerAdmin } from "../broker/broker-admin.js";
import type { QueueDepths } from "../observability/queue-depths.js";
import type { Limits } from "../config.js";
import type { ArtifactLinks } from "../files/artifact-links.js";
import type { WebhookRouting } from "../webhooks/routing.js";
import type { SubscriptionSlots } from "../http/ws/subscription-slots.js";

export interface Viewer {
  /** The caller's user (their row: `me`). */
  user: KnownUser;
  isAdmin: boolean;
  /** The owner filter for reads and writes: the user's id, or null for an admin (sees all). */
  ownerScope: string | null;
  /** When the caller's token expires: streams opened with it end then. */
  expiresAt: Date;
}

/** Everything resolvers reach I/O through; built per request by the HTTP layer. */
export interface GraphQLContext {
  db: Db;
  brokerAdmin: BrokerAdmin;
  /** Each job type's queue depths, cached and bounded in time (null: not known now). */
  queueDepths: QueueDepths;
  registry: JobTypeRegistry;
  hintListener: JobHintListener;
  /** Announces this process's committed job changes to every process. */
  hints: JobHints;
  /** The app's endpoints told of finished jobs (cancelJob writes their deliveries). */
  webhooks: WebhookRouting;
  /** Batched reads for live streams (one statement per tick for all of them). */
  streamReads: StreamReads;
  metrics: Metrics;
  /** Signs the links `Artifact.url` answers (presigned by the store, or the gateway's own). */
  artifactLinks: ArtifactLinks;
  /** The configured limits (see config.ts). */
  limits: Limits;
  log: Logger;
  /** The caller, provisioned on first sight; throws UNAUTHENTICATED without a valid token. */
  viewer(): Promise<Viewer>;
  /** The caller once a `viewer()` of this operation has resolved; null before, or without a valid token. Never resolves it. */
  knownViewer(): Viewer | null;
  /** Publishes a committed job now, leaving it to the outbox relay if the broker is away. */
  dispatchJob(job: { id: string; type: string; priority: number }): void;
  /** The gateway's open subscriptions per user (absent: no per-user cap, as in a schema-only test). */
  subscriptionSlots?: SubscriptionSlots;
  /** The request's id, in its log lines and in a masked error's extensions. */
  requestId: string;
}
