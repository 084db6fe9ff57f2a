import { describe, expect, it } from "vitest";
import { maxConcurrency, readConcurrencyInput } from "../../src/web/dashboard/admin/concurrency-input.js";
import { maxConcurrency as gatewayMax } from "../../src/domain/queue-controls.js";

describe("readConcurrencyInput", () => {
  it("reads a whole number; blank means the type's default (null)", () => {
    expect(readConcurrencyInput(" 3 ")).toEqual({ ok: true, concurrency: 3 });
    expect(readConcurrencyInput("+2")).toEqual({ ok: true, concurrency: 2 });
    expect(readConcurrencyInput("  ")).toEqual({ ok: true, concurrency: null });
    expect(readConcurrencyInput(String(maxConcurrency))).toEqual({ ok: true, concurrency: maxConcurrency });
  });

  it("refuses 0, negatives, fractions, words and numbers past the gateway's limit", () => {
    for (const text of ["0", "-1", "1.5", "2e1", "abc", String(maxConcurrency + 1)]) expect(readConcurrencyInput(text).ok, text).toBe(false);
  });

  it("holds the gateway's limit", () => {
    expect(maxConcurrency).toBe(gatewayMax);
  });
});
