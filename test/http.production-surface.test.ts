import { Writable } from "node:stream";
import { getIntrospectionQuery } from "graphql";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type App } from "../src/app.js";
import { gql, type GraphQLResponse } from "./helpers/graphql-client.js";
import { RawGraphqlWs } from "./helpers/raw-graphql-ws.js";
import { createTestEnvironment, tokenFor, type TestEnvironment } from "./helpers/test-app.js";

// Several apps, one after another, on one database and vhost: each shows one configuration.
let env: TestEnvironment;
beforeAll(async () => {
  env = await createTestEnvironment();
});
afterAll(async () => {
  await env?.teardown();
});

const metricsToken = "metrics-token-0123456789abcdef";

/** An app with `overrides`, its log lines kept (JSON, warn and above unless LOG_LEVEL says otherwise). */
async function startLoggedApp(overrides: Record<string, string>) {
  const lines: Record<string, any>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const config = env.config({ LOG_LEVEL: "warn", ...overrides });
  const app = await startApp({ config, log: pino({ level: config.logLevel }, sink) });
  return { app, lines, base: `http://127.0.0.1:${app.port}`, url: `http://127.0.0.1:${app.port}/graphql` };
}

function useApp(overrides: Record<string, string>) {
  const state = {} as Awaited<ReturnType<typeof startLoggedApp>>;
  beforeAll(async () => Object.assign(state, await startLoggedApp(overrides)));
  afterAll(async () => state.app?.stop());
  return state;
}

const introspection = getIntrospectionQuery();
const codes = (result: GraphQLResponse) => (result.errors ?? []).map((e) => e.extensions?.code);

async function post(url: string, query: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query }) });
  return { response, body: (await response.json()) as GraphQLResponse };
}

/** Breaks provisioning for a moment: any authenticated request then fails unexpectedly (a database error). */
async function withUsersTableGone<T>(fn: () => Promise<T>): Promise<T> {
  await env.sql`alter table users rename to users_gone`;
  try {
    return await fn();
  } finally {
    await env.sql`alter table users_gone rename to users`;
  }
}

