import { describe, expect, it, vi } from "vitest";
import { GraphQLError } from "graphql";
import { loadConfig } from "../../src/config.js";
import { callAt } from "../../src/domain/call-at.js";
import { createDocumentCache } from "../../src/http/document-cache.js";
import { checkDocumentSize } from "../../src/http/document-size.js";
import { planMetrics } from "../../src/http/metrics-access.js";
import { requestIdFrom } from "../../src/http/request-id.js";
import { createSubscriptionSlots } from "../../src/schema/subscription-slots.js";

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
  const http = (env: Record<string, string>) => loadConfig({ JWT_SECRET: "x".repeat(32), ...env }).http;

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
