import type { JobType } from "../jobs/define-job-type.js";
import type { HandlerSource } from "../jobs/handler.js";
import { webhookEvents, type WebhookEndpoint } from "../webhooks/endpoint.js";

/** What an app declares in `job-gateway.config.ts`; the environment holds the deployment's settings. */
export interface GatewayConfig {
  /** Every job type the app offers: gateways serve them, and the schema, the topology and the consumers derive from them. */
  jobTypes: readonly JobType<any>[];
  /** Each type's handler, by type name. A worker consumes only the types it has a handler for. */
  handlers?: Readonly<Record<string, HandlerSource>>;
  /** The app's endpoints told of finished jobs. */
  webhooks?: readonly WebhookEndpoint[];
}

/** The config as start-up uses it: checked, with the defaults filled in. */
export interface ResolvedConfig {
  jobTypes: readonly JobType[];
  handlers: Readonly<Record<string, HandlerSource>>;
  webhooks: readonly WebhookEndpoint[];
  /** Where it was read from; null for the built-in example types. */
  source: string | null;
}

/** Checks a config where it is written, so a mistake names itself at start. */
export function defineConfig(config: GatewayConfig): GatewayConfig {
  const problems = configProblems(config);
  if (problems.length > 0) throw new Error(`job-gateway config: ${problems.join("; ")}`);
  return config;
}

export function configProblems(config: GatewayConfig): string[] {
  const problems: string[] = [];
  if (!Array.isArray(config?.jobTypes)) return ["jobTypes must be a list of defineJobType(...) contracts"];
  const names = new Set<string>();
  for (const type of config.jobTypes) {
    if (typeof type?.name !== "string" || typeof type.params?.safeParse !== "function") {
      problems.push("every entry of jobTypes must come from defineJobType(...)");
      continue;
    }
    if (names.has(type.name)) problems.push(`job type ${type.name} is listed twice`);
    names.add(type.name);
  }
  for (const [name, handler] of Object.entries(config.handlers ?? {})) {
    if (!names.has(name)) problems.push(`handlers.${name} names no job type in jobTypes`);
    else if (typeof handler === "object" && handler?.kind === "handler" && handler.type !== name) {
      problems.push(`handlers.${name} is the handler of ${handler.type}`);
    } else if (typeof handler !== "function" && !(handler?.kind === "handler" || handler?.kind === "http")) {
      problems.push(`handlers.${name} must be defineHandler(...), httpHandler(...) or () => import("./module")`);
    }
  }
  for (const [index, hook] of (config.webhooks ?? []).entries()) {
    if (!URL.canParse(hook?.url) || !/^https?:$/.test(new URL(hook.url).protocol)) problems.push(`webhooks[${index}].url must be an http(s) URL`);
    if (!hook?.secret) problems.push(`webhooks[${index}].secret is required`);
    const unknown = (hook?.events ?? []).filter((event) => !(webhookEvents as readonly string[]).includes(event));
    if (!Array.isArray(hook?.events) || hook.events.length === 0 || unknown.length > 0) {
      problems.push(`webhooks[${index}].events must list some of ${webhookEvents.join(", ")}${unknown.length ? ` (got ${unknown.join(", ")})` : ""}`);
    }
  }
  return problems;
}
