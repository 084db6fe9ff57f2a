import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { rootCause } from "../../src/observability/root-cause.js";

describe("rootCause", () => {
  it("walks a GraphQLError's originalError and then each cause to the deepest error", () => {
    const driver = new Error("connection terminated");
    const query = new Error("query failed", { cause: driver });
    const graphql = new GraphQLError("Unexpected error.", { originalError: query });
    expect(rootCause(new GraphQLError("outer", { originalError: graphql }))).toBe(driver);
  });

  it("answers the error itself when it wraps nothing", () => {
    const alone = new Error("alone");
    expect(rootCause(alone)).toBe(alone);
    expect(rootCause("a string")).toBe("a string");
  });

  it("keeps a non-error cause as the root", () => {
    expect(rootCause(new Error("wrapper", { cause: { code: "ECONNRESET" } }))).toEqual({ code: "ECONNRESET" });
  });

  it("stops on a cycle", () => {
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect([a, b]).toContain(rootCause(a));
  });
});
