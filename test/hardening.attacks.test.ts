import { Lexer, Source, TokenKind } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { builtinJobTypes as allJobTypes } from "../src/jobs/builtin.js";
import { aliasedQueryBody, aliasedSubscribeMessage, collectChunks, streamedPost, typenameAliases } from "./helpers/attack-payloads.js";
import type { GraphQLResponse } from "./helpers/graphql-client.js";
import { grant } from "./helpers/ledger.js";
import { startAppProcess, type AppProcess } from "./helpers/processes.js";
import { RawGraphqlWs, sendFragmentedMessage } from "./helpers/raw-graphql-ws.js";
import { duringReadinessWatch, probeReadiness, watchReadiness, type ReadinessReport } from "./helpers/readiness.js";
import { createTestEnvironment, tokenFor, type TestEnvironment } from "./helpers/test-app.js";

// One gateway process in production mode, with the default limits (the
// connection_init timeout aside, shortened to keep the file quick), attacked
// as the issue describes. A gateway without consumers: accepted jobs stay QUEUED.
const connectionInitTimeoutMs = 1_000;
const metricsToken = "metrics-token-0123456789abcdef";
const defaults = loadConfig({}).limits;

const storyCost = allJobTypes.find((type) => type.name === "story.generate")!.cost;
const startingCredits = 1_000;

let env: TestEnvironment;
let gateway: AppProcess;
let fileReadiness: ReturnType<typeof watchReadiness>;

beforeAll(async () => {
  env = await createTestEnvironment();
  gateway = await startAppProcess({
    ...env.env,
    NODE_ENV: "production",
    ROLE: "gateway",
    // story.generate, the paid type these submits use, is served in production only with a chat API
    // configured; a gateway never calls it, so none needs to listen there.
    LLM_BASE_URL: "http://127.0.0.1:9/v1",
    WS_CONNECTION_INIT_TIMEOUT_MS: String(connectionInitTimeoutMs),
    METRICS_TOKEN: metricsToken,
  });
  fileReadiness = watchReadiness(gateway.url);
}, 60_000);

afterAll(async () => {
  await fileReadiness?.stop();
  gateway?.kill("SIGTERM");
  await gateway?.exited;
  await env?.teardown();
});

// ---------------------------------------------------------------------------------------------
// Small tools

interface HttpAnswer {
  status: number;
  body: GraphQLResponse;
  bytes: number;
}

