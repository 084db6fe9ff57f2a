import { Writable } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { buildSchema, GraphQLError, type ValidationRule } from "graphql";
import { createSchema, createYoga, type Plugin } from "graphql-yoga";
import { pino } from "pino";
import { loadConfig } from "../../src/config.js";
import { callAt } from "../../src/timers/call-at.js";
import { createDocumentCache } from "../../src/http/graphql/document-cache.js";
import { checkDocumentSize, useDocumentSizeLimit } from "../../src/http/graphql/document-size.js";
import { useErrorMasking } from "../../src/http/graphql/error-masking.js";
import { useFragmentCyclesFirst } from "../../src/http/graphql/fragment-cycles-first.js";
import { planMetrics } from "../../src/http/routes/metrics-access.js";
import { useQueryParamsJsonError } from "../../src/http/graphql/query-params-json.js";
import { requestIdFrom } from "../../src/http/request-id.js";
import { createSubscriptionSlots } from "../../src/http/ws/subscription-slots.js";

const codeOf = (fn: () => void) => {
  try {
    fn();
    return null;
  } catch (error) {
    return (error as GraphQLError).extensions?.code;
  }
};

describe("checkDocumentSize", () => {
  it("counts tokens (not comments or blanks) and stops at the limit", () => {
    expect(codeOf(() => checkDocumentSize(`{ a b c } # ${"x".repeat(10_000)}\n${" ".repeat(10_000)}`, 5))).toBeNull();
    expect(codeOf(() => checkDocumentSize("{ a b c d }", 5))).toBe("QUERY_TOO_LARGE");
    // Far over the limit costs no more than the limit.
    expect(codeOf(() => checkDocumentSize(`{ ${"a ".repeat(1_000_000)}}`, 100))).toBe("QUERY_TOO_LARGE");
  });

  it("refuses nesting deeper than 128 under the token limit, without recursing", () => {
    // Braces, parentheses and brackets all count: `{ f(a: [[…]]) }` is levels + 2 deep.
    const nested = (levels: number) => `{ f(a: ${"[".repeat(levels)}1${"]".repeat(levels)}) }`;
    expect(codeOf(() => checkDocumentSize(nested(126), 10_000))).toBeNull();
    expect(codeOf(() => checkDocumentSize(nested(127), 10_000))).toBe("QUERY_TOO_DEEP");
    expect(codeOf(() => checkDocumentSize(nested(100_000), 1_000_000))).toBe("QUERY_TOO_DEEP");
  });

  it("answers the lexer's syntax errors with yoga's GRAPHQL_PARSE_FAILED and status 400", () => {
    for (const document of ['{ a" }', "{ a \u0000 }", '{ a(b: "\ud800") }', '{ a(b: "\\ud800") }']) {
      let thrown: GraphQLError | null = null;
      try {
        checkDocumentSize(document, 100);
      } catch (error) {
        thrown = error as GraphQLError;
      }
      expect(thrown?.message, document).toMatch(/^Syntax Error: /);
      expect(thrown?.extensions, document).toEqual({ code: "GRAPHQL_PARSE_FAILED", http: { spec: true, status: 400 } });
      expect(thrown?.locations).toHaveLength(1);
    }
  });
});

describe("parse and validate guards", () => {
  const schema = buildSchema("type Query { a: String }");
  const recurse = (): number => recurse() + 1;
  // A bug and a runaway recursion in a rule, on the fields named for them.
  const failing: ValidationRule = () => ({
    Field(node) {
      if (node.name.value === "boom") throw new TypeError("a bug in a rule");
      if (node.name.value === "deep") recurse();
    },
  });
  const rules: Plugin = { onValidate: ({ addValidationRule }) => addValidationRule(failing) };

  function yogaWithLog() {
    const lines: Record<string, any>[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(JSON.parse(String(chunk))), done()) });
    const yoga = createYoga<{ requestId: string }>({
      schema,
      logging: false,
      plugins: [useQueryParamsJsonError(), useDocumentSizeLimit(2_000), useFragmentCyclesFirst(), rules, useErrorMasking({ production: true, log: pino(sink) })],
    });
    const post = async (query: string) => {
      const init = { method: "POST", headers: { "content-type": "application/json", accept: "application/graphql-response+json" }, body: JSON.stringify({ query }) };
      const response = await yoga.fetch("http://localhost/graphql", init, { requestId: "req-7" });
      return { status: response.status, body: (await response.json()) as { errors?: { message: string; extensions?: Record<string, unknown> }[] } };
    };
    return { yoga, lines, post };
  }

  it("answers fragments in a cycle with NoFragmentCycles' errors alone, before any rule follows the spreads round", async () => {
    const count = 200;
    const spreads = (i: number) => (i === 0 ? [1, count / 2] : [(i + 1) % count]);
    const query = `{ ...F0 } ${Array.from({ length: count }, (_, i) => `fragment F${i} on Query{${spreads(i).map((j) => `...F${j}`).join(" ")}}`).join(" ")}`;
    const { status, body } = await yogaWithLog().post(query);
    expect(status).toBe(400);
    expect(body.errors!.length).toBeGreaterThan(0);
    for (const error of body.errors!) {
      expect(error.message).toMatch(/^Cannot spread fragment/);
      expect(error.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    }
  });

  it("answers a stack overflow while validating with QUERY_TOO_COMPLEX", async () => {
    const { status, body } = await yogaWithLog().post("{ deep }");
    expect(status).toBe(400);
    expect(body.errors!.map((e) => e.extensions?.code)).toEqual(["QUERY_TOO_COMPLEX"]);
  });

  it("masks an unexpected error while validating with the request id, which the log line carries with the cause", async () => {
    const { post, lines } = yogaWithLog();
    const { status, body } = await post("query Boom { boom }");
    expect(status).toBe(500);
    expect(body.errors).toEqual([{ message: "Unexpected error.", extensions: { code: "INTERNAL_SERVER_ERROR", requestId: "req-7" } }]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, requestId: "req-7", err: { type: "TypeError" } });
  });

  it("answers a GET whose variables or extensions are not JSON with 400 BAD_REQUEST", async () => {
    const { yoga } = yogaWithLog();
    for (const parameter of ["variables", "extensions"]) {
      const url = new URL("http://localhost/graphql");
      url.searchParams.set("query", "{ a }");
      url.searchParams.set(parameter, "{not json");
      const response = await yoga.fetch(url, { headers: { accept: "application/json" } }, { requestId: "req-8" });
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(response.status, parameter).toBe(400);
      expect(body.errors.map((e) => e.extensions.code)).toEqual(["BAD_REQUEST"]);
    }
  });
});

