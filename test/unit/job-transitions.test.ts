import { describe, expect, it } from "vitest";
import { jobStatuses, terminalStatuses, transitions, type JobStatus, type TransitionName } from "../../src/domain/job-status.js";
import { canTransition, transitionNames } from "../helpers/job-status.js";

/** The transition table of src/domain/job-status.ts, written out independently. */
const expected: Record<TransitionName, { from: JobStatus[]; to: JobStatus; fenced: boolean }> = {
  claim: { from: ["QUEUED", "RETRYING"], to: "RUNNING", fenced: false },
  takeOver: { from: ["QUEUED", "RETRYING", "RUNNING"], to: "RUNNING", fenced: false },
  progress: { from: ["RUNNING"], to: "RUNNING", fenced: true },
  succeed: { from: ["RUNNING"], to: "SUCCEEDED", fenced: true },
  scheduleRetry: { from: ["RUNNING"], to: "RETRYING", fenced: true },
  fail: { from: ["RUNNING"], to: "FAILED", fenced: true },
  release: { from: ["RUNNING"], to: "QUEUED", fenced: true },
  cancel: { from: ["QUEUED", "RETRYING", "RUNNING"], to: "CANCELLED", fenced: false },
  recharge: { from: ["FAILED", "CANCELLED"], to: "QUEUED", fenced: false },
};

const pairs = jobStatuses.flatMap((from) => jobStatuses.map((to) => ({ from, to })));
const inTable = (from: JobStatus, to: JobStatus) =>
  Object.values(expected).some((t) => t.to === to && t.from.includes(from));

describe("the transition table", () => {
  it("names exactly the expected transitions", () => {
    expect([...transitionNames].sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))("%s: from, to and fencing", (name, t) => {
    const actual = transitions[name as TransitionName];
    expect([...actual.from].sort()).toEqual([...t.from].sort());
    expect(actual.to).toBe(t.to);
    expect(actual.fenced).toBe(t.fenced);
  });

  it.each(pairs)("$from → $to is allowed iff a transition makes it", ({ from, to }) => {
    expect(canTransition(from, to)).toBe(inTable(from, to));
  });

  it("only a running job's own attempt makes fenced transitions", () => {
    for (const name of transitionNames) {
      const t = transitions[name];
      if (t.fenced) expect(t.from, name).toEqual(["RUNNING"]);
    }
  });

  it("lets a terminal job out only by a paid retry (recharge), and SUCCEEDED not at all", () => {
    for (const name of transitionNames) {
      const t = transitions[name];
      const fromTerminal = t.from.filter((status: JobStatus) => terminalStatuses.includes(status));
      if (name === "recharge") expect([...fromTerminal].sort()).toEqual(["CANCELLED", "FAILED"]);
      else expect(fromTerminal, name).toEqual([]);
    }
    for (const to of jobStatuses) expect(canTransition("SUCCEEDED", to), `SUCCEEDED → ${to}`).toBe(false);
  });

  it("reaches every status from QUEUED, where a job starts", () => {
    const reached = new Set<JobStatus>(["QUEUED"]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const { from, to } of pairs) {
        if (reached.has(from) && !reached.has(to) && canTransition(from, to)) {
          reached.add(to);
          grew = true;
        }
      }
    }
    expect([...reached].sort()).toEqual([...jobStatuses].sort());
  });
});
