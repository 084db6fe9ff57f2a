import { describe, expect, it } from "vitest";
import { appendEvents, gapsIn, lastSeqOf, maxEventsKept, parseStoredLog } from "../../src/web/dashboard/jobs/event-log-state.js";
import {
  appendLoaded,
  appendPage,
  applyUpdate,
  emptyList,
  matchesFilter,
  mergeFirstRows,
  upsertJob,
  type LoadedList,
  type ListedJob,
} from "../../src/web/dashboard/jobs/job-list-state.js";

const job = (id: string, seq: number, createdAt: string, status = "QUEUED") => ({ id, seq, status, createdAt });
const t = (minute: number) => `2030-01-01T12:${String(minute).padStart(2, "0")}:00.000Z`;
const loaded = <T extends ListedJob>(jobs: T[], hasNextPage: boolean, endCursor: string | null = null): LoadedList<T> => ({ jobs, cursor: { hasNextPage, endCursor } });
const page = <T extends ListedJob>(jobs: T[], hasNextPage: boolean, endCursor: string | null = null) => ({ jobs, pageInfo: { hasNextPage, endCursor } });
const ids = (list: LoadedList<ListedJob>) => list.jobs.map((j) => [j.id, j.seq]);

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

  it("takes a re-read page's order, with the newer of each job's copies", () => {
    const listed = loaded([job("c", 9, t(3), "SUCCEEDED"), job("b", 2, t(2))], false);
    const read = page([job("c", 8, t(3), "RUNNING"), job("b", 4, t(2), "RUNNING")], false);
    expect(ids(mergeFirstRows(listed, read, [], []))).toEqual([["c", 9], ["b", 4]]);
  });

  it("a first read keeps an update that landed while it was in flight (the final SUCCEEDED is not undone by the read's older copy)", () => {
    const read = page([job("c", 8, t(3), "RUNNING"), job("b", 2, t(2))], false);
    const duringRead = [job("c", 9, t(3), "SUCCEEDED"), job("c", 7, t(3), "RUNNING")];
    const merged = mergeFirstRows(emptyList, read, duringRead, []);
    expect(merged.jobs.map((j) => [j.id, j.seq, j.status])).toEqual([["c", 9, "SUCCEEDED"], ["b", 2, "QUEUED"]]);
    // A job created during the read is not in it, but belongs on top.
    expect(ids(mergeFirstRows(emptyList, read, [job("d", 1, t(4))], []))).toEqual([["d", 1], ["c", 8], ["b", 2]]);
  });

  it("a refresh keeps the rows loaded beyond its window and their cursor; it moves the cursor only when it covered every row", () => {
    // Rows a..e loaded (two pages), a refresh of the first 3 (new job f on top pushed e out of its window).
    const listed = loaded([job("e", 1, t(5)), job("d", 1, t(4)), job("c", 1, t(3)), job("b", 1, t(2)), job("a", 1, t(1))], true, "after-a");
    const window = page([job("f", 1, t(6)), job("e", 2, t(5)), job("d", 1, t(4))], true, "after-d");
    const merged = mergeFirstRows(listed, window, [], []);
    expect(ids(merged)).toEqual([["f", 1], ["e", 2], ["d", 1], ["c", 1], ["b", 1], ["a", 1]]);
    expect(merged.cursor).toEqual({ hasNextPage: true, endCursor: "after-a" });

    const whole = page([job("f", 1, t(6)), job("e", 1, t(5)), job("d", 1, t(4)), job("c", 1, t(3)), job("b", 1, t(2)), job("a", 1, t(1))], false, "after-a2");
    expect(mergeFirstRows(listed, whole, [], []).cursor).toEqual({ hasNextPage: false, endCursor: "after-a2" });
  });

  it("a refresh drops a row that left the filter, unless it came back during the read", () => {
    const listed = loaded([job("c", 3, t(3), "QUEUED"), job("b", 2, t(2), "QUEUED"), job("a", 1, t(1), "QUEUED")], false);
    const read = page([job("c", 3, t(3), "QUEUED"), job("a", 1, t(1), "QUEUED")], false);
    expect(ids(mergeFirstRows(listed, read, [], ["QUEUED"]))).toEqual([["c", 3], ["a", 1]]);
    // Retried during the read: queued again, newer than anything the read saw.
    expect(ids(mergeFirstRows(listed, read, [job("b", 5, t(2), "QUEUED")], ["QUEUED"]))).toEqual([["c", 3], ["b", 5], ["a", 1]]);
  });

  it("applyUpdate removes a row that no longer matches the filter and inserts a job only where the loaded rows reach", () => {
    const more = loaded([job("c", 3, t(3), "RUNNING"), job("b", 2, t(2), "RUNNING")], true, "after-b");
    expect(ids(applyUpdate(more, job("c", 4, t(3), "SUCCEEDED"), ["RUNNING"]))).toEqual([["b", 2]]);
    expect(applyUpdate(more, job("c", 2, t(3), "QUEUED"), ["RUNNING"])).toBe(more);
    // Newer than the last listed row: inserted. Older, with a next page: it is on that page, not here.
    expect(ids(applyUpdate(more, job("d", 1, t(4), "RUNNING"), []))).toEqual([["d", 1], ["c", 3], ["b", 2]]);
    expect(applyUpdate(more, job("a", 1, t(1), "RUNNING"), [])).toBe(more);
    const all = loaded(more.jobs, false);
    expect(ids(applyUpdate(all, job("a", 1, t(1), "RUNNING"), []))).toEqual([["c", 3], ["b", 2], ["a", 1]]);
    expect(applyUpdate(all, job("a", 1, t(1), "QUEUED"), ["RUNNING"])).toBe(all);
  });

  it("appendLoaded adds the next page with updates that landed during its read, and takes its cursor", () => {
    const listed = loaded([job("c", 3, t(3)), job("b", 2, t(2))], true, "after-b");
    const next = appendLoaded(listed, page([job("a", 1, t(1)), job("z", 1, t(0))], true, "after-z"), [job("a", 2, t(1), "RUNNING")], []);
    expect(ids(next)).toEqual([["c", 3], ["b", 2], ["a", 2], ["z", 1]]);
    expect(next.cursor).toEqual({ hasNextPage: true, endCursor: "after-z" });
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