/** A GraphQL POST that must answer within 10 s; the body must be JSON. */
function post(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<HttpAnswer> {
  return postJsonText(JSON.stringify({ query, variables }), token);
}

/** POSTs a JSON body given as text (for bodies JSON.stringify cannot build, nested too deep). */
async function postJsonText(jsonText: string, token?: string): Promise<HttpAnswer> {
  const response = await fetch(gateway.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: jsonText,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  let body: GraphQLResponse;
  try {
    body = JSON.parse(text) as GraphQLResponse;
  } catch {
    throw new Error(`HTTP ${response.status}, not JSON: ${text.slice(0, 300)}`);
  }
  return { status: response.status, body, bytes: Buffer.byteLength(text) };
}

const codes = (answer: { errors?: GraphQLResponse["errors"] }) => (answer.errors ?? []).map((e) => e.extensions?.code);

/** The answer carries an error with `code` (and `extensions.limit` among `limit`), and is no 5xx. */
function expectRefused(answer: HttpAnswer, code: string, limit?: string | string[]) {
  expect(answer.status, JSON.stringify(answer.body).slice(0, 500)).toBeLessThan(500);
  expect(codes(answer.body), JSON.stringify(answer.body).slice(0, 500)).toContain(code);
  if (limit !== undefined) {
    const limits = Array.isArray(limit) ? limit : [limit];
    const error = answer.body.errors!.find((e) => e.extensions?.code === code)!;
    expect(limits, `extensions.limit of ${JSON.stringify(error)}`).toContain(error.extensions?.limit);
  }
}

function expectHeld(readiness: ReadinessReport) {
  expect(readiness.failures, `readiness probes that failed: ${JSON.stringify(readiness.failures)}`).toEqual([]);
  expect(readiness.samples.length).toBeGreaterThan(0);
  expect(readiness.maxMs, "slowest /readyz during the attack (ms)").toBeLessThan(1_000);
}

async function expectAlive() {
  expect(gateway.child.exitCode, `gateway exited:\n${gateway.output.slice(-20).join("\n")}`).toBeNull();
  const probe = await probeReadiness(new URL("/readyz", gateway.url).toString());
  expect(probe.status).toBe(200);
  expect(probe.ms).toBeLessThan(1_000);
}

/** Lexical tokens of a document, as the token limit counts them. */
function tokenCount(query: string): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}

/** What a user's money looks like: balance, ledger sum, charges and jobs. */
async function account(subject: string) {
  const [row] = await env.sql<{ balance: number; ledgerSum: number; charges: number; jobs: number }[]>`
    select u.balance,
      coalesce((select sum(amount) from ledger_entries l where l.user_id = u.id), 0)::int as "ledgerSum",
      (select count(*) from ledger_entries l where l.user_id = u.id and l.kind = 'charge')::int as charges,
      (select count(*) from jobs j where j.user_id = u.id)::int as jobs
    from users u where u.subject = ${subject}`;
  return row ?? { balance: 0, ledgerSum: 0, charges: 0, jobs: 0 };
}

const submitMutation = /* GraphQL */ `
  mutation Submit($input: SubmitJobInput!) {
    submitJob(input: $input) {
      __typename
      ... on SubmitJobSuccess { balance job { id priority params } }
      ... on ValidationError { message issues { path message } }
      ... on RateLimitedError { message retryAfterMs }
      ... on InsufficientBalanceError { message }
    }
  }
`;

async function submit(input: Record<string, unknown>, token: string) {
  const answer = await post(submitMutation, { input }, token);
  expect(answer.status).toBeLessThan(500);
  expect(answer.body.errors, JSON.stringify(answer.body.errors)).toBeUndefined();
  return answer.body.data!.submitJob as {
    __typename: string;
    job?: { id: string; priority: number; params: unknown };
    issues?: { path: string[]; message: string }[];
  };
}

function expectValidationError(result: { __typename: string; issues?: { path: string[] }[] }, path: string[]) {
  expect(result.__typename, JSON.stringify(result)).toBe("ValidationError");
  const paths = result.issues!.map((issue) => issue.path);
  expect(
    paths.some((p) => path.every((part, i) => p[i] === part)),
    `an issue at ${path.join(".")}…; got ${JSON.stringify(paths)}`,
  ).toBe(true);
}

/** Reads the users table, then runs `attack`, then checks that nothing about `subject`'s money moved. */
async function withoutCharge<T>(subject: string, attack: () => Promise<T>): Promise<T> {
  const before = await account(subject);
  const result = await attack();
  const after = await account(subject);
  expect(after).toEqual(before);
  expect(after.balance).toBe(after.ledgerSum);
  return result;
}

// ---------------------------------------------------------------------------------------------

describe("huge payloads are refused by size, before they are parsed", () => {
  it("a ~95 MB subscribe message over WebSocket, sent without a token, closes that socket with 1009 (message too big)", async () => {
    const { result, readiness } = await duringReadinessWatch(gateway.url, async () => {
      const socket = await RawGraphqlWs.open(gateway.url);
      socket.init();
      const sent = await sendFragmentedMessage(socket.socket, aliasedSubscribeMessage(95 * 1024 * 1024));
      const close = await socket.closedWithin(10_000);
      return { sent, close };
    });
    expect(result.close.code).toBe(1009);
    // The gateway stopped listening long before the end of the message.
    expect(result.sent.stoppedEarly).toBe(true);
    expectHeld(readiness);
    await expectAlive();
  });

  it("a 24 MB subscribe message in one frame closes that socket with 1009", async () => {
    const message = await collectChunks(aliasedSubscribeMessage(24 * 1024 * 1024));
    const { result, readiness } = await duringReadinessWatch(gateway.url, async () => {
      const socket = await RawGraphqlWs.open(gateway.url);
      socket.init();
      socket.socket.send(message);
      return socket.closedWithin(10_000);
    });
    expect(result.code).toBe(1009);
    expectHeld(readiness);
    await expectAlive();
  });

  it("a ~95 MB HTTP query, streamed without a length, gets 413 REQUEST_TOO_LARGE before the body ends", async () => {
    const total = 95 * 1024 * 1024;
    const { result, readiness } = await duringReadinessWatch(gateway.url, () => streamedPost(gateway.url, aliasedQueryBody(total)));
    expect(result.status).toBe(413);
    expect(codes(JSON.parse(result.body) as GraphQLResponse)).toEqual(["REQUEST_TOO_LARGE"]);
    expect(result.bytesSent).toBeLessThan(total);
    expectHeld(readiness);
    await expectAlive();
  });

  // Refused from its headers alone, while the client is still sending: a gateway that closes
  // the connection at once (unread body: a TCP reset) loses its own 413 about half the time,
  // and the client sees EPIPE instead. Five tries catch that.
  it("a 24 MB HTTP query with its content-length gets 413 REQUEST_TOO_LARGE, every time (5 tries)", async () => {
    const total = 24 * 1024 * 1024;
    const { result, readiness } = await duringReadinessWatch(gateway.url, async () => {
      const answers = [];
      for (let i = 0; i < 5; i++) answers.push(await streamedPost(gateway.url, aliasedQueryBody(total), { contentLength: total }));
      return answers;
    });
    for (const answer of result) {
      expect(answer.status).toBe(413);
      expect(codes(JSON.parse(answer.body) as GraphQLResponse)).toEqual(["REQUEST_TOO_LARGE"]);
    }
    expectHeld(readiness);
    await expectAlive();
  });

  it("a document just under the body limit is refused as QUERY_TOO_LARGE (tokens), over HTTP and on a socket that stays open", async () => {
    const document = `{${typenameAliases(80_000)}}`.slice(0, 1_000_000 - 50);
    const query = `${document.slice(0, document.lastIndexOf(" "))}}`;
    expect(Buffer.byteLength(query)).toBeLessThan(defaults.maxRequestBytes);
    const { result, readiness } = await duringReadinessWatch(gateway.url, async () => {
      const overHttp = await post(query);
      const socket = await RawGraphqlWs.open(gateway.url);
      await socket.initAndAck();
      socket.subscribe("big", query);
      await socket.waitFor(() => socket.about("big").length > 0, { what: "an answer to the big document" });
      socket.subscribe("small", "{ __typename }");
      await socket.waitFor(() => socket.about("small").some((m) => m.type === "complete"), { what: "the small query to complete" });
      socket.close();
      return { overHttp, overWs: socket.about("big"), small: socket.about("small") };
    });
    expectRefused(result.overHttp, "QUERY_TOO_LARGE");
    expect(result.overWs[0]!.type).toBe("error");
    expect(codes({ errors: result.overWs[0]!.payload })).toContain("QUERY_TOO_LARGE");
    expect(result.small[0]).toMatchObject({ type: "next", payload: { data: { __typename: "Query" } } });
    expectHeld(readiness);
    await expectAlive();
  });
});

describe("cost, aliases and mutation fields are bounded before execution", () => {
  const expensiveJobs = "jobs(first:100){edges{node{queuePosition events(first:1000){seq}}}}";

  it("50 aliases of jobs(first:100){…events(first:1000)} (3.6 KB) are refused as QUERY_TOO_COMPLEX", async () => {
    await grant(env.sql, "costly", 0);
    const token = await tokenFor("costly");
    const aliases = Array.from({ length: 50 }, (_, i) => `j${i}:${expensiveJobs}`).join(" ");
    const query = `{${aliases}}`;
    expect(query.length).toBeGreaterThan(3_000);
    const { result, readiness } = await duringReadinessWatch(gateway.url, () => Promise.all([post(query, {}, token), post(query, {}, token)]));
    for (const answer of result) expectRefused(answer, "QUERY_TOO_COMPLEX", ["aliases", "cost"]);
    expectHeld(readiness);
  });

  it("one such field alone is over the cost budget (lists cost by page size): QUERY_TOO_COMPLEX, limit cost", async () => {
    const token = await tokenFor("costly");
    expectRefused(await post(`{${expensiveJobs}}`, {}, token), "QUERY_TOO_COMPLEX", "cost");
  });

  it("a real client's query of its jobs still runs", async () => {
    const token = await tokenFor("costly");
    const answer = await post("{ me { balance } jobs(first: 20) { edges { node { id status queuePosition events(first: 10) { seq } } } } }", {}, token);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data!.jobs.edges).toEqual([]);
  });

  it("5,000 aliases of jobTypes { paramsSchema } without a token: QUERY_TOO_LARGE and a small answer", async () => {
    const query = `{${Array.from({ length: 5_000 }, (_, i) => `t${i}:jobTypes{paramsSchema}`).join(" ")}}`;
    const { result, readiness } = await duringReadinessWatch(gateway.url, () => post(query));
    expectRefused(result, "QUERY_TOO_LARGE");
    expect(result.body.data ?? null).toBeNull();
    expect(result.bytes).toBeLessThan(10_000);
    expectHeld(readiness);
  });

  it(`${defaults.maxQueryAliases + 1} aliases of jobTypes are refused as QUERY_TOO_COMPLEX, limit aliases`, async () => {
    const query = `{${Array.from({ length: defaults.maxQueryAliases + 1 }, (_, i) => `t${i}:jobTypes{name}`).join(" ")}}`;
    expectRefused(await post(query), "QUERY_TOO_COMPLEX", "aliases");
  });

  it("10,000 aliased submitJob in one mutation are refused before any runs, and nothing is charged", async () => {
    await grant(env.sql, "aliaser", startingCredits);
    const token = await tokenFor("aliaser");
    const field = (i: number) => `s${i}:submitJob(input:{type:"story.generate",params:{prompt:"p${i}"}}){__typename}`;
    const query = `mutation{${Array.from({ length: 10_000 }, (_, i) => field(i)).join(" ")}}`;
    expect(Buffer.byteLength(query)).toBeLessThan(defaults.maxRequestBytes);
    const answer = await withoutCharge("aliaser", async () => {
      const { result, readiness } = await duringReadinessWatch(gateway.url, () => post(query, {}, token));
      expectHeld(readiness);
      return result;
    });
    expectRefused(answer, "QUERY_TOO_LARGE");
    expect(answer.body.data ?? null).toBeNull();
  });

  it(`${defaults.maxMutationFields + 1} aliased submitJob (under every other limit) are QUERY_TOO_COMPLEX, limit mutationFields, and charge nothing`, async () => {
    const token = await tokenFor("aliaser");
    const fields = Array.from(
      { length: defaults.maxMutationFields + 1 },
      (_, i) => `s${i}:submitJob(input:{type:"story.generate",params:{prompt:"p${i}"}}){__typename}`,
    );
    const answer = await withoutCharge("aliaser", () => post(`mutation{${fields.join(" ")}}`, {}, token));
    expectRefused(answer, "QUERY_TOO_COMPLEX", "mutationFields");
    expect(answer.body.data ?? null).toBeNull();
  });
});

