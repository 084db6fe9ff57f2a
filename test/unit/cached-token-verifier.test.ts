import { describe, expect, it } from "vitest";
import { cacheVerifiedTokens } from "../../src/auth/cached-token-verifier.js";
import { InvalidTokenError } from "../../src/auth/tokens.js";
import type { VerifiedIdentity } from "../../src/auth/token-verifier.js";

const identity = (expiresAt: number): VerifiedIdentity => ({ subject: "alice", email: null, role: "user", expiresAt: new Date(expiresAt) });

describe("cacheVerifiedTokens", () => {
  it("verifies a token once while it is valid, and again past its exp", async () => {
    let clock = 1_000;
    const calls: string[] = [];
    const verify = cacheVerifiedTokens(
      async (token) => {
        calls.push(token);
        if (clock >= 2_000) throw new InvalidTokenError("token expired");
        return identity(2_000);
      },
      { now: () => clock },
    );
    await verify("t");
    await verify("t");
    expect(calls).toEqual(["t"]);
    clock = 2_000;
    await expect(verify("t")).rejects.toThrow("token expired");
    expect(calls).toEqual(["t", "t"]);
  });

  it("never remembers a refused token", async () => {
    let calls = 0;
    const verify = cacheVerifiedTokens(async () => {
      calls += 1;
      throw new InvalidTokenError("invalid token");
    });
    await expect(verify("bad")).rejects.toThrow();
    await expect(verify("bad")).rejects.toThrow();
    expect(calls).toBe(2);
  });

  it("keeps at most `max` tokens", async () => {
    const seen: string[] = [];
    const verify = cacheVerifiedTokens(
      async (token) => {
        seen.push(token);
        return identity(Number.MAX_SAFE_INTEGER);
      },
      { max: 2 },
    );
    for (const token of ["a", "b", "c", "a"]) await verify(token);
    expect(seen).toEqual(["a", "b", "c", "a"]);
  });
});
