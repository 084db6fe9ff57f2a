import { describe, expect, it } from "vitest";
import { decodeJobCursor, encodeJobCursor } from "../../src/schema/job-cursor.js";

const id = "0f8b7c1e-3a52-4d9e-8f00-1234567890ab";
const encode = (raw: string) => Buffer.from(raw).toString("base64url");

describe("job cursors", () => {
  it("decode what they encode", () => {
    const position = { createdAt: new Date("2026-11-30T09:20:55.267Z"), id };
    expect(decodeJobCursor(encodeJobCursor(position))).toEqual(position);
  });

  it.each([
    ["an empty string", ""],
    ["not base64url", "not a cursor!"],
    ["garbage bytes", encode("\u0000|\u0000")],
    ["no separator", encode(`2026-11-30T09:20:55.267Z${id}`)],
    ["a third part", encode(`2026-11-30T09:20:55.267Z|${id}|x`)],
    ["not a date", encode(`yesterday|${id}`)],
    ["a date without milliseconds", encode(`2026-11-30T09:20:55Z|${id}`)],
    ["February 30th", encode(`2026-02-30T00:00:00.000Z|${id}`)],
    ["the year 0", encode(`0000-01-01T00:00:00.000Z|${id}`)],
    ["a date before PostgreSQL's range", encode(`${new Date(-8.64e15).toISOString()}|${id}`)],
    ["a date after year 9999", encode(`${new Date(8.64e15).toISOString()}|${id}`)],
    ["a bad id", encode("2026-11-30T09:20:55.267Z|not-a-uuid")],
    ["a very long string", "A".repeat(10_000)],
  ])("refuse %s", (_name, cursor) => {
    expect(decodeJobCursor(cursor)).toBeNull();
  });
});
