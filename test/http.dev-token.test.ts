import { createClient } from "graphql-ws";
import { decodeJwt } from "jose";
import { pino } from "pino";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../src/app.js";
import { makeTokenVerifier } from "../src/auth/token-verifier.js";
import { loadConfig } from "../src/config.js";
import { devTokenIssuer } from "../src/http/routes/dev-token-route.js";
import { exampleOperations, graphiqlDeveloper } from "../src/http/graphql/graphiql-options.js";
import { gql, gqlData, type GraphQLResponse } from "./helpers/graphql-client.js";
import { createTestEnvironment, tokenFor, type TestApp, type TestEnvironment } from "./helpers/test-app.js";

// Apps in several environments, one after another, on one database and vhost.
let env: TestEnvironment;
beforeAll(async () => {
  env = await createTestEnvironment();
});
afterAll(async () => {
  await env?.teardown();
});

// The test environment sets a JWT_SECRET of its own; `JWT_SECRET: ""` (unset) leaves the published development secret.
function useApp(nodeEnv: "development" | "test" | "production", overrides: Record<string, string> = {}) {
  const state = {} as { app: TestApp; base: string; warnings: string[] };
  beforeAll(async () => {
    state.warnings = [];
    const warnings = { write: (line: string) => state.warnings.push(JSON.parse(line).msg) };
    const app = await startApp({ config: env.config({ NODE_ENV: nodeEnv, ...overrides }), log: pino({ level: "warn" }, warnings) });
    state.app = Object.assign(app, { url: `http://127.0.0.1:${app.port}/graphql` });
    state.base = state.app.url.replace(/\/graphql$/, "");
  });
  afterAll(async () => state.app?.stop());
  return state;
}

const postToken = (base: string, body: string, contentType = "application/json") =>
  fetch(`${base}/dev/token`, { method: "POST", headers: { "content-type": contentType }, body });

async function devToken(base: string, request: { subject: string; admin?: boolean }): Promise<string> {
  const response = await postToken(base, JSON.stringify(request));
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

const meQuery = "{ me { balance role } }";

describe("in development on the published development secret", () => {
  const t = useApp("development", { JWT_SECRET: "" });

  it("warns once at startup that anyone who reaches the port can sign in, as an admin too", () => {
    const warnings = t.warnings.filter((msg) => /development sign-in is on/.test(msg));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/anyone who can reach this port can sign in as any user, including an admin/);
  });

  it("says development sign-in is offered", async () => {
    const response = await fetch(`${t.base}/dev/token`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ available: true });
  });

  it("signs a 12-hour token the gateway accepts; a new user starts with 100 credits", async () => {
    const token = await devToken(t.base, { subject: "dev-alice@example.com" });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ sub: "dev-alice@example.com" });
    expect(claims.role).toBeUndefined();
    expect(claims.exp! - claims.iat!).toBe(12 * 60 * 60);
    expect(await gqlData(t.app.url, meQuery, {}, token)).toEqual({ me: { balance: 100, role: "USER" } });
  });

  it("signs an admin token when asked", async () => {
    const token = await devToken(t.base, { subject: "dev-admin", admin: true });
    expect(await gqlData(t.app.url, meQuery, {}, token)).toEqual({ me: { balance: 100, role: "ADMIN" } });
    expect(await gqlData(t.app.url, "{ queueStats { type } }", {}, token)).toMatchObject({ queueStats: expect.any(Array) });
  });

  it.each([
    ["not JSON", "{subject: alice}"],
    ["not an object", JSON.stringify(["alice"])],
    ["no subject", JSON.stringify({ admin: true })],
    ["an empty subject", JSON.stringify({ subject: "" })],
    ["a subject with a space", JSON.stringify({ subject: "alice smith" })],
    ["a subject of 201 characters", JSON.stringify({ subject: "a".repeat(201) })],
    ["a subject that is a number", JSON.stringify({ subject: 42 })],
    ["admin that is not a boolean", JSON.stringify({ subject: "alice", admin: "yes" })],
    ["an unknown key", JSON.stringify({ subject: "alice", role: "admin" })],
  ])("answers 400 with a one-line JSON error to %s", async (_case, body) => {
    const response = await postToken(t.base, body);
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { error: string };
    expect(Object.keys(answer)).toEqual(["error"]);
    expect(answer.error).toMatch(/^[^\n]{10,200}$/);
  });

  it("takes a subject of exactly 200 characters", async () => {
    expect(decodeJwt(await devToken(t.base, { subject: "b".repeat(200) })).sub).toBe("b".repeat(200));
  });

  it("refuses another content type (415), a body over 1 KiB (413) and other methods (405)", async () => {
    expect((await postToken(t.base, JSON.stringify({ subject: "alice" }), "text/plain")).status).toBe(415);
    expect((await postToken(t.base, JSON.stringify({ subject: "alice", padding: "x".repeat(2_000) }))).status).toBe(413);
    const put = await fetch(`${t.base}/dev/token`, { method: "PUT" });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, HEAD, POST");
  });

  it("opens GraphiQL with a fresh admin token for the developer in its Authorization header, and its examples run with it", async () => {
    const before = Math.floor(Date.now() / 1000);
    const html = await (await fetch(t.app.url, { headers: { accept: "text/html" } })).text();
    const token = /Bearer (eyJ[\w-]+\.[\w-]+\.[\w-]+)/.exec(html)?.[1];
    expect(token).toBeDefined();
    const claims = decodeJwt(token!);
    expect(claims).toMatchObject({ sub: graphiqlDeveloper, role: "admin" });
    expect(claims.iat).toBeGreaterThanOrEqual(before);

    const run = (operationName: string, variables: Record<string, unknown> = {}) =>
      fetch(t.app.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: exampleOperations, operationName, variables }),
      }).then((response) => response.json() as Promise<{ data?: any; errors?: unknown[] }>);
    for (const operation of ["Me", "JobTypes", "MyJobs", "QueueStats", "FindUsers"]) {
      expect((await run(operation)).errors, operation).toBeUndefined();
    }
    const submitted = await run("SubmitJob");
    expect(submitted.errors).toBeUndefined();
    expect(submitted.data.submitJob.__typename).toBe("SubmitJobSuccess");
    const id = submitted.data.submitJob.job.id as string;

    const socket = createClient({ url: t.app.url.replace(/^http/, "ws"), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
    try {
      const followed = socket.iterate({ query: exampleOperations, operationName: "FollowJob", variables: { id } });
      const first = (await followed.next()).value as GraphQLResponse;
      await followed.return?.();
      expect(first.errors).toBeUndefined();
      expect(first.data.jobUpdated.id).toBe(id);
    } finally {
      await socket.dispose();
    }
    const me = (await run("Me")).data.me;
    const granted = await run("GrantCredits", { userId: me.id });
    expect(granted.data.grantCredits).toEqual({ subject: graphiqlDeveloper, balance: me.balance + 50 });
    const cancelled = await run("CancelJob", { id });
    expect(cancelled.errors).toBeUndefined();
    expect(cancelled.data.cancelJob.__typename).toMatch(/^(CancelJobSuccess|InvalidJobStateError)$/);
  });
});

