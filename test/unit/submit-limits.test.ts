import { describe, expect, it } from "vitest";
import { atUnfinishedCap, chargeRefusal, msUntilNextToken, unfinishedRetryAfterMs } from "../../src/domain/submit-limits.js";

const limits = { burst: 200, ratePerSecond: 20, maxUnfinishedJobs: 1_000 };

describe("msUntilNextToken", () => {
  it.each([
    [1, 20, 0],
    [5.5, 20, 0],
    [0, 20, 50],
    [0.5, 20, 25],
    [0, 1, 1_000],
    [0.75, 1, 250],
    [0.9999999, 1, 1],
    [0, 3, 334],
  ])("with %f tokens at %i a second: %i ms", (tokens, rate, expected) => {
    expect(msUntilNextToken(tokens, rate)).toBe(expected);
  });

  it("never says 0 while the bucket is short of a token, never more than a full token's time", () => {
    for (let tokens = 0; tokens < 1; tokens += 0.013) {
      const ms = msUntilNextToken(tokens, 7);
      expect(ms).toBeGreaterThanOrEqual(1);
      expect(ms).toBeLessThanOrEqual(Math.ceil(1000 / 7));
      // Waiting that long is enough: the bucket then holds a whole token.
      expect(tokens + (ms / 1000) * 7).toBeGreaterThanOrEqual(1 - 1e-9);
    }
  });
});

describe("chargeRefusal", () => {
  const fine = { balance: 10, tokens: 3.2 };

  it("finds nothing in the way when each condition holds", () => {
    expect(chargeRefusal(fine, 10, limits)).toBeNull();
    expect(chargeRefusal({ ...fine, tokens: 1 }, 1, limits)).toBeNull();
  });

  it("an empty bucket: rate-limited, with the wait for one token", () => {
    expect(chargeRefusal({ ...fine, tokens: 0.5 }, 1, limits)).toEqual({ kind: "rate-limited", retryAfterMs: 25 });
  });

  it("a balance short of the cost: insufficient-balance, with the balance", () => {
    expect(chargeRefusal({ ...fine, balance: 4 }, 5, limits)).toEqual({ kind: "insufficient-balance", balance: 4 });
  });

  it("names the rate first, then the balance", () => {
    const everything = { balance: 0, tokens: 0 };
    expect(chargeRefusal(everything, 1, limits)?.kind).toBe("rate-limited");
    expect(chargeRefusal({ ...everything, tokens: 1 }, 1, limits)?.kind).toBe("insufficient-balance");
  });
});

describe("atUnfinishedCap", () => {
  it("is too-many-unfinished, with a hint to wait", () => {
    expect(atUnfinishedCap(1_000)).toEqual({ kind: "too-many-unfinished", unfinishedJobs: 1_000, retryAfterMs: unfinishedRetryAfterMs });
  });
});
