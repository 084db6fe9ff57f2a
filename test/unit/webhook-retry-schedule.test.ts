import { describe, expect, it } from "vitest";
import { isAccepted, standardRetryDelaysMs, tryOutcome } from "../../src/webhooks/retry-schedule.js";

describe("webhook retry schedule", () => {
  it("is Standard Webhooks': 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, over more than a day", () => {
    expect(standardRetryDelaysMs).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(standardRetryDelaysMs.reduce((sum, delay) => sum + delay, 0)).toBeGreaterThan(24 * 3_600_000);
  });

  it.each([200, 201, 202, 204, 299])("a %i delivers, whatever the try", (status) => {
    expect(tryOutcome(status, 1, standardRetryDelaysMs)).toEqual({ kind: "delivered" });
    expect(tryOutcome(status, 8, standardRetryDelaysMs)).toEqual({ kind: "delivered" });
  });

  it.each([null, 100, 199, 301, 302, 307, 400, 401, 404, 410, 429, 500, 503])("%s is not accepted", (status) => {
    expect(isAccepted(status)).toBe(false);
    expect(tryOutcome(status, 1, standardRetryDelaysMs)).toEqual({ kind: "retry", delayMs: 5_000 });
  });

  it("after try n fails, waits the n-th delay; the try after the last delay is the last", () => {
    const delays = [10, 20, 30];
    expect([1, 2, 3, 4].map((tries) => tryOutcome(500, tries, delays))).toEqual([
      { kind: "retry", delayMs: 10 },
      { kind: "retry", delayMs: 20 },
      { kind: "retry", delayMs: 30 },
      { kind: "failed" },
    ]);
    expect(tryOutcome(null, 9, delays)).toEqual({ kind: "failed" });
  });

  it("with the standard schedule, gives up after the eighth try", () => {
    const outcomes = Array.from({ length: 8 }, (_, i) => tryOutcome(503, i + 1, standardRetryDelaysMs).kind);
    expect(outcomes).toEqual(["retry", "retry", "retry", "retry", "retry", "retry", "retry", "failed"]);
  });

  it("without delays, the first try is the only one", () => {
    expect(tryOutcome(500, 1, [])).toEqual({ kind: "failed" });
  });

  it("treats a try number below 1 as the first", () => {
    expect(tryOutcome(500, 0, [7, 8])).toEqual({ kind: "retry", delayMs: 7 });
  });
});