describe("useErrorMasking", () => {
  // As Pothos's errors (PothosValidationError, scope-auth's ForbiddenError): GraphQLError subclasses with a name of their own.
  class ForbiddenError extends GraphQLError {
    constructor() {
      super("not allowed", { extensions: { code: "FORBIDDEN" } });
      this.name = "ForbiddenError";
    }
  }

  it("answers a GraphQLError subclass as thrown, and masks any other error in production", async () => {
    const yoga = createYoga<{ requestId: string }>({
      schema: createSchema({
        typeDefs: "type Query { forbidden: String, broken: String }",
        resolvers: {
          Query: {
            forbidden: () => {
              throw new ForbiddenError();
            },
            broken: () => {
              throw new TypeError("a bug");
            },
          },
        },
      }),
      logging: false,
      plugins: [useErrorMasking({ production: true, log: pino({ level: "silent" }) })],
    });
    const post = async (query: string) => {
      const init = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) };
      const body = (await (await yoga.fetch("http://localhost/graphql", init, { requestId: "req-9" })).json()) as { errors: { message: string; extensions: unknown }[] };
      return body.errors[0];
    };
    expect(await post("{ forbidden }")).toMatchObject({ message: "not allowed", extensions: { code: "FORBIDDEN" } });
    expect(await post("{ broken }")).toMatchObject({ message: "Unexpected error.", extensions: { code: "INTERNAL_SERVER_ERROR", requestId: "req-9" } });
  });
});

describe("createDocumentCache", () => {
  it("keeps documents within a total text budget, least recently used out first, and skips oversized keys", () => {
    const cache = createDocumentCache<number>({ maxEntries: 10, maxTotalChars: 10, maxKeyChars: 6 });
    cache.set("aaaa", 1);
    cache.set("bbbb", 2);
    expect(cache.get("aaaa")).toBe(1);
    cache.set("cccc", 3);
    expect([cache.get("aaaa"), cache.get("bbbb"), cache.get("cccc")]).toEqual([1, undefined, 3]);
    cache.set("ddddddd", 4);
    expect(cache.get("ddddddd")).toBeUndefined();
  });
});

describe("createSubscriptionSlots", () => {
  it("refuses past the per-user cap with TOO_MANY_SUBSCRIPTIONS; a release (once, however often called) frees a slot", () => {
    const slots = createSubscriptionSlots(2);
    const first = slots.acquire("u1");
    slots.acquire("u1");
    expect(codeOf(() => slots.acquire("u1"))).toBe("TOO_MANY_SUBSCRIPTIONS");
    expect(slots.refusal("u2")).toBeNull();
    first();
    first();
    slots.acquire("u1");
    expect(slots.refusal("u1")?.extensions.code).toBe("TOO_MANY_SUBSCRIPTIONS");
  });
});

describe("callAt", () => {
  it("fires at the instant, including beyond setTimeout's 24.8-day range", () => {
    vi.useFakeTimers();
    try {
      const fired: number[] = [];
      const at = new Date(Date.now() + 40 * 24 * 3600 * 1000);
      callAt(at, () => fired.push(Date.now()));
      vi.advanceTimersByTime(30 * 24 * 3600 * 1000);
      expect(fired).toEqual([]);
      vi.advanceTimersByTime(10 * 24 * 3600 * 1000);
      expect(fired).toEqual([at.getTime()]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("planMetrics", () => {
  const http = (env: Record<string, string>) => loadConfig({ JWT_SECRET: "x".repeat(32), ARTIFACT_URL_SECRET: "l".repeat(32), ...env }).http;

  it("serves /metrics on its own port when METRICS_PORT is set, else on the public port behind METRICS_TOKEN", () => {
    expect(planMetrics(http({ METRICS_PORT: "9100" }), true)).toEqual({ publicPort: null, separate: { port: 9100, token: null }, warning: null });
    expect(planMetrics(http({ METRICS_TOKEN: "t".repeat(16) }), true)).toEqual({ publicPort: { token: "t".repeat(16) }, separate: null, warning: null });
  });

  it("with neither: open outside production, off (with a warning) in production", () => {
    expect(planMetrics(http({}), false)).toEqual({ publicPort: { token: null }, separate: null, warning: null });
    const production = planMetrics(http({ NODE_ENV: "production" }), true);
    expect(production.publicPort).toBeNull();
    expect(production.warning).toMatch(/METRICS_PORT.*METRICS_TOKEN/);
  });
});

describe("requestIdFrom", () => {
  it("keeps a sane id and replaces anything else with a UUID", () => {
    expect(requestIdFrom("abc-123_X")).toBe("abc-123_X");
    for (const bad of [undefined, "", "x".repeat(101), "a b", "a\nb", ["a", "b"]]) {
      expect(requestIdFrom(bad)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
