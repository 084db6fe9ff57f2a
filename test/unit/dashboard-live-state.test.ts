import { describe, expect, it } from "vitest";
import { appendEvents, gapsIn, lastSeqOf, maxEventsKept, parseStoredLog } from "../../src/web/dashboard/jobs/event-log-state.js";
import { appendPage, matchesFilter, replaceWithFresh, upsertJob } from "../../src/web/dashboard/jobs/job-list-state.js";

const job = (id: string, seq: number, createdAt: string, status = "QUEUED") => ({ id, seq, status, createdAt });
const t = (minute: number) => `2030-01-01T12:${String(minute).padStart(2, "0")}:00.000Z`;

describe("job list merging", () => {
  const list = [job("c", 3, t(3)), job("b", 2, t(2)), job("a", 1, t(1))];

  it("replaces a job in place with a copy of equal or higher seq, never a lower one", () => {
    expect(upsertJob(list, job("b", 5, t(2), "RUNNING"), false).map((j) => [j.id, j.seq])).toEqual([["c", 3], ["b", 5], ["a", 1]]);
    expect(upsertJob(list, job("b", 1, t(2), "QUEUED"), true)).toBe(list);
    // Equal seq: queue position and estimate may have changed, which moves no seq.
    const same = { ...job("b", 2, t(2)), queuePosition: 1 };
    expect(upsertJob(list, same, false)[1]).toBe(same);
  });

  it("inserts a new job where its creation time puts it, newest first, only when asked", () => {
    expect(upsertJob(list, job("d", 1, t(4)), true).map((j) => j.id)).toEqual(["d", "c", "b", "a"]);
    expect(upsertJob(list, job("x", 1, t(0)), true).map((j) => j.id)).toEqual(["c", "b", "a", "x"]);
    expect(upsertJob(list, job("m", 1, t(2)), true).map((j) => j.id)).toEqual(["c", "m", "b", "a"]);
    expect(upsertJob(list, job("d", 1, t(4)), false)).toBe(list);
  });

  it("appends a further page without repeating a job already listed", () => {
    const next = appendPage(list, [job("a", 4, t(1), "RUNNING"), job("z", 1, t(0))]);
    expect(next.map((j) => [j.id, j.seq])).toEqual([["c", 3], ["b", 2], ["a", 4], ["z", 1]]);
  });

  it("takes a re-read page's order but keeps newer live copies and newer jobs not yet in the page", () => {
    const live = [job("d", 1, t(4)), job("c", 9, t(3), "SUCCEEDED"), job("b", 2, t(2))];
    const fresh = [job("c", 8, t(3), "RUNNING"), job("b", 4, t(2), "RUNNING")];
    expect(replaceWithFresh(live, fresh).map((j) => [j.id, j.seq])).toEqual([["d", 1], ["c", 9], ["b", 4]]);
  });

  it("matchesFilter: every status when the filter is empty", () => {
    expect(matchesFilter({ status: "FAILED" }, [])).toBe(true);
    expect(matchesFilter({ status: "FAILED" }, ["FAILED"])).toBe(true);
    expect(matchesFilter({ status: "QUEUED" }, ["FAILED"])).toBe(false);
  });
});

describe("event log", () => {
  const event = (seq: number) => ({ seq, at: t(0), status: "RUNNING", progress: seq / 10, message: `step ${seq}` });

  it("appends only events past the last seq held, so a replay after a reconnect adds no duplicate", () => {
    const log = appendEvents([], [event(1), event(2), event(3)]);
    const resumed = appendEvents(log, [event(2), event(3), event(4), event(4), event(5)]);
    expect(resumed.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(lastSeqOf(resumed)).toBe(5);
    expect(gapsIn(resumed)).toEqual([]);
    expect(appendEvents(resumed, [event(5)])).toBe(resumed);
  });

  it("gapsIn names the seqs missing between the first and the last", () => {
    expect(gapsIn([event(1), event(2), event(5), event(7)])).toEqual([3, 4, 6]);
  });

  it(`keeps the last ${maxEventsKept} events`, () => {
    const log = appendEvents([], Array.from({ length: maxEventsKept + 5 }, (_, i) => event(i + 1)));
    expect(log).toHaveLength(maxEventsKept);
    expect(log[0]!.seq).toBe(6);
  });

  it("reads a stored log back, and anything unreadable as empty", () => {
    expect(parseStoredLog(JSON.stringify([event(1), event(2)])).map((e) => e.seq)).toEqual([1, 2]);
    expect(parseStoredLog(JSON.stringify([event(1), { seq: "x" }, event(3)])).map((e) => e.seq)).toEqual([1, 3]);
    for (const text of [null, "", "{", "{}", "[1,2]"]) expect(parseStoredLog(text)).toEqual([]);
  });
});
