import { describe, expect, it } from "vitest";
import { maxGrantAmount, readGrantInput } from "../../src/web/dashboard/admin/grant-input.js";

describe("readGrantInput", () => {
  it("reads a positive or negative whole amount and a trimmed reason (blank: none)", () => {
    expect(readGrantInput(" 5 ", "  bonus ")).toEqual({ ok: true, amount: 5, reason: "bonus" });
    expect(readGrantInput("-3", "")).toEqual({ ok: true, amount: -3, reason: null });
    expect(readGrantInput("+7", "   ")).toEqual({ ok: true, amount: 7, reason: null });
  });

  it("refuses 0, fractions, words, blanks and amounts past a 32-bit Int", () => {
    for (const text of ["", " ", "1.5", "5e2", "abc", "--1"]) expect(readGrantInput(text, "").ok, text).toBe(false);
    expect(readGrantInput("0", "")).toEqual({ ok: false, issue: "The amount must not be 0." });
    expect(readGrantInput("-0", "").ok).toBe(false);
    expect(readGrantInput(String(maxGrantAmount), "").ok).toBe(true);
    expect(readGrantInput(String(maxGrantAmount + 1), "").ok).toBe(false);
  });
});
