import { describe, expect, it } from "vitest";
import { defaultBackoffTiersMs, retryDelayMs } from "../../src/domain/backoff.js";

describe("retryDelayMs", () => {
  const tiers = [100, 500, 2_000] as const;

  it.each([
    [1, 100],
    [2, 500],
    [3, 2_000],
  ])("after failed attempt %i waits the tier at that position (%i ms)", (attempt, expected) => {
    expect(retryDelayMs(tiers, attempt)).toBe(expected);
  });

  it.each([4, 5, 10, 1_000])("after failed attempt %i, past the last tier, reuses the last tier", (attempt) => {
    expect(retryDelayMs(tiers, attempt)).toBe(2_000);
  });

  it.each([0, -1])("treats attempt %i as the first", (attempt) => {
    expect(retryDelayMs(tiers, attempt)).toBe(100);
  });

  it.each([1, 2, 50])("without tiers retries at once (attempt %i → 0 ms)", (attempt) => {
    expect(retryDelayMs([], attempt)).toBe(0);
  });

  it("with a single tier always uses it", () => {
    for (const attempt of [1, 2, 3, 9]) expect(retryDelayMs([750], attempt)).toBe(750);
  });

  it("walks the default tiers in order and stays on the last", () => {
    const delays = Array.from({ length: defaultBackoffTiersMs.length + 2 }, (_, i) => retryDelayMs(defaultBackoffTiersMs, i + 1));
    expect(delays).toEqual([...defaultBackoffTiersMs, defaultBackoffTiersMs.at(-1), defaultBackoffTiersMs.at(-1)]);
  });

  it("default tiers never get shorter", () => {
    for (let i = 1; i < defaultBackoffTiersMs.length; i++) {
      expect(defaultBackoffTiersMs[i]).toBeGreaterThanOrEqual(defaultBackoffTiersMs[i - 1]!);
    }
  });
});
