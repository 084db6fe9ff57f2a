import { z } from "zod";
import { standardRetryDelaysMs } from "./webhooks/retry-schedule.js";
import { isAcceptPattern } from "./domain/upload-types.js";

const roles = ["all", "gateway", "worker"] as const;
export type Role = (typeof roles)[number];

const wholeNumber = () => z.string().regex(/^\d+$/, "must be a whole number").transform(Number);

const integer = (min: number, fallback: number) =>
  wholeNumber()
    .pipe(z.number().min(min, `must be at least ${min}`))
    .default(fallback);

const configSchema = z
  .object({
    /** PostgreSQL connection string. Default: the docker-compose database on localhost. */
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" }).default("postgres://postgres:postgres@127.0.0.1:5432/jobgateway"),
    /** RabbitMQ connection string (the path is the vhost). Default: the docker-compose broker. */
    RABBITMQ_URL: z.url({ protocol: /^amqps?$/, error: "must be an amqp:// or amqps:// URL" }).default("amqp://guest:guest@127.0.0.1:5672"),
    /** HS256 secret that signs clients' tokens. Required in production; development has a fixed one. */
    JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    /** HTTP port: GraphQL and the dashboard on a gateway, health and metrics on a worker. Default 4000. */
    PORT: integer(0, 4000).pipe(z.number().max(65535, "must be at most 65535")),
    /** Which parts this process runs: all (default), gateway or worker. */
    ROLE: z.enum(roles).default("all"),
    /** development (default), test or production; production hides GraphiQL, demo jobs and error details. */
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    /** Credits a user gets when first seen. Default 100 in development (a first run has something to spend), 0 otherwise. */
    STARTING_CREDITS: wholeNumber().optional(),
    /** pino level: fatal, error, warn, info (default), debug, trace, silent. */
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** Log lines: json (one object a line) or pretty (pino-pretty, for a person at a terminal). Default pretty in development, json otherwise. */
    LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
    /** Connections in this process's PostgreSQL pool. Default 10. */
    DATABASE_POOL_SIZE: integer(1, 10),
    /** Named prepared statements (parsed once per connection). Default true; false behind a pooler that cannot keep them (PgBouncer before 1.21, or without max_prepared_statements). */
    DATABASE_PREPARED_STATEMENTS: z.enum(["true", "false"]).default("true"),
    /** Least milliseconds between two progress writes of one job. Default 250. */
    PROGRESS_MIN_INTERVAL_MS: integer(0, 250),
    /** How long a stopping worker lets running jobs finish before handing them back. Default 30000. */
    SHUTDOWN_GRACE_MS: integer(0, 30_000),
    /** How often the outbox relay looks for jobs not yet confirmed by RabbitMQ. Default 1000. */
    OUTBOX_POLL_MS: integer(10, 1_000),
    /** How often live streams re-read their jobs even without a change hint (a hint lost in a crash). Default 5000. */
    STREAM_POLL_MS: integer(100, 5_000),
    /** RabbitMQ work queues: classic (default; priorities 0..9) or quorum (replicated; RabbitMQ 4.0+ keeps two priority levels). */
    RABBITMQ_QUEUE_TYPE: z.enum(["classic", "quorum"]).default("classic"),
    /** How often a worker records that its running jobs are alive. Default 5000. */
    HEARTBEAT_MS: integer(10, 5_000),
    /** Extra time past a type's timeout before a RUNNING job without heartbeat counts as stalled. Default 30000. */
    STALLED_GRACE_MS: integer(0, 30_000),
    /** How often a worker re-reads the operators' queue controls (pause, concurrency per type); a change also applies at once on its NOTIFY. Default 2000. */
    QUEUE_CONTROLS_POLL_MS: integer(10, 2_000),
    /** Waits before each retry of a webhook delivery, comma-separated milliseconds: one try more than there are waits, then it is given up. Default Standard Webhooks' 5000,300000,1800000,7200000,18000000,36000000,36000000 (5 s … 10 h, about 27 h in all). */
    WEBHOOK_RETRY_DELAYS_MS: z
      .string()
      .regex(/^\d+(\s*,\s*\d+)*$/, "must be comma-separated whole numbers of milliseconds")
      .transform((list) => list.split(",").map(Number))
      .optional(),

    /** Where artifacts (files handlers write) are kept: local (default: files under DATA_DIR) or s3 (an S3-compatible bucket, S3_BUCKET and the S3_* settings below). Several machines need s3, or one DATA_DIR they all mount. */
    ARTIFACT_STORE: z.enum(["local", "s3"]).default("local"),
    /** Directory for the files this process keeps on its own disk (artifacts under artifacts/ when ARTIFACT_STORE=local). Default ./data. */
    DATA_DIR: z.string().default("./data"),
    /** Days a succeeded job's artifacts are kept (decimals allowed: 0.5 is 12 hours); then the retention sweep removes their files and marks them expired. Default 7. */
    ARTIFACT_RETENTION_DAYS: z
      .string()
      .regex(/^\d+(\.\d+)?$/, "must be a number of days")
      .transform(Number)
      .pipe(z.number().positive("must be more than 0"))
      .default(7),
    /** How often the retention sweep removes expired artifacts and those of attempts whose worker died. Default 60000. */
    ARTIFACT_SWEEP_MS: integer(10, 60_000),
    /** HMAC secret that signs the gateway's artifact links (ARTIFACT_STORE=local). Required in production on a gateway; development has a fixed one. Every gateway must share it. */
    ARTIFACT_URL_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    /** The gateway's address as clients reach it (scheme://host[:port][/path], no query), for absolute links such as artifact downloads. Default http://localhost:PORT. */
    PUBLIC_URL: z
      .url({ protocol: /^https?$/, error: "must be an http(s):// URL" })
      .refine((url) => !/[?#]/.test(url), "must have no query or fragment")
      .optional(),
    /** The bucket artifacts are kept in with ARTIFACT_STORE=s3 (required then). It must exist. */
    S3_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens")
      .optional(),
    /** The S3 region. Default us-east-1 (what most S3-compatible services accept). */
    S3_REGION: z
      .string()
      .regex(/^[a-z0-9-]{1,40}$/, "must be a region name such as eu-west-1")
      .default("us-east-1"),
    /** An S3-compatible service's URL (MinIO, R2, s3rver…); unset: AWS S3 of S3_REGION. */
    S3_ENDPOINT: z.url({ protocol: /^https?$/, error: "must be an http(s):// URL" }).optional(),
    /** Access key id for S3; with S3_SECRET_ACCESS_KEY, or neither (then the AWS SDK's own chain: AWS_* variables, an instance role). */
    S3_ACCESS_KEY_ID: z.string().optional(),
    /** Secret access key for S3; with S3_ACCESS_KEY_ID. */
    S3_SECRET_ACCESS_KEY: z.string().optional(),
    /** Path-style requests (endpoint/bucket/key) instead of virtual hosts (bucket.endpoint/key). Default true with S3_ENDPOINT (as MinIO and s3rver need), false without. */
    S3_FORCE_PATH_STYLE: z.enum(["true", "false"]).optional(),
    /** Where uploads (tus, at /uploads) are kept: local (default: files under DATA_DIR/uploads, which a worker reads in place, so workers on other machines must mount the same DATA_DIR) or s3 (S3_BUCKET, keys under uploads/; a worker downloads each file it opens). */
    UPLOAD_STORE: z.enum(["local", "s3"]).default("local"),
    /** Largest upload, in bytes (Upload-Length); a larger one is refused with 413. Default 2147483647 (2 GiB less a byte), also the most: GraphQL's Int says an upload's `size`. */
    MAX_UPLOAD_BYTES: integer(1, 2_147_483_647).pipe(z.number().max(2_147_483_647, "must be at most 2147483647 (GraphQL's Int says an upload's size)")),
    /** Bytes one user may hold in uploads not expired (unfinished ones count their declared size); past it a new upload is refused with 403. Default 10737418240 (10 GiB). */
    UPLOAD_QUOTA_BYTES: integer(1, 10 * 1024 ** 3),
    /** Content types an upload may declare (its metadata `filetype`), comma-separated: a type (text/plain), a family (video/*) or any type (*\/*); others are refused with 415. Default audio/*,video/*,image/*,text/plain,application/pdf,application/json. */
    UPLOAD_TYPES: z
      .string()
      .refine((list) => uploadTypesIn(list) !== null, "must be comma-separated content types: type/subtype, type/* or */*")
      .transform((list) => uploadTypesIn(list)!)
      .default(["audio/*", "video/*", "image/*", "text/plain", "application/pdf", "application/json"]),
    /** Hours an upload is kept once it finished (or, unfinished, once it began) unless a job uses it; one a job uses is kept while the job runs and this long after it ends (decimals allowed). Then the sweep removes its file and marks it expired. Default 24. */
    UPLOAD_RETENTION_HOURS: z
      .string()
      .regex(/^\d+(\.\d+)?$/, "must be a number of hours")
      .transform(Number)
      .pipe(z.number().positive("must be more than 0"))
      .default(24),
    /** How often a gateway's sweep removes expired uploads. Default 60000. */
    UPLOAD_SWEEP_MS: integer(10, 60_000),

    /** Largest HTTP request body and WebSocket message, in bytes. Default 1048576 (1 MiB). */
    MAX_REQUEST_BYTES: integer(1024, 1_048_576),
    /** Most lexical tokens in one GraphQL document. Default 2000. */
    MAX_QUERY_TOKENS: integer(10, 2_000),
    /** Deepest selection nesting of an operation (introspection aside). Default 10. */
    MAX_QUERY_DEPTH: integer(1, 10),
    /** Most aliases in one operation. Default 30. */
    MAX_QUERY_ALIASES: integer(0, 30),
    /** Most directives in one operation. Default 20. */
    MAX_QUERY_DIRECTIVES: integer(0, 20),
    /** Cost budget of one operation: each field costs 1, lists multiply what they select by their page size. Default 5000. */
    MAX_QUERY_COST: integer(1, 5_000),
    /** Most root fields (submitJob and the like) in one mutation. Default 5. */
    MAX_MUTATION_FIELDS: integer(1, 5),
    /** Most inputs of one submitJobs. Default 100. */
    MAX_SUBMIT_BATCH: integer(1, 100),
    /** Largest `params` of a job, as JSON bytes. Default 65536 (64 KiB). */
    MAX_PARAMS_BYTES: integer(2, 65_536),
    /** Submits a user may burst (token bucket size, held in PostgreSQL across gateways). Default 200. */
    SUBMIT_BURST: integer(1, 200),
    /** Submits per second a user's bucket refills with. Default 20. */
    SUBMIT_RATE_PER_SECOND: integer(1, 20),
    /** Most unfinished (QUEUED, RUNNING, RETRYING) jobs one user may have. Default 1000. */
    MAX_UNFINISHED_JOBS: integer(1, 1_000),
    /** Most open WebSockets of one user on one gateway. Default 50. */
    MAX_SOCKETS_PER_USER: integer(1, 50),
    /** Most open WebSockets without a valid token on one gateway (their operations answer UNAUTHENTICATED). Default 1000. */
    MAX_ANONYMOUS_SOCKETS: integer(0, 1_000),
    /** Most open subscriptions on one WebSocket. Default 100. */
    MAX_SUBSCRIPTIONS_PER_SOCKET: integer(1, 100),
    /** Most open subscriptions (WebSocket and SSE) of one user on one gateway. Default 500. */
    MAX_SUBSCRIPTIONS_PER_USER: integer(1, 500),
    /** How long a new WebSocket may take to send connection_init. Default 5000. */
    WS_CONNECTION_INIT_TIMEOUT_MS: integer(100, 5_000),

    /** Longest lifetime a client token may have (exp - iat, or exp - now without iat), in seconds. Default 86400 (a day). */
    JWT_MAX_LIFETIME_SECONDS: integer(60, 86_400),
    /** When set, tokens must carry this `iss`. */
    JWT_ISSUER: z.string().optional(),
    /** When set, tokens must carry this `aud`. */
    JWT_AUDIENCE: z.string().optional(),
    /** When set, RS256/ES256 tokens are checked against this JSON Web Key Set (an identity provider's). */
    JWT_JWKS_URL: z.url({ protocol: /^https?$/, error: "must be an http(s):// URL" }).optional(),

    /** Introspection (and so GraphiQL's docs) for anyone: default true, except in production. */
    GRAPHQL_INTROSPECTION: z.enum(["true", "false"]).optional(),
    /** Origins allowed by CORS, comma-separated (each scheme://host[:port]), or `*`. Default: `*` in development and test, none in production. */
    CORS_ORIGINS: z
      .string()
      .refine((value) => value === "*" || originsIn(value) !== null, "must be * or comma-separated origins, each scheme://host[:port] with no path (null is refused)")
      .optional(),
    /** Serves /metrics on this port instead of the public one (0: any free port). Default: unset. */
    METRICS_PORT: wholeNumber()
      .pipe(z.number().max(65535, "must be at most 65535"))
      .optional(),
    /** When set, /metrics requires `Authorization: Bearer <METRICS_TOKEN>`. */
    METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),

    /** An OpenAI-compatible chat API (its base URL, e.g. https://api.openai.com/v1 or a local server's http://127.0.0.1:11434/v1) that slides.generate and story.generate write with. Unset: development and test serve an offline generator instead (it says so in its output); production leaves the two types out. */
    LLM_BASE_URL: z.url({ protocol: /^https?$/, error: "must be an http(s):// URL" }).optional(),
    /** The key sent to LLM_BASE_URL (`Authorization: Bearer`). Default: none, as a local server needs. */
    LLM_API_KEY: z.string().optional(),
    /** The chat model asked at LLM_BASE_URL. Default gpt-4o-mini. */
    LLM_MODEL: z.string().max(200, "must be at most 200 characters").default("gpt-4o-mini"),
  })
  .transform((env) => ({
    databaseUrl: env.DATABASE_URL,
    rabbitmqUrl: env.RABBITMQ_URL,
    // Production without a secret (JWKS only) verifies no HS256 token at all.
    jwtSecret: env.JWT_SECRET ?? (env.NODE_ENV === "production" ? null : "development-secret-do-not-use-in-production"),
    port: env.PORT,
    role: env.ROLE,
    nodeEnv: env.NODE_ENV,
    startingCredits: env.STARTING_CREDITS ?? (env.NODE_ENV === "development" ? 100 : 0),
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT ?? (env.NODE_ENV === "development" ? "pretty" : "json"),
    databasePoolSize: env.DATABASE_POOL_SIZE,
    databasePreparedStatements: env.DATABASE_PREPARED_STATEMENTS === "true",
    outboxPollMs: env.OUTBOX_POLL_MS,
    streamPollMs: env.STREAM_POLL_MS,
    rabbitmqQueueType: env.RABBITMQ_QUEUE_TYPE,
    /** What a worker process runs by. */
    worker: {
      progressMinIntervalMs: env.PROGRESS_MIN_INTERVAL_MS,
      heartbeatMs: env.HEARTBEAT_MS,
      stalledGraceMs: env.STALLED_GRACE_MS,
      shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
      queueControlsPollMs: env.QUEUE_CONTROLS_POLL_MS,
    },
    webhookRetryDelaysMs: env.WEBHOOK_RETRY_DELAYS_MS ?? standardRetryDelaysMs,
    dataDir: env.DATA_DIR,
    /** The gateway's public base URL without a trailing slash; null: http://localhost:<the port it listens on>. */
    publicUrl: env.PUBLIC_URL?.replace(/\/+$/, "") ?? null,
    artifacts: {
      store: env.ARTIFACT_STORE,
      retentionDays: env.ARTIFACT_RETENTION_DAYS,
      sweepMs: env.ARTIFACT_SWEEP_MS,
      // Production without one is refused at start (loadConfig) on a role that serves links.
      urlSecret: env.ARTIFACT_URL_SECRET ?? (env.NODE_ENV === "production" ? null : "development-artifact-link-secret-do-not-use-in-production"),
    },
    /** The S3-compatible service (ARTIFACT_STORE=s3); null when no bucket is set. */
    s3:
      env.S3_BUCKET === undefined
        ? null
        : {
            bucket: env.S3_BUCKET,
            region: env.S3_REGION,
            endpoint: env.S3_ENDPOINT ?? null,
            forcePathStyle: env.S3_FORCE_PATH_STYLE === undefined ? env.S3_ENDPOINT !== undefined : env.S3_FORCE_PATH_STYLE === "true",
            credentials:
              env.S3_ACCESS_KEY_ID !== undefined && env.S3_SECRET_ACCESS_KEY !== undefined
                ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY }
                : null,
          },
    uploads: {
      store: env.UPLOAD_STORE,
      maxBytes: env.MAX_UPLOAD_BYTES,
      quotaBytes: env.UPLOAD_QUOTA_BYTES,
      allowedTypes: env.UPLOAD_TYPES,
      retentionMs: Math.round(env.UPLOAD_RETENTION_HOURS * 3_600_000),
      sweepMs: env.UPLOAD_SWEEP_MS,
    },
    limits: {
      maxRequestBytes: env.MAX_REQUEST_BYTES,
      maxQueryTokens: env.MAX_QUERY_TOKENS,
      maxQueryDepth: env.MAX_QUERY_DEPTH,
      maxQueryAliases: env.MAX_QUERY_ALIASES,
      maxQueryDirectives: env.MAX_QUERY_DIRECTIVES,
      maxQueryCost: env.MAX_QUERY_COST,
      maxMutationFields: env.MAX_MUTATION_FIELDS,
      maxSubmitBatch: env.MAX_SUBMIT_BATCH,
      maxParamsBytes: env.MAX_PARAMS_BYTES,
      submitBurst: env.SUBMIT_BURST,
      submitRatePerSecond: env.SUBMIT_RATE_PER_SECOND,
      maxUnfinishedJobs: env.MAX_UNFINISHED_JOBS,
      maxSocketsPerUser: env.MAX_SOCKETS_PER_USER,
      maxAnonymousSockets: env.MAX_ANONYMOUS_SOCKETS,
      maxSubscriptionsPerSocket: env.MAX_SUBSCRIPTIONS_PER_SOCKET,
      maxSubscriptionsPerUser: env.MAX_SUBSCRIPTIONS_PER_USER,
      wsConnectionInitTimeoutMs: env.WS_CONNECTION_INIT_TIMEOUT_MS,
    },
    auth: {
      maxTokenLifetimeSeconds: env.JWT_MAX_LIFETIME_SECONDS,
      issuer: env.JWT_ISSUER ?? null,
      audience: env.JWT_AUDIENCE ?? null,
      jwksUrl: env.JWT_JWKS_URL ?? null,
      // Tokens come only from the published development secret (no JWT_SECRET, no identity provider): anyone can make one with `npm run token`.
      usesDevelopmentSecret: env.JWT_SECRET === undefined && env.JWT_JWKS_URL === undefined && env.NODE_ENV !== "production",
    },
    http: {
      introspection: env.GRAPHQL_INTROSPECTION === undefined ? env.NODE_ENV !== "production" : env.GRAPHQL_INTROSPECTION === "true",
      corsOrigins: parseOrigins(env.CORS_ORIGINS, env.NODE_ENV),
      metricsPort: env.METRICS_PORT ?? null,
      metricsToken: env.METRICS_TOKEN ?? null,
    },
    /** The chat API of the LLM job types; null: none configured (an offline generator outside production). */
    llm: env.LLM_BASE_URL === undefined ? null : { baseUrl: env.LLM_BASE_URL, apiKey: env.LLM_API_KEY ?? null, model: env.LLM_MODEL },
  }));