describe("deep nesting is refused without a stack overflow", () => {
  const nested = (depth: number) => `{${"a{".repeat(depth)}b${"}".repeat(depth)}}`;

  it("10,000 nested selection sets: QUERY_TOO_LARGE (tokens)", async () => {
    expectRefused(await post(nested(10_000)), "QUERY_TOO_LARGE");
  });

  it("600 nested selection sets (under the token limit): QUERY_TOO_DEEP", async () => {
    expectRefused(await post(nested(600)), "QUERY_TOO_DEEP");
  });

  // The parser recurses once per level and counts tokens as it goes: each of these reaches
  // its deepest level before the token limit, so the stack must hold that deep.
  it.each([
    ["10,000 nested list values in an argument", `{jobs(status:${"[".repeat(10_000)}QUEUED${"]".repeat(10_000)}){edges{node{id}}}}`],
    ["1,990 nested list values in an argument", `{jobs(status:${"[".repeat(1_990)}QUEUED${"]".repeat(1_990)}){edges{node{id}}}}`],
    ["1,999 nested list values in an argument", `{jobs(status:${"[".repeat(1_999)}QUEUED${"]".repeat(1_999)}){edges{node{id}}}}`],
    ["1,990 nested list types in a variable definition", `query($v:${"[".repeat(1_990)}Int${"]".repeat(1_990)}){__typename}`],
    ["990 nested object values in an argument", `{jobs(status:${"{a:".repeat(990)}1${"}".repeat(990)}){edges{node{id}}}}`],
    ["999 nested selection sets", nested(999)],
  ])("%s: QUERY_TOO_LARGE (tokens), no stack overflow", async (_name, query) => {
    const token = await tokenFor("nester");
    expectRefused(await post(query, {}, token), "QUERY_TOO_LARGE");
  });

  // graphql-js's OverlappingFieldsCanBeMerged walks fragment pairs depth-first: a ring with a
  // chord makes that walk thousands of calls deep (150 fragments overflow about half the time).
  it("200 fragments in a ring with one chord (6 KB, under every limit): GRAPHQL_VALIDATION_FAILED, no stack overflow in validation", async () => {
    const count = 200;
    const spreads = (i: number) => (i === 0 ? [1, count / 2] : [(i + 1) % count]);
    const fragments = Array.from({ length: count }, (_, i) => `fragment F${i} on Query{${spreads(i).map((j) => `...F${j}`).join(" ")}}`);
    const query = `{ ...F0 } ${fragments.join(" ")}`;
    expect(tokenCount(query)).toBeLessThan(defaults.maxQueryTokens);
    expectRefused(await post(query), "GRAPHQL_VALIDATION_FAILED");
    await expectAlive();
  });

  it("100,000 nested lists in a variable of jobs(status:): a coded error, no 5xx", async () => {
    const token = await tokenFor("nester");
    // JSON.stringify recurses: build the JSON text by hand.
    const body = `{"query":"query($s:[JobStatus!]){jobs(status:$s){edges{node{id}}}}","variables":{"s":${"[".repeat(100_000)}"QUEUED"${"]".repeat(100_000)}}}`;
    const { status, body: answer } = await postJsonText(body, token);
    expect(status).toBeLessThan(500);
    expect(answer.errors?.length).toBeGreaterThan(0);
    for (const error of answer.errors!) expect(["BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"]).toContain(error.extensions?.code);
    await expectAlive();
  });

  it("params nested 30,000 deep: a ValidationError at input.params, no charge", async () => {
    await grant(env.sql, "nester", startingCredits);
    const token = await tokenFor("nester");
    const depth = 30_000;
    const body = `{"query":${JSON.stringify(submitMutation)},"variables":{"input":{"type":"story.generate","params":{"prompt":${"[".repeat(depth)}"x"${"]".repeat(depth)}}}}}`;
    const result = await withoutCharge("nester", async () => {
      const { status, body: answer } = await postJsonText(body, token);
      expect(status).toBeLessThan(500);
      return answer;
    });
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    expectValidationError(result.data!.submitJob, ["input", "params"]);
    await expectAlive();
  });
});