describe("production with no metrics settings", () => {
  const t = useApp({ NODE_ENV: "production" });

  it("refuses introspection, over HTTP and graphql-ws", async () => {
    const overHttp = await gql(t.url, introspection);
    expect(codes(overHttp)).toContain("GRAPHQL_VALIDATION_FAILED");
    expect(overHttp.data ?? null).toBeNull();
    const socket = await RawGraphqlWs.open(t.url);
    await socket.initAndAck();
    socket.subscribe("i", "{ __type(name: \"Job\") { name } }");
    await socket.waitFor(() => socket.about("i").length > 0);
    expect(socket.about("i")[0]).toMatchObject({ type: "error" });
    socket.close();
    // Ordinary queries still answer.
    expect(await gql(t.url, "{ __typename }")).toEqual({ data: { __typename: "Query" } });
  });

  it("sends no CORS header to any origin", async () => {
    const { response } = await post(t.url, "{ __typename }", { origin: "https://evil.example" });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("serves the dashboard at / with a CSP that allows only its own script and styles, its own origin's HTTP and WebSocket (and PUBLIC_URL's for files), and frame, referrer and nosniff headers", async () => {
    const response = await fetch(`${t.base}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await response.text();
    expect(html).toMatch(/<script type="module" src="\/assets\/dashboard-\w+\.js"><\/script>/);
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    const csp = response.headers.get("content-security-policy")!;
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self';");
    // Its own origin's HTTP and WebSocket, and PUBLIC_URL's (uploads and artifact links; unset: http://localhost:<port>).
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${t.app.port} wss://127.0.0.1:${t.app.port} http://localhost:${t.app.port};`);
    expect(csp).toContain(`media-src 'self' http://localhost:${t.app.port};`);
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("sends nosniff and a request id on GraphQL and ops answers too", async () => {
    for (const response of [(await post(t.url, "{ __typename }")).response, await fetch(`${t.base}/healthz`)]) {
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("x-request-id")).toMatch(/^[\w-]+$/);
    }
  });

  it("answers /metrics with 404 on the public port, and said once at start-up how to enable it", async () => {
    expect((await fetch(`${t.base}/metrics`)).status).toBe(404);
    const warnings = t.lines.filter((line) => line.level === 40 && /metrics/i.test(line.msg));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toMatch(/METRICS_PORT/);
    expect(warnings[0]!.msg).toMatch(/METRICS_TOKEN/);
    expect(t.app.metricsPort).toBeNull();
  });

  it("masks an unexpected error: 'Unexpected error.', INTERNAL_SERVER_ERROR and the request id, which the error log line carries with the cause", async () => {
    const token = await tokenFor("unlucky");
    const { response, body } = await withUsersTableGone(() =>
      post(t.url, "query Me { me { id balance } }", { authorization: `Bearer ${token}`, "x-request-id": "req-42_abc" }),
    );
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get("x-request-id")).toBe("req-42_abc");
    expect(body.errors).toEqual([{ message: "Unexpected error.", locations: expect.any(Array), path: ["me"], extensions: { code: "INTERNAL_SERVER_ERROR", requestId: "req-42_abc" } }]);
    expect(JSON.stringify(body)).not.toMatch(/users|relation|select/i);
    const logged = t.lines.filter((line) => line.level === 50 && line.requestId === "req-42_abc");
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ operationName: "Me", path: ["me"] });
    expect(logged[0]!.err.message).toMatch(/users/);
    expect(logged[0]!.err.stack).toBeTruthy();
  });

  it("closes a WebSocket whose token could not be checked (a database error) with 1013 (try again later), rather than keep it unauthenticated", async () => {
    const token = await tokenFor("unlucky-socket");
    const close = await withUsersTableGone(async () => {
      const socket = await RawGraphqlWs.open(t.url);
      socket.init(token);
      return socket.closedWithin(5_000);
    });
    expect(close).toMatchObject({ code: 1013, reason: "Try again later" });
    expect(t.lines.filter((line) => line.level === 50 && /WebSocket's token/.test(line.msg))).toHaveLength(1);
  });

  it("replaces an x-request-id that is too long or has odd characters with a UUID", async () => {
    for (const sent of ["x".repeat(101), "has spaces", "semi;colon"]) {
      const { response } = await post(t.url, "{ __typename }", { "x-request-id": sent });
      expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });
});

describe("production with METRICS_TOKEN, CORS_ORIGINS and GRAPHQL_INTROSPECTION=true", () => {
  const t = useApp({ NODE_ENV: "production", METRICS_TOKEN: metricsToken, CORS_ORIGINS: "https://app.example, https://admin.example", GRAPHQL_INTROSPECTION: "true" });

  it("serves /metrics on the public port only with the bearer token (401 otherwise), and warns about nothing", async () => {
    expect((await fetch(`${t.base}/metrics`)).status).toBe(401);
    expect((await fetch(`${t.base}/metrics`, { headers: { authorization: "Bearer wrong-token-0123456789" } })).status).toBe(401);
    const allowed = await fetch(`${t.base}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain("jobgw_subscriptions_active");
    expect(t.lines.filter((line) => /metrics/i.test(line.msg ?? ""))).toEqual([]);
  });

  it("lets the listed origins in with credentials, and no other; every answer varies by Origin", async () => {
    const listed = (await post(t.url, "{ __typename }", { origin: "https://admin.example" })).response;
    expect(listed.headers.get("access-control-allow-origin")).toBe("https://admin.example");
    expect(listed.headers.get("access-control-allow-credentials")).toBe("true");
    const preflight = await fetch(t.url, {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type, authorization" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://app.example");
    const other = (await post(t.url, "{ __typename }", { origin: "https://evil.example" })).response;
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    expect(other.headers.get("access-control-allow-credentials")).toBeNull();
    // Caches must not hand one origin's answer to another (yoga leaves Vary out for one listed origin).
    const withoutOrigin = (await post(t.url, "{ __typename }")).response;
    for (const response of [listed, preflight, other, withoutOrigin]) expect(response.headers.get("vary")).toMatch(/\bOrigin\b/);
  });

  it("answers introspection", async () => {
    const result = await gql(t.url, introspection);
    expect(result.errors).toBeUndefined();
    expect(result.data.__schema.queryType.name).toBe("Query");
  });
});

describe("METRICS_PORT", () => {
  const t = useApp({ NODE_ENV: "production", METRICS_PORT: "0", METRICS_TOKEN: metricsToken });

  it("serves /metrics on its own port (behind the token when one is set), and not on the public one", async () => {
    expect(t.app.metricsPort).toEqual(expect.any(Number));
    const metricsBase = `http://127.0.0.1:${t.app.metricsPort}`;
    expect((await fetch(`${t.base}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).status).toBe(404);
    expect((await fetch(`${metricsBase}/metrics`)).status).toBe(401);
    expect((await fetch(`${metricsBase}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).status).toBe(200);
    expect((await fetch(`${metricsBase}/graphql`)).status).toBe(404);
    expect((await fetch(`${t.base}/healthz`)).status).toBe(200);
  });
});

describe("a production worker's probe server", () => {
  it("follows the same /metrics rules: 404 and a warning without settings, 401/200 with a token", async () => {
    const bare = await startLoggedApp({ NODE_ENV: "production", ROLE: "worker" });
    try {
      expect((await fetch(`${bare.base}/metrics`)).status).toBe(404);
      expect((await fetch(`${bare.base}/healthz`)).status).toBe(200);
      expect(bare.lines.filter((line) => line.level === 40 && /METRICS_PORT/.test(line.msg))).toHaveLength(1);
    } finally {
      await bare.app.stop();
    }
    const guarded = await startLoggedApp({ NODE_ENV: "production", ROLE: "worker", METRICS_TOKEN: metricsToken });
    try {
      expect((await fetch(`${guarded.base}/metrics`)).status).toBe(401);
      expect((await fetch(`${guarded.base}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).status).toBe(200);
    } finally {
      await guarded.app.stop();
    }
  });
});

describe("outside production", () => {
  const t = useApp({ NODE_ENV: "test" });

  it("answers GraphiQL's introspection query under the default limits", async () => {
    const full = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true });
    const result = await gql(t.url, full);
    expect(result.errors).toBeUndefined();
    expect(result.data.__schema.types.length).toBeGreaterThan(10);
  });

  it("serves GraphiQL from the gateway itself: its page loads nothing from another host", async () => {
    const response = await fetch(t.url, { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("<title>Job gateway</title>");
    const loaded = [...html.matchAll(/<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(https?:|\/\/)/gi)].map((m) => m[0]);
    expect(loaded).toEqual([]);
    expect(html).not.toMatch(/unpkg\.com|jsdelivr\.net|cdnjs/);
  });

  it("lets any origin read answers, without credentials", async () => {
    const { response } = await post(t.url, "{ __typename }", { origin: "https://anywhere.example" });
    expect(response.headers.get("access-control-allow-origin")).toBe("https://anywhere.example");
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("keeps an unexpected error's details but adds INTERNAL_SERVER_ERROR and the request id, and logs it", async () => {
    const token = await tokenFor("unlucky-dev");
    const { response, body } = await withUsersTableGone(() => post(t.url, "query Me { me { id } }", { authorization: `Bearer ${token}` }));
    const requestId = response.headers.get("x-request-id");
    expect(body.errors?.[0]?.message).toMatch(/users/);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: "INTERNAL_SERVER_ERROR", requestId });
    expect(t.lines.filter((line) => line.level === 50 && line.requestId === requestId)).toHaveLength(1);
  });

  it("serves /metrics openly", async () => {
    expect((await fetch(`${t.base}/metrics`)).status).toBe(200);
  });
});
