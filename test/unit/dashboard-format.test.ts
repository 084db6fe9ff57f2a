import { describe, expect, it } from "vitest";
import {
  credits,
  elapsedMs,
  formatApproximate,
  formatDuration,
  formatJson,
  nextAttemptIn,
  ordinal,
  percent,
  relativeTime,
  startsIn,
} from "../../src/web/dashboard/format.js";
import { jobTimingText, refundText, type TimedJob } from "../../src/web/dashboard/jobs/job-timing.js";

const now = Date.parse("2030-01-01T12:00:00.000Z");
const at = (offsetMs: number) => new Date(now + offsetMs).toISOString();

describe("formatDuration", () => {
  it.each([
    [0, "0 s"],
    [999, "0 s"],
    [1_000, "1 s"],
    [59_999, "59 s"],
    [60_000, "1 min 00 s"],
    [185_000, "3 min 05 s"],
    [3_600_000, "1 h 00 min"],
    [7_620_000, "2 h 07 min"],
    [-5_000, "0 s"],
  ])("%d ms → %s", (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe("formatApproximate", () => {
  it.each([
    [0, "~1 s"],
    [12_400, "~12 s"],
    [-12_400, "~12 s"],
    [59_400, "~59 s"],
    [90_000, "~2 min"],
    [2 * 3_600_000, "~2 h"],
    [3 * 86_400_000, "~3 d"],
  ])("%d ms → %s", (ms, text) => expect(formatApproximate(ms)).toBe(text));
});

describe("times relative to now", () => {
  it("elapsed runs from the first start to the finish, or to now while unfinished", () => {
    expect(elapsedMs({ startedAt: null }, now)).toBeNull();
    expect(elapsedMs({ startedAt: at(-4_000) }, now)).toBe(4_000);
    expect(elapsedMs({ startedAt: at(-4_000), finishedAt: at(-1_000) }, now)).toBe(3_000);
    // A clock a little behind the gateway's never shows a negative time.
    expect(elapsedMs({ startedAt: at(2_000) }, now)).toBe(0);
  });

  it("relativeTime says in or ago, and just now within a second", () => {
    expect(relativeTime(at(12_000), now)).toBe("in ~12 s");
    expect(relativeTime(at(-180_000), now)).toBe("~3 min ago");
    expect(relativeTime(at(-400), now)).toBe("just now");
    expect(relativeTime("not a date", now)).toBe("");
  });

  it("startsIn and nextAttemptIn give an estimate, a due message, or null when unknown", () => {
    expect(startsIn(at(12_000), now)).toBe("starts in ~12 s");
    expect(startsIn(at(-3_000), now)).toBe("should start any moment");
    expect(startsIn(null, now)).toBeNull();
    expect(nextAttemptIn(at(3_000), now)).toBe("next attempt in ~3 s");
    expect(nextAttemptIn(at(0), now)).toBe("next attempt due now");
    expect(nextAttemptIn(undefined, now)).toBeNull();
  });
});

describe("small formats", () => {
  it("percent is a whole number from 0 to 100, reaching 100 only at 1", () => {
    expect([0, 0.29, 0.5, 0.996, 1, 1.2, -0.1, Number.NaN].map(percent)).toEqual([0, 29, 50, 99, 100, 100, 0, 0]);
  });

  it("credits and ordinals read as English", () => {
    expect([0, 1, 2, -1].map(credits)).toEqual(["0 credits", "1 credit", "2 credits", "-1 credit"]);
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual(["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]);
  });

  it("formatJson pretty-prints and cuts a huge value", () => {
    expect(formatJson({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(formatJson(undefined)).toBe("null");
    const cut = formatJson("x".repeat(100), 10);
    expect(cut.startsWith('"xxxxxxxxx')).toBe(true);
    expect(cut).toContain("(92 more characters)");
  });
});

describe("a job's timing line and refund", () => {
  const job = (overrides: Partial<TimedJob>): TimedJob => ({ type: "demo.simulate", status: "QUEUED", attempts: 0, maxAttempts: 3, cost: 2, ...overrides });

  it("QUEUED: its 1-based place in its type's queue and when it should start", () => {
    expect(jobTimingText(job({ queuePosition: 1, estimatedStartAt: at(12_000) }), now)).toBe("1st in the demo.simulate queue · starts in ~12 s");
    expect(jobTimingText(job({ queuePosition: 3, estimatedStartAt: null }), now)).toBe("3rd in the demo.simulate queue · start time not known yet");
  });

  it("RUNNING: time since it started, ticking with now; the attempt once it is a retry", () => {
    const running = job({ status: "RUNNING", attempts: 1, startedAt: at(-5_000) });
    expect(jobTimingText(running, now)).toBe("running for 5 s");
    expect(jobTimingText(running, now + 60_000)).toBe("running for 1 min 05 s");
    expect(jobTimingText({ ...running, attempts: 2 }, now)).toBe("running for 5 s · attempt 2 of 3");
  });

  it("RETRYING: the failed attempt and when the next is due", () => {
    expect(jobTimingText(job({ status: "RETRYING", attempts: 1, nextAttemptAt: at(3_000) }), now)).toBe("attempt 1 of 3 failed · next attempt in ~3 s");
  });

  it("finished: how long it took, or that it never started", () => {
    expect(jobTimingText(job({ status: "SUCCEEDED", attempts: 1, startedAt: at(-9_000), finishedAt: at(-2_000) }), now)).toBe("took 7 s");
    expect(jobTimingText(job({ status: "FAILED", attempts: 3, startedAt: at(-9_000), finishedAt: at(-2_000) }), now)).toBe("failed after 3 attempts · ran 7 s");
    expect(jobTimingText(job({ status: "CANCELLED" }), now)).toBe("cancelled before it started");
    expect(jobTimingText(job({ status: "CANCELLED", startedAt: at(-4_000), finishedAt: at(-1_000) }), now)).toBe("cancelled after 3 s");
  });

  it("a refund for FAILED and CANCELLED only", () => {
    expect(refundText({ status: "CANCELLED", cost: 1 })).toBe("refunded 1 credit");
    expect(refundText({ status: "FAILED", cost: 5 })).toBe("refunded 5 credits");
    for (const status of ["QUEUED", "RUNNING", "RETRYING", "SUCCEEDED"]) expect(refundText({ status, cost: 5 })).toBeNull();
  });
});
