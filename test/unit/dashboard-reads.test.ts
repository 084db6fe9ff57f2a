import { afterEach, describe, expect, it, vi } from "vitest";
import { GraphQLRequestError } from "../../src/web/dashboard/api/graphql-http.js";
import type { LiveClient, LiveHandlers } from "../../src/web/dashboard/api/live-client.js";
import { maxRetryDelayMs, retryDelayMs } from "../../src/web/dashboard/api/retry-delay.js";
import { subscribeRetrying } from "../../src/web/dashboard/api/retrying-subscription.js";
import type { TypedDocumentString } from "../../src/web/dashboard/gql/graphql.js";
import { createListReads } from "../../src/web/dashboard/jobs/list-reads.js";
import { createSequencedReads } from "../../src/web/dashboard/sequenced-reads.js";

/** A promise with its resolve and reject, to answer reads in the order a test chooses. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("retryDelayMs", () => {
  it("doubles from 1 s, stops at 30 s, and adds under 1 s of jitter", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 40].map((n) => retryDelayMs(n, () => 0))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(retryDelayMs(100, () => 0.999)).toBe(maxRetryDelayMs + 999);
    expect(retryDelayMs(0, () => 0.5)).toBe(1_500);
  });
});

describe("list reads", () => {
  it("drops a refresh answered after a later read's answer was applied, and every read asked before a reset", () => {
    const reads = createListReads();
    const slowRefresh = reads.begin("refresh");
    const more = reads.begin("more");
    expect(reads.mayApply(more, "more")).toBe(true);
    reads.applied(more);
    // The refresh read the first rows before the page was appended: applying it would go back.
    expect(reads.mayApply(slowRefresh, "refresh")).toBe(false);

    const refresh = reads.begin("refresh");
    const olderMore = reads.begin("more");
    reads.applied(refresh);
    // A page may still follow a refresh (the caller checks it still continues the list).
    expect(reads.mayApply(olderMore, "more")).toBe(true);

    const beforeReset = reads.begin("refresh");
    const reset = reads.begin("reset");
    expect(reads.mayApply(beforeReset, "refresh")).toBe(false);
    expect(reads.isCurrent(beforeReset)).toBe(false);
    expect(reads.mayApply(olderMore, "more")).toBe(false);
    expect(reads.mayApply(reset, "reset")).toBe(true);
    expect(reads.isCurrent(reset)).toBe(true);
  });
});

describe("sequenced reads (the balance)", () => {
  function setUp() {
    const asked: ReturnType<typeof deferred<number>>[] = [];
    const applied: number[] = [];
    const reads = createSequencedReads(
      () => {
        const read = deferred<number>();
        asked.push(read);
        return read.promise;
      },
      (value) => applied.push(value),
      () => applied.push(-1),
    );
    return { asked, applied, reads };
  }

  it("reads one at a time, and once more after a read that a refresh came during", async () => {
    const { asked, applied, reads } = setUp();
    reads.refresh();
    reads.refresh();
    reads.refresh();
    expect(asked).toHaveLength(1);
    asked[0]!.resolve(10);
    await settle();
    expect(applied).toEqual([10]);
    expect(asked).toHaveLength(2);
    asked[1]!.resolve(11);
    await settle();
    expect(applied).toEqual([10, 11]);
    expect(asked).toHaveLength(2);
  });

  it("a mutation's balance drops the read in flight, and one more read follows it", async () => {
    const { asked, applied, reads } = setUp();
    reads.refresh();
    // The mutation answered 5 while a read, begun before it, was in flight (it will answer the older 6).
    reads.supersede();
    asked[0]!.resolve(6);
    await settle();
    expect(applied).toEqual([]);
    expect(asked).toHaveLength(2);
    asked[1]!.resolve(5);
    await settle();
    expect(applied).toEqual([5]);
  });
});

describe("subscribeRetrying", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  const document = "subscription { x }" as unknown as TypedDocumentString<{ x: number }, Record<string, never>>;

  function fakeLive() {
    const subscriptions: { handlers: LiveHandlers<{ x: number }>; stopped: boolean }[] = [];
    const live: LiveClient = {
      subscribe: (_document, _variables, handlers) => {
        const entry = { handlers: handlers as unknown as LiveHandlers<{ x: number }>, stopped: false };
        subscriptions.push(entry);
        return () => void (entry.stopped = true);
      },
      onState: () => () => {},
      dispose: () => {},
    };
    return { live, subscriptions };
  }

  it("subscribes again after a failure with a growing, capped wait, reports recovery once, and never retries a refused token", () => {
    vi.useFakeTimers();
    vi.spyOn(Math, "random").mockReturnValue(0);
    const { live, subscriptions } = fakeLive();
    const seen: string[] = [];
    const stop = subscribeRetrying(
      live,
      document,
      {},
      {
        next: ({ x }) => seen.push(`next ${x}`),
        unauthenticated: () => seen.push("refused"),
        interrupted: (err, delay) => seen.push(`interrupted ${err.message} ${delay}`),
        resubscribed: () => seen.push("resubscribed"),
        recovered: () => seen.push("recovered"),
      },
      { endsByItself: false },
    );
    subscriptions[0]!.handlers.error!(new GraphQLRequestError("db down", ["INTERNAL_SERVER_ERROR"]));
    vi.advanceTimersByTime(999);
    expect(subscriptions).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(subscriptions).toHaveLength(2);
    // Ended by the gateway though it never ends by itself: a failure too, waited for longer.
    subscriptions[1]!.handlers.complete!();
    vi.advanceTimersByTime(2_000);
    subscriptions[2]!.handlers.next({ x: 1 });
    subscriptions[2]!.handlers.next({ x: 2 });
    // A late item of a stream given up on is ignored.
    subscriptions[0]!.handlers.next({ x: 0 });
    subscriptions[2]!.handlers.error!(new GraphQLRequestError("token expired", ["UNAUTHENTICATED"]));
    vi.advanceTimersByTime(60_000);
    expect(subscriptions).toHaveLength(3);
    expect(seen).toEqual([
      "interrupted db down 1000",
      "resubscribed",
      "interrupted the gateway ended the stream 2000",
      "resubscribed",
      "recovered",
      "next 1",
      "next 2",
      "refused",
    ]);
    stop();
    expect(subscriptions.every((s) => s.stopped)).toBe(true);
  });

  it("a confirm from the caller counts as recovery for a quiet stream, and a stop cancels the wait", () => {
    vi.useFakeTimers();
    const { live, subscriptions } = fakeLive();
    const seen: string[] = [];
    let confirm = () => {};
    const stop = subscribeRetrying(
      live,
      document,
      {},
      {
        next: () => seen.push("next"),
        unauthenticated: () => seen.push("refused"),
        interrupted: () => seen.push("interrupted"),
        resubscribed: (c) => (confirm = c),
        recovered: () => seen.push("recovered"),
      },
      { endsByItself: false },
    );
    subscriptions[0]!.handlers.error!(new GraphQLRequestError("boom", []));
    vi.advanceTimersByTime(maxRetryDelayMs + 1_000);
    confirm();
    confirm();
    expect(seen).toEqual(["interrupted", "recovered"]);
    subscriptions[1]!.handlers.error!(new GraphQLRequestError("boom", []));
    stop();
    vi.advanceTimersByTime(maxRetryDelayMs + 1_000);
    expect(subscriptions).toHaveLength(2);
  });
});
