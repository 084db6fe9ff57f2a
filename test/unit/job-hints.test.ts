import { describe, expect, it } from "vitest";
import { formatHint, formatOutputHint, maxNotifyPayloadBytes, parseHints, parseOutputHints } from "../../src/events/job-hint-format.js";
import { packHints } from "../../src/events/pack-hints.js";

const job = { id: "0b7f5c1e-8f5e-4a4e-9a3e-2f1f0c5d6e7a", seq: 12, status: "RUNNING" as const, attempts: 2, userId: "5d3c2b1a-0f9e-4d8c-b7a6-958473625140" };

describe("job hints", () => {
  it("round-trip through a payload, many per notification", () => {
    const payload = packHints([formatHint(job), formatHint({ ...job, seq: 13, status: "SUCCEEDED" })], maxNotifyPayloadBytes);
    expect(payload).toHaveLength(1);
    expect(parseHints(payload[0]!)).toEqual({
      hints: [
        { jobId: job.id, seq: 12, status: "RUNNING", attempt: 2, userId: job.userId },
        { jobId: job.id, seq: 13, status: "SUCCEEDED", attempt: 2, userId: job.userId },
      ],
      malformed: 0,
    });
  });

  it("skip malformed lines and keep the rest", () => {
    const parsed = parseHints(`garbage\n${formatHint(job)}\na b c d e f\nid notanumber RUNNING 1 u`);
    expect(parsed.hints).toHaveLength(1);
    expect(parsed.malformed).toBe(3);
  });

  it("never put more than the limit in one payload, and lose no line", () => {
    const lines = Array.from({ length: 1_000 }, (_, i) => formatHint({ ...job, seq: i }));
    const payloads = packHints(lines, maxNotifyPayloadBytes);
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(maxNotifyPayloadBytes);
    expect(payloads.flatMap((p) => p.split("\n"))).toEqual(lines);
  });

  it("fit under PostgreSQL's 8,000-byte NOTIFY limit", () => {
    expect(maxNotifyPayloadBytes).toBeLessThan(8_000);
    expect(packHints([], maxNotifyPayloadBytes)).toEqual([]);
  });

  it("output hints round-trip too, and a malformed line is skipped", () => {
    const hints = [
      { jobId: job.id, attempt: 2, end: 120 },
      { jobId: job.id, attempt: 3, end: 0 },
    ];
    const [payload] = packHints(hints.map(formatOutputHint), maxNotifyPayloadBytes);
    expect(parseOutputHints(payload!)).toEqual({ hints, malformed: 0 });
    expect(parseOutputHints(`${formatHint(job)}\n${job.id} 1 x\n${formatOutputHint(hints[0]!)}`)).toEqual({ hints: [hints[0]], malformed: 2 });
  });
});
