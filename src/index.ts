// `job-gateway`: what an app writes its job types, handlers and config with. Loads no server code.
export { defineJobType, type JobType, type JobTypeDefinition } from "./jobs/define-job-type.js";
export { defineHandler, httpHandler, PermanentJobError, type HandlerModule, type HandlerOptions, type HandlerSource, type HttpHandler, type JobContext, type JobHandler, type RunJob } from "./jobs/handler.js";
export { defineConfig, type GatewayConfig } from "./app-config/define-config.js";
// A params field naming one of the caller's uploads, checked at submit.
export { uploadRef, type UploadRefOptions } from "./jobs/upload-ref.js";
export type { JobUploads, UploadFile } from "./jobs/handler.js";
export { webhookEvents, type WebhookEndpoint, type WebhookEvent } from "./webhooks/endpoint.js";
export type { WebhookJobData, WebhookPayload } from "./webhooks/payload.js";
// The zod that checks params: a type's schema built with this copy is the one the gateway reads.
export { z } from "zod";
export { verifyWebhook, WebhookVerificationError } from "./webhooks/verify-webhook.js";
