import { z } from "zod";

const roles = ["all", "gateway", "worker"] as const;
export type Role = (typeof roles)[number];

const integer = (min: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
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
    /** HTTP port: GraphQL and the progress page on a gateway, health and metrics on a worker. Default 4000. */
    PORT: integer(0, 4000).pipe(z.number().max(65535, "must be at most 65535")),
    /** Which parts this process runs: all (default), gateway or worker. */
    ROLE: z.enum(roles).default("all"),
    /** development (default), test or production; production hides GraphiQL, demo jobs and error details. */
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    /** Credits a user gets when first seen. Default 0. */
    STARTING_CREDITS: integer(0, 0),
    /** pino level: fatal, error, warn, info (default), debug, trace, silent. */
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** Connections in this process's PostgreSQL pool. Default 10. */
    DATABASE_POOL_SIZE: integer(1, 10),
    /** Least milliseconds between two progress writes of one job. Default 250. */
    PROGRESS_MIN_INTERVAL_MS: integer(0, 250),
    /** How long a stopping worker lets running jobs finish before handing them back. Default 30000. */
    SHUTDOWN_GRACE_MS: integer(0, 30_000),
    /** How often the outbox relay looks for jobs not yet confirmed by RabbitMQ. Default 1000. */
    OUTBOX_POLL_MS: integer(10, 1_000),
    /** How often a worker records that its running jobs are alive. Default 5000. */
    HEARTBEAT_MS: integer(10, 5_000),
    /** Extra time past a type's timeout before a RUNNING job without heartbeat counts as stalled. Default 30000. */
    STALLED_GRACE_MS: integer(0, 30_000),
  })
  .transform((env) => ({
    databaseUrl: env.DATABASE_URL,
    rabbitmqUrl: env.RABBITMQ_URL,
    // Production without a secret is refused by loadConfig.
    jwtSecret: env.JWT_SECRET ?? "development-secret-do-not-use-in-production",
    port: env.PORT,
    role: env.ROLE,
    nodeEnv: env.NODE_ENV,
    startingCredits: env.STARTING_CREDITS,
    logLevel: env.LOG_LEVEL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    progressMinIntervalMs: env.PROGRESS_MIN_INTERVAL_MS,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    outboxPollMs: env.OUTBOX_POLL_MS,
    heartbeatMs: env.HEARTBEAT_MS,
    stalledGraceMs: env.STALLED_GRACE_MS,
  }));

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
        const shown = name.endsWith("_URL") || name === "JWT_SECRET" ? undefined : present[name];
        return `configuration: ${name} ${issue.message}${shown !== undefined ? ` (got "${shown}")` : ""}`;
      });
  if (present.NODE_ENV === "production" && present.JWT_SECRET === undefined) {
    problems.push("configuration: JWT_SECRET is required in production");
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return parsed.data;
}
