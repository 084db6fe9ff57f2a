import { resolveCursorConnection, type ResolveCursorConnectionArgs } from "@pothos/plugin-relay";
import DataLoader from "dataloader";
import { createContextCache } from "@pothos/core";
import { listWebhookAttempts, listWebhookDeliveries } from "../db/queries/list-webhook-deliveries.js";
import { resendWebhookDelivery } from "../db/queries/resend-webhook-delivery.js";
import type { WebhookAttemptRow, WebhookDeliveryRow } from "../db/schema.js";
import { builder } from "./builder.js";
import { pageSize, type PageBounds } from "./cost-budget.js";
import { codedError } from "../graphql/coded-error.js";
import { NotFoundError, notFound, resolveByTypename, type NotFoundErrorShape } from "./errors.js";
import { isUuid } from "../domain/ids.js";
import { decodeJobCursor, encodeJobCursor } from "./job-cursor.js";
import type { GraphQLContext } from "./context.js";

const deliveriesPage: PageBounds = { default: 20, max: 100 };

/** The page a `webhookDeliveries` call reads: `first` or `last` (both checked), the larger when both are given. */
function deliveriesPageSize(args: { first?: number | null; last?: number | null }): number {
  const first = pageSize("first", args.first, deliveriesPage);
  const last = pageSize("last", args.last, deliveriesPage);
  if (args.last == null) return first;
  return args.first == null ? last : Math.max(first, last);
}

const WebhookDeliveryStatusEnum = builder.enumType("WebhookDeliveryStatus", {
  description: "PENDING (to be sent, or retried at nextAttemptAt) → DELIVERED (an endpoint's 2xx) | FAILED (its last try failed); resendWebhookDelivery makes it PENDING again.",
  values: {
    PENDING: { value: "pending" },
    DELIVERED: { value: "delivered" },
    FAILED: { value: "failed" },
  } as const,
});

const WebhookAttemptType = builder.objectRef<WebhookAttemptRow>("WebhookAttempt").implement({
  description: "One try of a webhook delivery.",
  fields: (t) => ({
    at: t.expose("at", { type: "DateTime" }),
    statusCode: t.exposeInt("statusCode", { nullable: true, description: "The endpoint's HTTP status; null when no answer came (refused, timed out)." }),
    error: t.exposeString("error", { nullable: true, description: "Why it was not accepted: the start of the endpoint's answer, or why none came." }),
    durationMs: t.exposeInt("durationMs"),
  }),
});

// Tries by delivery, one statement for a page of deliveries; no cache across ticks.
const attemptsLoader = createContextCache(
  (ctx: GraphQLContext) =>
    new DataLoader<string, WebhookAttemptRow[]>(
      async (ids) => {
        const rows = await listWebhookAttempts(ctx.db, [...new Set(ids)]);
        const byDelivery = new Map<string, WebhookAttemptRow[]>();
        for (const row of rows) {
          const tries = byDelivery.get(row.deliveryId);
          if (tries) tries.push(row);
          else byDelivery.set(row.deliveryId, [row]);
        }
        return ids.map((id) => byDelivery.get(id) ?? []);
      },
      { cache: false },
    ),
);

const WebhookDeliveryType = builder.objectRef<WebhookDeliveryRow>("WebhookDelivery").implement({
  description: "One job event for one configured endpoint, written with the job's transition and sent at least once; `id` is its `webhook-id` on every try.",
  fields: (t) => ({
    id: t.exposeID("id"),
    jobId: t.exposeID("jobId"),
    event: t.exposeString("event", { description: "job.succeeded, job.failed or job.cancelled." }),
    endpoint: t.exposeString("endpoint", { description: "The endpoint's URL." }),
    status: t.field({ type: WebhookDeliveryStatusEnum, resolve: (delivery) => delivery.status }),
    payload: t.expose("payload", { type: "JSON", description: "The body sent on every try: the job as it was at the transition." }),
    nextAttemptAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "While PENDING: when the next try is due (while a try is out, when it is given up on and due again). Null otherwise.",
      resolve: (delivery) => (delivery.status === "pending" ? delivery.nextAttemptAt : null),
    }),
    deliveredAt: t.expose("deliveredAt", { type: "DateTime", nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    attempts: t.field({
      type: [WebhookAttemptType],
      description: "Its tries, oldest first, across resends.",
      resolve: (delivery, _args, ctx) => attemptsLoader(ctx).load(delivery.id),
    }),
  }),
});

builder.queryField("webhookDeliveries", (t) =>
  t.connection(
    {
      type: WebhookDeliveryType,
      description: "Admin: webhook deliveries, newest first, of one job or all, by status.",
      authScopes: { admin: true },
      complexity: (args) => ({ field: 1, multiplier: deliveriesPageSize(args) }),
      args: {
        jobId: t.arg.id(),
        status: t.arg({ type: WebhookDeliveryStatusEnum }),
      },
      resolve: async (_root, args, ctx) => {
        deliveriesPageSize(args);
        const after = decodeCursor("after", args.after);
        const before = decodeCursor("before", args.before);
        const jobId = args.jobId == null ? null : String(args.jobId);
        return resolveCursorConnection(
          { args, toCursor: (delivery: WebhookDeliveryRow) => encodeJobCursor(delivery), defaultSize: deliveriesPage.default, maxSize: deliveriesPage.max },
          // An id that is not a UUID names no job: nothing to read.
          ({ limit, inverted }: ResolveCursorConnectionArgs) =>
            jobId !== null && !isUuid(jobId)
              ? []
              : listWebhookDeliveries(ctx.db, { jobId, status: args.status ?? null }, { after, before, limit, oldestFirst: inverted }),
        );
      },
    },
    { name: "WebhookDeliveryConnection" },
    { name: "WebhookDeliveryEdge" },
  ),
);

function decodeCursor(name: string, cursor: string | null | undefined) {
  if (!cursor) return null;
  const decoded = decodeJobCursor(cursor);
  if (!decoded) throw codedError(`${name} is not a cursor of this connection`, "BAD_USER_INPUT");
  return decoded;
}

type ResendWebhookDeliverySuccessShape = { __typename: "ResendWebhookDeliverySuccess"; delivery: WebhookDeliveryRow };

const ResendWebhookDeliverySuccess = builder.objectRef<ResendWebhookDeliverySuccessShape>("ResendWebhookDeliverySuccess").implement({
  fields: (t) => ({ delivery: t.field({ type: WebhookDeliveryType, resolve: (r) => r.delivery }) }),
});

const ResendWebhookDeliveryResult = builder.unionType("ResendWebhookDeliveryResult", {
  types: [ResendWebhookDeliverySuccess, NotFoundError],
  resolveType: resolveByTypename,
});

builder.mutationField("resendWebhookDelivery", (t) =>
  t.field({
    type: ResendWebhookDeliveryResult,
    description:
      "Admin: sends a delivery again, whatever its status: PENDING and due now, with the whole retry schedule ahead of it, under the same id (the receiver sees the same webhook-id).",
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx): Promise<ResendWebhookDeliverySuccessShape | NotFoundErrorShape> => {
      const id = String(args.id);
      const delivery = isUuid(id) ? await resendWebhookDelivery(ctx.db, id) : null;
      return delivery ? { __typename: "ResendWebhookDeliverySuccess", delivery } : notFound("webhook delivery");
    },
  }),
);
