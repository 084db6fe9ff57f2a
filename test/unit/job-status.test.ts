import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { JobStatus, claimableStatuses, isTerminal, jobStatuses, retryableStatuses, terminalStatuses, unfinishedStatuses } from "../../src/domain/job-status.js";
import { canTransition, cancellableStatuses, statusRank } from "../helpers/job-status.js";

/** The state machine of src/domain/job-status.ts, written out independently. */
const allowed: Record<JobStatus, readonly JobStatus[]> = {
  QUEUED: ["RUNNING", "CANCELLED"],
  // RUNNING → RUNNING is a takeover: a redelivered message claims the job as a new attempt
  // once its holder's heartbeat is stale (claimJob).
  // RUNNING → QUEUED: a stopping worker hands the job back (releaseJob).
  RUNNING: ["RUNNING", "SUCCEEDED", "RETRYING", "FAILED", "CANCELLED", "QUEUED"],
  RETRYING: ["RUNNING", "CANCELLED"],
  SUCCEEDED: [],
  FAILED: ["QUEUED"],
  CANCELLED: ["QUEUED"],
};

const pairs = jobStatuses.flatMap((from) => jobStatuses.map((to) => ({ from, to })));
const allowedPairs = pairs.filter(({ from, to }) => allowed[from].includes(to));
const forbiddenPairs = pairs.filter(({ from, to }) => !allowed[from].includes(to));

describe("job statuses", () => {
  it("lists the six statuses", () => {
    expect([...jobStatuses].sort()).toEqual(["CANCELLED", "FAILED", "QUEUED", "RETRYING", "RUNNING", "SUCCEEDED"]);
  });

  it.each(allowedPairs)("allows $from → $to", ({ from, to }) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it.each(forbiddenPairs)("forbids $from → $to", ({ from, to }) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it("lets nothing leave SUCCEEDED", () => {
    for (const to of jobStatuses) expect(canTransition("SUCCEEDED", to)).toBe(false);
  });

  it("re-queues only failed and cancelled jobs (retryJob), and running ones handed back", () => {
    expect([...retryableStatuses].sort()).toEqual(["CANCELLED", "FAILED"]);
    for (const from of jobStatuses) {
      expect(canTransition(from, "QUEUED"), from).toBe(retryableStatuses.includes(from) || from === "RUNNING");
    }
  });

  it("claims only from statuses that may move to RUNNING", () => {
    expect([...claimableStatuses].sort()).toEqual(["QUEUED", "RETRYING"]);
    for (const from of claimableStatuses) expect(canTransition(from, "RUNNING")).toBe(true);
  });

  it("cancels only from statuses that may move to CANCELLED", () => {
    expect([...cancellableStatuses].sort()).toEqual(["QUEUED", "RETRYING", "RUNNING"]);
    for (const from of jobStatuses) expect(canTransition(from, "CANCELLED")).toBe(cancellableStatuses.includes(from));
  });
});

describe("terminal statuses", () => {
  it("are SUCCEEDED, FAILED and CANCELLED", () => {
    expect([...terminalStatuses].sort()).toEqual(["CANCELLED", "FAILED", "SUCCEEDED"]);
    expect(jobStatuses.filter(isTerminal).sort()).toEqual(["CANCELLED", "FAILED", "SUCCEEDED"]);
  });

  it.each(["QUEUED", "RUNNING", "RETRYING"] as const)("%s is not terminal", (status) => {
    expect(isTerminal(status)).toBe(false);
  });

  it("a terminal status only ever goes back to QUEUED (a paid retry), never to work directly", () => {
    for (const from of terminalStatuses) {
      for (const to of jobStatuses) if (to !== "QUEUED") expect(canTransition(from, to), `${from} → ${to}`).toBe(false);
    }
  });
});

describe("statusRank", () => {
  it("orders waiting < running < finished", () => {
    expect(statusRank("QUEUED")).toBe(statusRank("RETRYING"));
    expect(statusRank("QUEUED")).toBeLessThan(statusRank("RUNNING"));
    expect(statusRank("RUNNING")).toBeLessThan(statusRank("SUCCEEDED"));
    expect(statusRank("SUCCEEDED")).toBe(statusRank("FAILED"));
    expect(statusRank("FAILED")).toBe(statusRank("CANCELLED"));
  });

  it("ranks every terminal status above every non-terminal one", () => {
    const highestLive = Math.max(...jobStatuses.filter((s) => !isTerminal(s)).map(statusRank));
    for (const status of terminalStatuses) expect(statusRank(status)).toBeGreaterThan(highestLive);
  });

  it("never decreases along a transition within one attempt", () => {
    // Moves that end an attempt for another to start (RUNNING → RETRYING, a hand-back, terminal → QUEUED) reset the order.
    const newAttempt = new Set(["RUNNING→RETRYING", "RUNNING→QUEUED", "FAILED→QUEUED", "CANCELLED→QUEUED"]);
    for (const { from, to } of allowedPairs) {
      if (newAttempt.has(`${from}→${to}`)) continue;
      expect(statusRank(to), `${from} → ${to}`).toBeGreaterThanOrEqual(statusRank(from));
    }
  });
});

describe("unfinished statuses", () => {
  it("are the non-terminal ones, as the jobs_user_unfinished index lists them", () => {
    expect([...unfinishedStatuses].sort()).toEqual(jobStatuses.filter((status) => !isTerminal(status)).sort());
    const migration = readFileSync(new URL("../../src/db/migrations/0001_submit_limits.sql", import.meta.url), "utf8");
    const listed = /"jobs_user_unfinished".*"status" in \(([^)]*)\)/.exec(migration)?.[1];
    expect(listed?.replace(/'/g, "").split(/,\s*/).sort()).toEqual([...unfinishedStatuses].sort());
  });
});
