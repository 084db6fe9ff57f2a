import { describe, expect, it } from "vitest";
import { canonicalJson, jsonValueIssues, maxIssues, textArgumentProblem, textProblem } from "../../src/domain/input-checks.js";

const roomy = { maxBytes: 1_000_000, maxDepth: 32 };

describe("textProblem", () => {
  it.each([
    ["plain ASCII", "hello"],
    ["an empty string", ""],
    ["accents and CJK", "crème brûlée, 漢字"],
    ["a surrogate pair (emoji)", "a\u{1F600}b"],
    ["other control characters", "tab\tand\u0001"],
  ])("accepts %s", (_name, value) => {
    expect(textProblem(value)).toBeNull();
  });

  it.each([
    ["NUL", "a\u0000b", /NUL/],
    ["NUL alone", "\u0000", /NUL/],
    ["a lone high surrogate", "a\ud800b", /surrogate/],
    ["a lone high surrogate at the end", "abc\udbff", /surrogate/],
    ["a lone low surrogate", "\udc00", /surrogate/],
    ["a low then a high surrogate (reversed pair)", "\ude00\ud83d", /surrogate/],
  ])("refuses %s", (_name, value, message) => {
    expect(textProblem(value)).toMatch(message);
  });
});

describe("textArgumentProblem", () => {
  it("refuses a string longer than the limit, and accepts one at it", () => {
    expect(textArgumentProblem("x".repeat(11), 10)).toMatch(/at most 10/);
    expect(textArgumentProblem("x".repeat(10), 10)).toBeNull();
  });

  it("refuses bad characters within the limit", () => {
    expect(textArgumentProblem("ab\u0000", 10)).toMatch(/NUL/);
  });
});

describe("jsonValueIssues", () => {
  it("accepts ordinary params", () => {
    expect(jsonValueIssues({ steps: 3, stepMs: 10, result: { story: ["a", "b"], ok: true, none: null } }, roomy)).toEqual([]);
  });

  it("reports each bad string at its path, keys and indexes included", () => {
    const issues = jsonValueIssues({ prompt: "a\u0000", list: ["ok", "\ud800"], nested: { deep: ["x", { y: "\udc00" }] } }, roomy);
    expect(issues.map((issue) => issue.path)).toEqual([["prompt"], ["list", "1"], ["nested", "deep", "1", "y"]]);
  });

  it("reports a bad key at the object that holds it, without echoing the key", () => {
    const issues = jsonValueIssues({ outer: { "k\u0000": 1 } }, roomy);
    expect(issues).toEqual([{ path: ["outer"], message: expect.stringMatching(/^keys must not contain NUL/) }]);
    expect(jsonValueIssues({ "\ud800": 1 }, roomy)).toEqual([{ path: [], message: expect.stringMatching(/surrogate/) }]);
  });

  it(`stops at ${maxIssues} issues`, () => {
    expect(jsonValueIssues(Array.from({ length: 1_000 }, () => "\u0000"), roomy)).toHaveLength(maxIssues);
  });

  it.each([
    ["an object", { a: 1, b: [true, null, "x"], "é": "ü\u{1F600}" }],
    ["an escaped string", { s: "quote \" backslash \\ newline \n tab \t control \u0001" }],
    ["numbers", [0, -1, 1.5, 1e21, 123456789012345680000]],
    ["empty containers", { a: [], b: {} }],
    ["a bare string", "just text"],
    ["null", null],
  ])("measures %s exactly as JSON.stringify does, in UTF-8 bytes", (_name, value) => {
    const bytes = Buffer.byteLength(JSON.stringify(value), "utf8");
    expect(jsonValueIssues(value, { maxBytes: bytes, maxDepth: 32 })).toEqual([]);
    expect(jsonValueIssues(value, { maxBytes: bytes - 1, maxDepth: 32 })).toEqual([
      { path: [], message: `must be at most ${bytes - 1} bytes as JSON` },
    ]);
  });

  it("refuses a value over the size limit with one issue, however many bad strings it holds", () => {
    const value = { text: "x".repeat(70_000), bad: "\u0000" };
    expect(jsonValueIssues(value, { maxBytes: 65_536, maxDepth: 32 })).toEqual([{ path: [], message: "must be at most 65536 bytes as JSON" }]);
  });

  it("counts depth by containers: {} is 1, {a:[1]} is 2", () => {
    expect(jsonValueIssues({}, { maxBytes: 100, maxDepth: 1 })).toEqual([]);
    expect(jsonValueIssues({ a: [1] }, { maxBytes: 100, maxDepth: 2 })).toEqual([]);
    expect(jsonValueIssues({ a: [1] }, { maxBytes: 100, maxDepth: 1 })).toEqual([
      { path: ["a"], message: "must not be nested deeper than 1 levels" },
    ]);
  });

  it("walks a 100,000-deep array without overflowing the stack, and refuses it", () => {
    let deep: unknown = "x";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const issues = jsonValueIssues({ prompt: deep }, { maxBytes: 10_000_000, maxDepth: 32 });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toBe("must not be nested deeper than 32 levels");
    expect(issues[0]!.path.slice(0, 2)).toEqual(["prompt", "0"]);
    expect(issues[0]!.path.length).toBeLessThanOrEqual(32);
  });

  it("refuses what is not JSON (undefined, functions, bigints)", () => {
    expect(jsonValueIssues({ a: [undefined] }, roomy)).toEqual([{ path: ["a", "0"], message: "is not a JSON value" }]);
    expect(jsonValueIssues({ f: () => 1 }, roomy)).toEqual([{ path: ["f"], message: "is not a JSON value" }]);
    expect(jsonValueIssues(1n, roomy)).toEqual([{ path: [], message: "is not a JSON value" }]);
  });
});

describe("canonicalJson", () => {
  it("is the same for the same data in another key order", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { e: 3, f: 2 }] }, b: 1 }));
  });

  it("sorts keys and keeps array order", () => {
    expect(canonicalJson({ b: [2, 1], a: "x" })).toBe('{"a":"x","b":[2,1]}');
  });

  it("tells apart values that differ", () => {
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: "1" }));
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({}));
  });

  it("writes scalars as JSON does", () => {
    expect(canonicalJson("a\"b")).toBe(JSON.stringify("a\"b"));
    expect(canonicalJson(1.5)).toBe("1.5");
    expect(canonicalJson(null)).toBe("null");
    expect(canonicalJson(true)).toBe("true");
  });
});