describe("malformed documents get yoga's codes", () => {
  it.each([
    ["an unterminated string", '{ me { id" } }'],
    ["a NUL byte in the document", "{ me \u0000 { id } }"],
    ["a lone surrogate in a string literal", '{ jobs(type: "\ud800") { edges { node { id } } } }'],
    ["a lone surrogate escape in a string literal", '{ jobs(type: "\\ud800") { edges { node { id } } } }'],
    ["an empty document", ""],
  ])("%s: GRAPHQL_PARSE_FAILED", async (_name, query) => {
    const answer = await post(query);
    expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(500);
    expect(codes(answer.body), JSON.stringify(answer.body)).toEqual(["GRAPHQL_PARSE_FAILED"]);
  });

  it("an unknown field: GRAPHQL_VALIDATION_FAILED", async () => {
    expectRefused(await post("{ nope }"), "GRAPHQL_VALIDATION_FAILED");
  });
});

describe("subscriptions and sockets are capped per socket and per user", () => {
  /** Submits a story job for `subject` (granted enough first), to follow with jobUpdated. */
  async function queuedJob(subject: string): Promise<string> {
    await grant(env.sql, subject, storyCost);
    const result = await submit({ type: "story.generate", params: { prompt: "followed" } }, await tokenFor(subject));
    expect(result.__typename).toBe("SubmitJobSuccess");
    return result.job!.id;
  }

  const tally = (values: string[]) => {
    const counts = new Map<string, number>();
    for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
    return counts;
  };

  const follow = "subscription($id: ID!) { jobUpdated(id: $id) { id status } }";

  /** Each operation's first answer: "next" (accepted: jobUpdated sends the state at once) or an error's code. */
  function outcomes(socket: RawGraphqlWs, ids: string[]): string[] {
    return ids.map((id) => {
      const first = socket.about(id)[0]!;
      if (first.type === "next") return "accepted";
      if (first.type === "error") return String((first.payload as { extensions?: { code?: string } }[])[0]?.extensions?.code);
      return first.type;
    });
  }

  it("5,000 subscriptions on one socket: exactly the per-socket cap is served, the rest get TOO_MANY_SUBSCRIPTIONS, the socket stays open", async () => {
    const jobId = await queuedJob("subscriber");
    const token = await tokenFor("subscriber");
    const socket = await RawGraphqlWs.open(gateway.url);
    const ids = Array.from({ length: 5_000 }, (_, i) => `s${i}`);
    const { readiness } = await duringReadinessWatch(gateway.url, async () => {
      await socket.initAndAck(token);
      for (const id of ids) socket.subscribe(id, follow, { id: jobId });
      await socket.waitFor(() => socket.answered(ids) === ids.length, { timeoutMs: 20_000, what: "an answer to every subscribe" });
    });
    const counted = tally(outcomes(socket, ids));
    expect(counted.get("accepted")).toBe(defaults.maxSubscriptionsPerSocket);
    expect(counted.get("TOO_MANY_SUBSCRIPTIONS")).toBe(ids.length - defaults.maxSubscriptionsPerSocket);
    expect([...counted.keys()].sort()).toEqual(["TOO_MANY_SUBSCRIPTIONS", "accepted"]);
    expect(socket.isOpen).toBe(true);
    expectHeld(readiness);

    // Completing the served ones frees their places on this socket.
    const served = ids.filter((id) => socket.about(id)[0]!.type === "next");
    for (const id of served) socket.send({ id, type: "complete" });
    const again = Array.from({ length: defaults.maxSubscriptionsPerSocket + 1 }, (_, i) => `again${i}`);
    for (const id of again) socket.subscribe(id, follow, { id: jobId });
    await socket.waitFor(() => socket.answered(again) === again.length, { timeoutMs: 10_000, what: "answers after completing" });
    const againCounted = tally(outcomes(socket, again));
    expect(againCounted.get("accepted")).toBe(defaults.maxSubscriptionsPerSocket);
    expect(againCounted.get("TOO_MANY_SUBSCRIPTIONS")).toBe(1);
    socket.close();
    await socket.closed;
    await expectAlive();
  });

  it("a user's subscriptions across sockets stop at the per-user cap with TOO_MANY_SUBSCRIPTIONS", async () => {
    const jobId = await queuedJob("fanout");
    const token = await tokenFor("fanout");
    const socketCount = defaults.maxSubscriptionsPerUser / defaults.maxSubscriptionsPerSocket;
    const sockets = await Promise.all(Array.from({ length: socketCount + 1 }, () => RawGraphqlWs.open(gateway.url)));
    try {
      await Promise.all(sockets.map((socket) => socket.initAndAck(token)));
      const full = sockets.slice(0, socketCount);
      const ids = Array.from({ length: defaults.maxSubscriptionsPerSocket }, (_, i) => `f${i}`);
      for (const socket of full) for (const id of ids) socket.subscribe(id, follow, { id: jobId });
      for (const socket of full) {
        await socket.waitFor(() => socket.answered(ids) === ids.length, { timeoutMs: 15_000, what: "answers on a full socket" });
        expect(outcomes(socket, ids).every((outcome) => outcome === "accepted")).toBe(true);
      }
      const extra = sockets[socketCount]!;
      extra.subscribe("one-too-many", follow, { id: jobId });
      await extra.waitFor(() => extra.about("one-too-many").length > 0, { what: "an answer past the user's cap" });
      expect(outcomes(extra, ["one-too-many"])).toEqual(["TOO_MANY_SUBSCRIPTIONS"]);
      expect(extra.isOpen).toBe(true);
    } finally {
      for (const socket of sockets) socket.close();
      await Promise.all(sockets.map((socket) => socket.closed));
    }
    await expectAlive();
  });

  it("200 sockets of one user: exactly the per-user cap are acknowledged, the rest closed with 4429; a closed one frees a place", async () => {
    const token = await tokenFor("many-sockets");
    await grant(env.sql, "many-sockets", 0);
    const { result: sockets, readiness } = await duringReadinessWatch(gateway.url, async () => {
      const opened = await Promise.all(Array.from({ length: 200 }, () => RawGraphqlWs.open(gateway.url)));
      for (const socket of opened) socket.init(token);
      await Promise.all(
        opened.map((socket) =>
          socket.waitFor(() => socket.messages.some((m) => m.type === "connection_ack"), { what: "ack" }).catch(() => undefined),
        ),
      );
      return opened;
    });
    const refused = sockets.filter((socket) => !socket.isOpen);
    const acked = sockets.filter((socket) => socket.isOpen && socket.messages.some((m) => m.type === "connection_ack"));
    expect(acked.length).toBe(defaults.maxSocketsPerUser);
    expect(refused.length).toBe(200 - defaults.maxSocketsPerUser);
    for (const socket of refused) expect((await socket.closed).code).toBe(4429);
    expectHeld(readiness);

    acked[0]!.close();
    await acked[0]!.closed;
    // The server learns of the close on its own schedule: try again until a deadline.
    const deadline = Date.now() + 3_000;
    let replacement: RawGraphqlWs | null = null;
    while (!replacement && Date.now() < deadline) {
      const candidate = await RawGraphqlWs.open(gateway.url);
      try {
        await candidate.initAndAck(token, 1_000);
        replacement = candidate;
      } catch {
        candidate.terminate();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    expect(replacement, "a new socket acknowledged after one closed").not.toBeNull();
    for (const socket of [...acked, replacement!]) socket.close();
    await Promise.all([...acked, replacement!].map((socket) => socket.closed));
    await expectAlive();
  });

  it("200 sockets that never send connection_init are all closed with 4408 once the timeout passes", async () => {
    const opened = Date.now();
    const sockets = await Promise.all(Array.from({ length: 200 }, () => RawGraphqlWs.open(gateway.url)));
    const closes = await Promise.all(sockets.map((socket) => socket.closed));
    for (const close of closes) {
      expect(close.code).toBe(4408);
      expect(close.at - opened).toBeGreaterThanOrEqual(connectionInitTimeoutMs - 100);
      expect(close.at - opened).toBeLessThan(connectionInitTimeoutMs + 2_000);
    }
    await expectAlive();
  });
});

describe("bad values are refused with a path or BAD_USER_INPUT, never an internal error", () => {
  const subject = "attacker";
  let token: string;
  beforeAll(async () => {
    await grant(env.sql, subject, startingCredits);
    token = await tokenFor(subject);
  });

  it.each([
    ["NUL in a string param", { prompt: "a\u0000b" }, ["input", "params", "prompt"]],
    ["a lone high surrogate in a string param", { prompt: "a\ud800b" }, ["input", "params", "prompt"]],
    ["a lone low surrogate in a string param", { prompt: "\udc00" }, ["input", "params", "prompt"]],
  ])("%s: ValidationError, no charge", async (_name, params, path) => {
    const result = await withoutCharge(subject, () => submit({ type: "story.generate", params }, token));
    expectValidationError(result, path);
  });

  it("NUL written as \\u0000 inside the document's own string literal: ValidationError, no charge", async () => {
    const answer = await withoutCharge(subject, () =>
      post(`mutation{submitJob(input:{type:"story.generate",params:{prompt:"a\\u0000b"}}){__typename ...on ValidationError{issues{path}}}}`, {}, token),
    );
    expect(answer.body.errors).toBeUndefined();
    expectValidationError(answer.body.data!.submitJob, ["input", "params", "prompt"]);
  });

  it.each([
    ["NUL", "key\u0000"],
    ["a lone surrogate", "key\ud800"],
  ])("%s in the idempotency key: ValidationError at input.idempotencyKey, no charge", async (_name, idempotencyKey) => {
    const result = await withoutCharge(subject, () => submit({ type: "story.generate", params: { prompt: "p" }, idempotencyKey }, token));
    expectValidationError(result, ["input", "idempotencyKey"]);
  });

  it("NUL in a string argument outside submitJob (jobs(type:)): BAD_USER_INPUT", async () => {
    expectRefused(await post("query($t: String){ jobs(type: $t) { edges { node { id } } } }", { t: "story\u0000" }, token), "BAD_USER_INPUT");
  });

  it("a GET whose variables are not JSON: 400 BAD_REQUEST, not an internal error", async () => {
    const url = new URL(gateway.url);
    url.searchParams.set("query", "query($n: Int){ __typename }");
    url.searchParams.set("variables", "{not json");
    const response = await fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(5_000) });
    const body = (await response.json()) as GraphQLResponse;
    expect(response.status, JSON.stringify(body)).toBe(400);
    expect(codes(body)).toEqual(["BAD_REQUEST"]);
  });

  it("jobs(status:) with 70,000 items: BAD_USER_INPUT", async () => {
    const statuses = Array.from({ length: 70_000 }, () => "QUEUED");
    const answer = await post("query($s: [JobStatus!]){ jobs(status: $s) { edges { node { id } } } }", { s: statuses }, token);
    expectRefused(answer, "BAD_USER_INPUT");
  });

  it.each([
    ["a date before PostgreSQL's range", `${new Date(-8.64e15).toISOString()}|00000000-0000-4000-8000-000000000000`],
    ["not a date", `yesterday|00000000-0000-4000-8000-000000000000`],
    ["NUL", `\u0000|\u0000`],
  ])("a cursor with %s: BAD_USER_INPUT", async (_name, raw) => {
    const cursor = Buffer.from(raw).toString("base64url");
    expectRefused(await post("query($c: String){ jobs(first: 5, after: $c) { edges { node { id } } } }", { c: cursor }, token), "BAD_USER_INPUT");
  });

  it("jobs(first: -1): BAD_USER_INPUT", async () => {
    expectRefused(await post("{ jobs(first: -1) { edges { node { id } } } }", {}, token), "BAD_USER_INPUT");
  });

  it("priority 9 from a non-admin on a type whose maxUserPriority is lower: ValidationError at input.priority, no charge; an admin may", async () => {
    const type = allJobTypes.find((t) => t.name === "story.generate") as (typeof allJobTypes)[number] & { maxUserPriority?: number };
    expect(type.maxUserPriority, "story.generate declares a maxUserPriority below 9").toBeLessThan(9);
    const result = await withoutCharge(subject, () => submit({ type: "story.generate", params: { prompt: "urgent" }, priority: 9 }, token));
    expectValidationError(result, ["input", "priority"]);

    await grant(env.sql, "operator", storyCost);
    const admin = await submit({ type: "story.generate", params: { prompt: "urgent" }, priority: 9 }, await tokenFor("operator", { admin: true }));
    expect(admin.__typename).toBe("SubmitJobSuccess");
    expect(admin.job!.priority).toBe(9);
  });

  it("an idempotency key reused with other params or another type: ValidationError at input.idempotencyKey; the same again returns the first job, charged once", async () => {
    const before = await account(subject);
    const first = await submit({ type: "story.generate", params: { prompt: "once" }, idempotencyKey: "reused-key" }, token);
    expect(first.__typename).toBe("SubmitJobSuccess");
    const otherParams = await submit({ type: "story.generate", params: { prompt: "twice" }, idempotencyKey: "reused-key" }, token);
    expectValidationError(otherParams, ["input", "idempotencyKey"]);
    const otherType = await submit({ type: "slides.generate", params: { topic: "once" }, idempotencyKey: "reused-key" }, token);
    expectValidationError(otherType, ["input", "idempotencyKey"]);
    const same = await submit({ type: "story.generate", params: { prompt: "once" }, idempotencyKey: "reused-key" }, token);
    expect(same.__typename).toBe("SubmitJobSuccess");
    expect(same.job!.id).toBe(first.job!.id);
    const after = await account(subject);
    expect(after).toEqual({ ...before, balance: before.balance - storyCost, ledgerSum: before.ledgerSum - storyCost, charges: before.charges + 1, jobs: before.jobs + 1 });
  });

  it("afterwards the attacker was charged for exactly its accepted jobs", async () => {
    const after = await account(subject);
    expect(after.jobs).toBe(1);
    expect(after.charges).toBe(1);
    expect(after.balance).toBe(startingCredits - storyCost);
    expect(after.ledgerSum).toBe(after.balance);
  });
});

