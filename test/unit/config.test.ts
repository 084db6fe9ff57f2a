import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

/** The problems loadConfig reports for `env`; fails the test if it accepts it. */
function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.message).toBe(configError.problems.join("\n"));
    return configError.problems;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}

const goodSecret = "s".repeat(32);
// Production signs artifact links with a secret of its own (ARTIFACT_URL_SECRET).
const linkSecret = "l".repeat(32);

const defaultLimits = {
  maxRequestBytes: 1_048_576,
  maxQueryTokens: 2_000,
  maxQueryDepth: 10,
  maxQueryAliases: 30,
  maxQueryDirectives: 20,
  maxQueryCost: 5_000,
  maxMutationFields: 5,
  maxSubmitBatch: 100,
  maxParamsBytes: 65_536,
  submitBurst: 200,
  submitRatePerSecond: 20,
  maxUnfinishedJobs: 1_000,
  maxSocketsPerUser: 50,
  maxAnonymousSockets: 1_000,
  maxSubscriptionsPerSocket: 100,
  maxSubscriptionsPerUser: 500,
  wsConnectionInitTimeoutMs: 5_000,
};

describe("loadConfig", () => {
  it("has a default for everything in development", () => {
    expect(loadConfig({})).toEqual({
      databaseUrl: "postgres://postgres:postgres@127.0.0.1:5432/jobgateway",
      rabbitmqUrl: "amqp://guest:guest@127.0.0.1:5672",
      jwtSecret: expect.any(String),
      port: 4000,
      role: "all",
      nodeEnv: "development",
      startingCredits: 100,
      logLevel: "info",
      logFormat: "pretty",
      databasePoolSize: 10,
      databasePreparedStatements: true,
      outboxPollMs: 1_000,
      streamPollMs: 5_000,
      rabbitmqQueueType: "classic",
      worker: { progressMinIntervalMs: 250, heartbeatMs: 5_000, stalledGraceMs: 30_000, shutdownGraceMs: 30_000, queueControlsPollMs: 2_000 },
      webhookRetryDelaysMs: [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000],
      limits: defaultLimits,
      auth: { maxTokenLifetimeSeconds: 86_400, issuer: null, audience: null, jwksUrl: null, usesDevelopmentSecret: true },
      http: { introspection: true, corsOrigins: "*", metricsPort: null, metricsToken: null },
      dataDir: "./data",
      publicUrl: null,
      artifacts: { store: "local", retentionDays: 7, sweepMs: 60_000, urlSecret: expect.any(String) },
      s3: null,
      uploads: {
        store: "local",
        maxBytes: 2_147_483_647,
        quotaBytes: 10 * 1024 ** 3,
        allowedTypes: ["audio/*", "video/*", "image/*", "text/plain", "application/pdf", "application/json"],
        retentionMs: 86_400_000,
        sweepMs: 60_000,
      },
      llm: null,
    });
    expect(loadConfig({}).jwtSecret!.length).toBeGreaterThanOrEqual(32);
  });

  it("reads every variable", () => {
    const config = loadConfig({
      DATABASE_URL: "postgres://app:pw@db:5432/jobs",
      RABBITMQ_URL: "amqp://app:pw@mq:5672/jobs",
      JWT_SECRET: goodSecret,
      PORT: "8080",
      ROLE: "worker",
      NODE_ENV: "test",
      STARTING_CREDITS: "25",
      LOG_LEVEL: "warn",
      LOG_FORMAT: "pretty",
      DATABASE_POOL_SIZE: "3",
      DATABASE_PREPARED_STATEMENTS: "false",
      PROGRESS_MIN_INTERVAL_MS: "0",
      SHUTDOWN_GRACE_MS: "500",
      OUTBOX_POLL_MS: "50",
      HEARTBEAT_MS: "100",
      STREAM_POLL_MS: "250",
      RABBITMQ_QUEUE_TYPE: "quorum",
      STALLED_GRACE_MS: "7000",
      QUEUE_CONTROLS_POLL_MS: "150",
      WEBHOOK_RETRY_DELAYS_MS: "10, 20,30",
    });
    expect(config).toEqual({
      databaseUrl: "postgres://app:pw@db:5432/jobs",
      rabbitmqUrl: "amqp://app:pw@mq:5672/jobs",
      jwtSecret: goodSecret,
      port: 8080,
      role: "worker",
      nodeEnv: "test",
      startingCredits: 25,
      logLevel: "warn",
      logFormat: "pretty",
      databasePoolSize: 3,
      databasePreparedStatements: false,
      outboxPollMs: 50,
      streamPollMs: 250,
      rabbitmqQueueType: "quorum",
      worker: { progressMinIntervalMs: 0, heartbeatMs: 100, stalledGraceMs: 7_000, shutdownGraceMs: 500, queueControlsPollMs: 150 },
      webhookRetryDelaysMs: [10, 20, 30],
      limits: defaultLimits,
      auth: expect.any(Object),
      http: expect.any(Object),
      dataDir: "./data",
      publicUrl: null,
      artifacts: expect.any(Object),
      s3: null,
      uploads: expect.any(Object),
      llm: null,
    });
  });

  it.each(["x", "10,", "1.5", "-5", "10;20"])("refuses WEBHOOK_RETRY_DELAYS_MS=%j", (value) => {
    expect(problemsOf({ WEBHOOK_RETRY_DELAYS_MS: value })).toEqual([expect.stringMatching(/^configuration: WEBHOOK_RETRY_DELAYS_MS must be comma-separated whole numbers/)]);
  });

  it("logs pretty lines in development and JSON elsewhere unless LOG_FORMAT says otherwise", () => {
    expect(loadConfig({ NODE_ENV: "test" }).logFormat).toBe("json");
    expect(loadConfig({ NODE_ENV: "production", ARTIFACT_URL_SECRET: linkSecret, JWT_SECRET: goodSecret }).logFormat).toBe("json");
    expect(loadConfig({ NODE_ENV: "development", LOG_FORMAT: "json" }).logFormat).toBe("json");
    expect(() => loadConfig({ LOG_FORMAT: "xml" })).toThrow(/LOG_FORMAT/);
  });

  it("ignores variables it does not know", () => {
    expect(loadConfig({ HOME: "/root", PATH: "/usr/bin" })).toEqual(loadConfig({}));
  });

  it("treats empty strings and undefined as unset", () => {
    const env = {
      DATABASE_URL: "",
      RABBITMQ_URL: "",
      JWT_SECRET: "",
      PORT: "",
      ROLE: "",
      NODE_ENV: "",
      STARTING_CREDITS: "",
      LOG_LEVEL: "",
      DATABASE_POOL_SIZE: undefined,
      HEARTBEAT_MS: undefined,
    };
    expect(loadConfig(env)).toEqual(loadConfig({}));
  });

  it.each(["0", "1", "65535"])("accepts PORT=%s", (port) => {
    expect(loadConfig({ PORT: port }).port).toBe(Number(port));
  });

  it.each(["abc", "65536", "-1", "80.5"])("rejects PORT=%s with one line naming it", (port) => {
    const problems = problemsOf({ PORT: port });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^configuration: PORT /);
    expect(problems[0]).toContain(`"${port}"`);
  });

  it.each(["all", "gateway", "worker"] as const)("accepts ROLE=%s", (role) => {
    expect(loadConfig({ ROLE: role }).role).toBe(role);
  });

  it.each(["boss", "Worker", "gateway,worker"])("rejects ROLE=%s with one line naming it", (role) => {
    const problems = problemsOf({ ROLE: role });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^configuration: ROLE /);
    expect(problems[0]).toContain(`"${role}"`);
  });

  it.each(["not a url", "postgres://db:99999/jobgateway", "//db:5432/jobgateway"])("rejects DATABASE_URL=%s with one line naming it", (url) => {
    const problems = problemsOf({ DATABASE_URL: url });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^configuration: DATABASE_URL /);
  });

  it("reports every bad variable, one line each", () => {
    const problems = problemsOf({ PORT: "abc", ROLE: "boss", DATABASE_URL: "nope" });
    expect(problems).toHaveLength(3);
    for (const name of ["PORT", "ROLE", "DATABASE_URL"]) {
      expect(problems.filter((line) => line.startsWith(`configuration: ${name} `))).toHaveLength(1);
    }
    for (const line of problems) expect(line).not.toContain("\n");
  });

  it("rejects integers below their minimum", () => {
    expect(problemsOf({ DATABASE_POOL_SIZE: "0" })).toEqual([expect.stringMatching(/^configuration: DATABASE_POOL_SIZE /)]);
    expect(problemsOf({ OUTBOX_POLL_MS: "9" })).toEqual([expect.stringMatching(/^configuration: OUTBOX_POLL_MS /)]);
  });

  it("rejects an unknown NODE_ENV and LOG_LEVEL", () => {
    expect(problemsOf({ NODE_ENV: "staging" })).toEqual([expect.stringMatching(/^configuration: NODE_ENV /)]);
    expect(problemsOf({ LOG_LEVEL: "verbose" })).toEqual([expect.stringMatching(/^configuration: LOG_LEVEL /)]);
  });

  describe("JWT_SECRET", () => {
    it("is required in production", () => {
      const problems = problemsOf({ NODE_ENV: "production", ARTIFACT_URL_SECRET: linkSecret });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^configuration: JWT_SECRET .*required in production/);
    });

    it("is required in production even when set to an empty string", () => {
      expect(problemsOf({ NODE_ENV: "production", ARTIFACT_URL_SECRET: linkSecret, JWT_SECRET: "" })).toEqual([expect.stringMatching(/^configuration: JWT_SECRET /)]);
    });

    it("is taken as given in production", () => {
      expect(loadConfig({ NODE_ENV: "production", ARTIFACT_URL_SECRET: linkSecret, JWT_SECRET: goodSecret }).jwtSecret).toBe(goodSecret);
    });

    it("has a development fallback outside production", () => {
      expect(loadConfig({ NODE_ENV: "development" }).jwtSecret).not.toBe("");
      expect(loadConfig({ NODE_ENV: "test" }).jwtSecret).not.toBe("");
    });

    it("says when tokens come only from the published development secret", () => {
      expect(loadConfig({ NODE_ENV: "development" }).auth.usesDevelopmentSecret).toBe(true);
      expect(loadConfig({ NODE_ENV: "test" }).auth.usesDevelopmentSecret).toBe(true);
      expect(loadConfig({ NODE_ENV: "development", JWT_SECRET: goodSecret }).auth.usesDevelopmentSecret).toBe(false);
      const jwks = { JWT_JWKS_URL: "https://id.example.com/.well-known/jwks.json", JWT_AUDIENCE: "job-gateway" };
      expect(loadConfig({ NODE_ENV: "development", ...jwks }).auth.usesDevelopmentSecret).toBe(false);
      expect(loadConfig({ NODE_ENV: "production", ARTIFACT_URL_SECRET: linkSecret, JWT_SECRET: goodSecret }).auth.usesDevelopmentSecret).toBe(false);
    });

    it.each(["development", "production"])("rejects a short secret in %s without echoing it", (nodeEnv) => {
      const secret = "hunter2-but-longer"; // 18 characters
      let caught: unknown;
      try {
        loadConfig({ NODE_ENV: nodeEnv, JWT_SECRET: secret, ARTIFACT_URL_SECRET: linkSecret });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      const { problems, message, stack } = caught as ConfigError;
      expect(problems).toEqual([expect.stringMatching(/^configuration: JWT_SECRET .*32 characters/)]);
      expect(message).not.toContain(secret);
      expect(stack ?? "").not.toContain(secret);
      expect(JSON.stringify(caught)).not.toContain(secret);
    });

    it("accepts exactly 32 characters", () => {
      expect(loadConfig({ JWT_SECRET: goodSecret }).jwtSecret).toBe(goodSecret);
      expect(problemsOf({ JWT_SECRET: goodSecret.slice(1) })).toHaveLength(1);
    });
  });

  describe("limits and the public surface", () => {
    it("reads each limit", () => {
      const config = loadConfig({ MAX_REQUEST_BYTES: "2048", SUBMIT_BURST: "5", MAX_UNFINISHED_JOBS: "3", MAX_QUERY_COST: "100" });
      expect(config.limits).toMatchObject({ maxRequestBytes: 2048, submitBurst: 5, maxUnfinishedJobs: 3, maxQueryCost: 100 });
    });

    it("rejects a limit that is not a whole number, naming it", () => {
      expect(problemsOf({ SUBMIT_RATE_PER_SECOND: "fast" })).toEqual([expect.stringMatching(/^configuration: SUBMIT_RATE_PER_SECOND /)]);
      expect(problemsOf({ MAX_REQUEST_BYTES: "10" })).toEqual([expect.stringMatching(/^configuration: MAX_REQUEST_BYTES must be at least 1024/)]);
    });

    it("closes introspection and CORS in production unless asked", () => {
      const production = loadConfig({ NODE_ENV: "production", ARTIFACT_URL_SECRET: linkSecret, JWT_SECRET: goodSecret });
      expect(production.http).toEqual({ introspection: false, corsOrigins: [], metricsPort: null, metricsToken: null });
      const opened = loadConfig({
        NODE_ENV: "production", ARTIFACT_URL_SECRET: linkSecret,
        JWT_SECRET: goodSecret,
        GRAPHQL_INTROSPECTION: "true",
        CORS_ORIGINS: "https://app.example.com, https://admin.example.com",
        METRICS_PORT: "9100",
      });
      expect(opened.http).toEqual({
        introspection: true,
        corsOrigins: ["https://app.example.com", "https://admin.example.com"],
        metricsPort: 9100,
        metricsToken: null,
      });
    });

    it("takes CORS_ORIGINS as browsers send an Origin, and refuses null, paths and wildcards with one line naming it", () => {
      expect(loadConfig({ CORS_ORIGINS: "https://App.Example.com:443, http://localhost:5173" }).http.corsOrigins).toEqual([
        "https://app.example.com",
        "http://localhost:5173",
      ]);
      for (const value of ["null", "https://app.example.com/", "https://app.example.com/app", "app.example.com", "https://*.example.com", "https://a.example, null"]) {
        const problems = problemsOf({ CORS_ORIGINS: value });
        expect(problems, value).toHaveLength(1);
        expect(problems[0], value).toMatch(/^configuration: CORS_ORIGINS .*scheme:\/\/host\[:port\]/);
      }
    });

    it("accepts a JWKS URL instead of a secret in production, and then signs nothing with HS256", () => {
      const config = loadConfig({
        NODE_ENV: "production", ARTIFACT_URL_SECRET: linkSecret,
        JWT_JWKS_URL: "https://id.example.com/.well-known/jwks.json",
        JWT_ISSUER: "https://id.example.com/",
        JWT_AUDIENCE: "job-gateway",
      });
      expect(config.jwtSecret).toBeNull();
      expect(config.auth).toMatchObject({ jwksUrl: "https://id.example.com/.well-known/jwks.json", issuer: "https://id.example.com/" });
    });

    it("refuses a JWKS URL without an audience", () => {
      expect(problemsOf({ JWT_JWKS_URL: "https://id.example.com/.well-known/jwks.json" })).toEqual([
        "configuration: JWT_AUDIENCE is required with JWT_JWKS_URL",
      ]);
    });

    it("never echoes the metrics token", () => {
      const problems = problemsOf({ METRICS_TOKEN: "short-secret" });
      expect(problems).toEqual([expect.stringMatching(/^configuration: METRICS_TOKEN /)]);
      expect(problems[0]).not.toContain("short-secret");
    });
  });

  describe("artifacts", () => {
    it("reads the store, retention, sweep, link secret and public URL", () => {
      const config = loadConfig({
        ARTIFACT_STORE: "local",
        DATA_DIR: "/var/lib/jobs",
        ARTIFACT_RETENTION_DAYS: "0.5",
        ARTIFACT_SWEEP_MS: "1000",
        ARTIFACT_URL_SECRET: linkSecret,
        PUBLIC_URL: "https://jobs.example.com/api/",
      });
      expect(config).toMatchObject({
        dataDir: "/var/lib/jobs",
        publicUrl: "https://jobs.example.com/api",
        artifacts: { store: "local", retentionDays: 0.5, sweepMs: 1000, urlSecret: linkSecret },
        s3: null,
      });
    });

    it("reads the S3 settings; path-style by default with an endpoint only", () => {
      const s3 = {
        ARTIFACT_STORE: "s3",
        S3_BUCKET: "job-artifacts",
        S3_REGION: "eu-west-1",
        S3_ACCESS_KEY_ID: "AKIA0000",
        S3_SECRET_ACCESS_KEY: "secret0000",
      };
      expect(loadConfig(s3).s3).toEqual({
        bucket: "job-artifacts",
        region: "eu-west-1",
        endpoint: null,
        forcePathStyle: false,
        credentials: { accessKeyId: "AKIA0000", secretAccessKey: "secret0000" },
      });
      expect(loadConfig({ ...s3, S3_ENDPOINT: "http://127.0.0.1:9000" }).s3).toMatchObject({ endpoint: "http://127.0.0.1:9000", forcePathStyle: true });
      expect(loadConfig({ ...s3, S3_ENDPOINT: "http://127.0.0.1:9000", S3_FORCE_PATH_STYLE: "false" }).s3!.forcePathStyle).toBe(false);
      // No keys: the AWS SDK's own chain (AWS_* variables, an instance role).
      expect(loadConfig({ ARTIFACT_STORE: "s3", S3_BUCKET: "job-artifacts" }).s3).toMatchObject({ region: "us-east-1", credentials: null });
    });

    it("refuses each bad or missing setting with one line naming it, never echoing a secret", () => {
      expect(problemsOf({ ARTIFACT_STORE: "disk" })).toEqual([expect.stringMatching(/^configuration: ARTIFACT_STORE /)]);
      expect(problemsOf({ ARTIFACT_STORE: "s3" })).toEqual(["configuration: S3_BUCKET is required with ARTIFACT_STORE=s3"]);
      expect(problemsOf({ S3_BUCKET: "Not_A_Bucket" })).toEqual([expect.stringMatching(/^configuration: S3_BUCKET must be an S3 bucket name/)]);
      expect(problemsOf({ S3_ENDPOINT: "ftp://files" })).toEqual([expect.stringMatching(/^configuration: S3_ENDPOINT /)]);
      expect(problemsOf({ S3_REGION: "EU West" })).toEqual([expect.stringMatching(/^configuration: S3_REGION /)]);
      expect(problemsOf({ S3_FORCE_PATH_STYLE: "yes" })).toEqual([expect.stringMatching(/^configuration: S3_FORCE_PATH_STYLE /)]);
      expect(problemsOf({ S3_ACCESS_KEY_ID: "AKIA0000" })).toEqual(["configuration: S3_SECRET_ACCESS_KEY is required with S3_ACCESS_KEY_ID"]);
      expect(problemsOf({ S3_SECRET_ACCESS_KEY: "secret0000" })).toEqual(["configuration: S3_ACCESS_KEY_ID is required with S3_SECRET_ACCESS_KEY"]);
      for (const days of ["0", "-1", "a week"]) expect(problemsOf({ ARTIFACT_RETENTION_DAYS: days })).toEqual([expect.stringMatching(/^configuration: ARTIFACT_RETENTION_DAYS /)]);
      expect(problemsOf({ PUBLIC_URL: "https://jobs.example.com/?a=1" })).toEqual([expect.stringMatching(/^configuration: PUBLIC_URL must have no query/)]);
      expect(problemsOf({ PUBLIC_URL: "jobs.example.com" })).toEqual([expect.stringMatching(/^configuration: PUBLIC_URL /)]);
      const short = problemsOf({ ARTIFACT_URL_SECRET: "too-short-secret" });
      expect(short).toEqual([expect.stringMatching(/^configuration: ARTIFACT_URL_SECRET .*32 characters/)]);
      expect(short[0]).not.toContain("too-short-secret");
    });

    it("needs ARTIFACT_URL_SECRET in production where links are signed: a gateway with the local store", () => {
      const production = { NODE_ENV: "production", JWT_SECRET: goodSecret };
      expect(problemsOf(production)).toEqual(["configuration: ARTIFACT_URL_SECRET is required in production (it signs the gateway's artifact links)"]);
      expect(problemsOf({ ...production, ROLE: "gateway" })).toHaveLength(1);
      // A worker signs no link; S3 presigns its own.
      expect(loadConfig({ ...production, ROLE: "worker" }).artifacts.urlSecret).toBeNull();
      expect(loadConfig({ ...production, ARTIFACT_STORE: "s3", S3_BUCKET: "job-artifacts" }).artifacts.urlSecret).toBeNull();
      // Outside production a fixed development secret signs them.
      expect(loadConfig({}).artifacts.urlSecret!.length).toBeGreaterThanOrEqual(32);
    });
  });
});