/** `*` (any origin, never with credentials), a list of origins, or none. */
function parseOrigins(value: string | undefined, nodeEnv: string): "*" | string[] {
  if (value === undefined) return nodeEnv === "production" ? [] : "*";
  if (value === "*") return "*";
  return originsIn(value)!;
}

// scheme://host[:port] and nothing else: no credentials, path (not even "/"), query, fragment or wildcard.
const originShape = /^[a-z][a-z\d+.-]*:\/\/[^/?#@*\s]+$/i;

/** The entries of a comma-separated list as browsers send an Origin (lowercase, no default port), or null if one is not an origin. */
function originsIn(list: string): string[] | null {
  const origins: string[] = [];
  for (const entry of list.split(",").map((origin) => origin.trim())) {
    if (entry === "") continue;
    // `null` is the Origin of sandboxed frames and files: allowing it would let any page in.
    if (!originShape.test(entry) || !URL.canParse(entry)) return null;
    const url = new URL(entry);
    origins.push(url.origin !== "null" ? url.origin : `${url.protocol}//${url.host}`);
  }
  return origins;
}

/** The entries of a comma-separated list of content type patterns, lowercase, or null if one is not a pattern. */
function uploadTypesIn(list: string): string[] | null {
  const patterns = list
    .split(",")
    .map((pattern) => pattern.trim().toLowerCase())
    .filter((pattern) => pattern !== "");
  return patterns.length > 0 && patterns.every(isAcceptPattern) ? patterns : null;
}

export type Limits = Config["limits"];

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

/** Reads and checks the environment; throws ConfigError with one line per problem. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty (or blank) variable means "not set", as in most .env tooling.
  const present = Object.fromEntries(
    Object.entries(env)
      .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== "")
      .map(([name, value]) => [name, value.trim()]),
  );
  const parsed = configSchema.safeParse(present);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? "environment");
        // Values are echoed to help, except where they may hold a secret.
        const shown = name.endsWith("_URL") || name.endsWith("_SECRET") || name === "S3_SECRET_ACCESS_KEY" || name === "METRICS_TOKEN" || name === "LLM_API_KEY" ? undefined : present[name];
        return `configuration: ${name} ${issue.message}${shown !== undefined ? ` (got "${shown}")` : ""}`;
      });
  if (present.NODE_ENV === "production" && present.JWT_SECRET === undefined && present.JWT_JWKS_URL === undefined) {
    problems.push("configuration: JWT_SECRET (or JWT_JWKS_URL) is required in production");
  }
  if (present.JWT_JWKS_URL !== undefined && present.JWT_AUDIENCE === undefined) {
    // An identity provider signs tokens for its other applications too: only ours may pass.
    problems.push("configuration: JWT_AUDIENCE is required with JWT_JWKS_URL");
  }
  if (present.NODE_ENV === "production" && present.ARTIFACT_URL_SECRET === undefined && (present.ARTIFACT_STORE ?? "local") === "local" && present.ROLE !== "worker") {
    problems.push("configuration: ARTIFACT_URL_SECRET is required in production (it signs the gateway's artifact links)");
  }
  if (present.ARTIFACT_STORE === "s3" && present.S3_BUCKET === undefined) {
    problems.push("configuration: S3_BUCKET is required with ARTIFACT_STORE=s3");
  }
  if (present.UPLOAD_STORE === "s3" && present.S3_BUCKET === undefined) {
    problems.push("configuration: S3_BUCKET is required with UPLOAD_STORE=s3");
  }
  if ((present.S3_ACCESS_KEY_ID === undefined) !== (present.S3_SECRET_ACCESS_KEY === undefined)) {
    problems.push(`configuration: ${present.S3_ACCESS_KEY_ID === undefined ? "S3_ACCESS_KEY_ID" : "S3_SECRET_ACCESS_KEY"} is required with ${present.S3_ACCESS_KEY_ID === undefined ? "S3_SECRET_ACCESS_KEY" : "S3_ACCESS_KEY_ID"}`);
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return parsed.data;
}