describe("in development with a JWT_SECRET of its own", () => {
  const t = useApp("development");

  it("does not warn about development sign-in", () => {
    expect(t.warnings.filter((msg) => /development sign-in/.test(msg))).toEqual([]);
  });

  it("answers 404 on /dev/token, whatever the method", async () => {
    expect((await fetch(`${t.base}/dev/token`)).status).toBe(404);
    expect((await postToken(t.base, JSON.stringify({ subject: "alice", admin: true }))).status).toBe(404);
  });

  it("keeps a placeholder, not a token, in GraphiQL's Authorization header", async () => {
    const html = await (await fetch(t.app.url, { headers: { accept: "text/html" } })).text();
    expect(html).toContain("Bearer <npm run token -- --sub alice>");
    expect(html).not.toMatch(/Bearer eyJ/);
  });
});

describe("in test", () => {
  const t = useApp("test");

  it("answers 404 on /dev/token, whatever the method", async () => {
    expect((await fetch(`${t.base}/dev/token`)).status).toBe(404);
    expect((await postToken(t.base, JSON.stringify({ subject: "alice" }))).status).toBe(404);
  });

  it("keeps a placeholder, not a token, in GraphiQL's Authorization header", async () => {
    const html = await (await fetch(t.app.url, { headers: { accept: "text/html" } })).text();
    expect(html).toContain("Bearer <npm run token -- --sub alice>");
    expect(html).not.toMatch(/Bearer eyJ/);
  });

  it("gives a new user no starting credits", async () => {
    const token = await tokenFor("test-newcomer");
    expect(await gqlData(t.app.url, meQuery, {}, token)).toEqual({ me: { balance: 0, role: "USER" } });
  });
});

describe("in production", () => {
  const t = useApp("production");

  it("answers 404 on /dev/token, whatever the method", async () => {
    expect((await fetch(`${t.base}/dev/token`)).status).toBe(404);
    expect((await postToken(t.base, JSON.stringify({ subject: "alice", admin: true }))).status).toBe(404);
    // Nor does anything else hand out a token: GraphiQL is off.
    const page = await fetch(t.app.url, { headers: { accept: "text/html" } });
    expect(await page.text()).not.toMatch(/Bearer eyJ/);
    expect((await gql(t.app.url, meQuery)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("devTokenIssuer", () => {
  it("exists only in development on the published development secret", () => {
    expect(devTokenIssuer(loadConfig({ NODE_ENV: "development" }))).not.toBeNull();
    expect(devTokenIssuer(loadConfig({}))).not.toBeNull();
    expect(devTokenIssuer(loadConfig({ NODE_ENV: "development", JWT_SECRET: "x".repeat(32) }))).toBeNull();
    const jwks = { JWT_JWKS_URL: "https://id.example.com/.well-known/jwks.json", JWT_AUDIENCE: "jobs" };
    expect(devTokenIssuer(loadConfig({ NODE_ENV: "development", ...jwks }))).toBeNull();
    expect(devTokenIssuer(loadConfig({ NODE_ENV: "test" }))).toBeNull();
    expect(devTokenIssuer(loadConfig({ NODE_ENV: "production", JWT_SECRET: "x".repeat(32), ARTIFACT_URL_SECRET: "l".repeat(32) }))).toBeNull();
  });

  it("signs with the configured issuer and audience, and never past JWT_MAX_LIFETIME_SECONDS", async () => {
    const config = loadConfig({ JWT_ISSUER: "https://issuer.example", JWT_AUDIENCE: "jobs", JWT_MAX_LIFETIME_SECONDS: "3600" });
    const token = await devTokenIssuer(config)!.sign("carol", { admin: true });
    const verify = makeTokenVerifier({ secret: config.jwtSecret, ...config.auth });
    expect(await verify(token)).toMatchObject({ subject: "carol" });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: "https://issuer.example", aud: "jobs", role: "admin" });
    expect(claims.exp! - claims.iat!).toBe(3600);
  });
});