describe("production surface", () => {
  it("introspection is off (GRAPHQL_INTROSPECTION unset)", async () => {
    const answer = await post("{ __schema { types { name } } }");
    expect(answer.status).toBeLessThan(500);
    expect(answer.body.data?.__schema ?? null).toBeNull();
    expect(codes(answer.body).length).toBeGreaterThan(0);
    for (const code of codes(answer.body)) expect(code).toBeDefined();
  });

  it("CORS does not reflect a foreign origin", async () => {
    const preflight = await fetch(gateway.url, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
      signal: AbortSignal.timeout(5_000),
    });
    expect(preflight.status).toBeLessThan(500);
    expect(preflight.headers.get("access-control-allow-origin")).not.toBe("https://evil.example");
    expect(preflight.headers.get("access-control-allow-credentials")).not.toBe("true");
    const simple = await fetch(gateway.url, {
      method: "POST",
      headers: { origin: "https://evil.example", "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }" }),
      signal: AbortSignal.timeout(5_000),
    });
    expect(simple.headers.get("access-control-allow-origin")).not.toBe("https://evil.example");
  });

  it("the dashboard at / carries CSP, nosniff, frame and referrer headers", async () => {
    const page = await fetch(new URL("/", gateway.url), { signal: AbortSignal.timeout(5_000) });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toEqual(expect.any(String));
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    const framing = `${page.headers.get("x-frame-options") ?? ""} ${page.headers.get("content-security-policy") ?? ""}`;
    expect(framing).toMatch(/DENY|SAMEORIGIN|frame-ancestors/i);
    expect(page.headers.get("referrer-policy")).toEqual(expect.any(String));
  });

  it("/metrics on the public port needs the bearer token", async () => {
    const metricsUrl = new URL("/metrics", gateway.url);
    const anonymous = await fetch(metricsUrl, { signal: AbortSignal.timeout(5_000) });
    expect([401, 403, 404]).toContain(anonymous.status);
    const wrong = await fetch(metricsUrl, { headers: { authorization: "Bearer not-the-token-at-all" }, signal: AbortSignal.timeout(5_000) });
    expect([401, 403, 404]).toContain(wrong.status);
    const allowed = await fetch(metricsUrl, { headers: { authorization: `Bearer ${metricsToken}` }, signal: AbortSignal.timeout(5_000) });
    expect(allowed.status).toBe(200);
  });
});

it("the gateway is alive and /readyz answered 200 within 1 s throughout the file", async () => {
  const report = await fileReadiness.stop();
  expectHeld(report);
  await expectAlive();
});
