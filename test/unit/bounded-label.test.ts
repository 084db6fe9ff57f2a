import { describe, expect, it } from "vitest";
import { makeBoundedLabel, operationNamePattern } from "../../src/observability/bounded-label.js";

describe("makeBoundedLabel (operation names as metric labels)", () => {
  const label = () => makeBoundedLabel({ pattern: operationNamePattern, maxValues: 3 });

  it("keeps well-formed names and calls a missing one anonymous", () => {
    const name = label();
    expect(name("Me")).toBe("Me");
    expect(name("_submit_2")).toBe("_submit_2");
    expect(name(undefined)).toBe("anonymous");
    expect(name(null)).toBe("anonymous");
    expect(name("")).toBe("anonymous");
  });

  it.each(["2fast", "with space", "a-b", "é", "x".repeat(65), 'q"}\nbad 1'])("turns the hostile or odd name %j into other", (hostile) => {
    expect(label()(hostile)).toBe("other");
  });

  it("stops admitting new names at the cap, and keeps answering the ones it has", () => {
    const name = label();
    expect(["A", "B", "C"].map((n) => name(n))).toEqual(["A", "B", "C"]);
    expect(name("D")).toBe("other");
    expect(name("B")).toBe("B");
    for (let i = 0; i < 1_000; i++) expect(name(`Flood${i}`)).toBe("other");
    expect(name("A")).toBe("A");
  });

  it("accepts names up to 64 characters", () => {
    expect(label()("N".repeat(64))).toBe("N".repeat(64));
  });

  it("admits a new name only when told it may, and answers notAdmitted otherwise", () => {
    const name = makeBoundedLabel({ pattern: operationNamePattern, maxValues: 2, notAdmitted: "unauthenticated" });
    for (let i = 0; i < 1_000; i++) expect(name(`Flood${i}`, { admit: false })).toBe("unauthenticated");
    expect(name("Real", { admit: true })).toBe("Real");
    expect(name("Real", { admit: false })).toBe("Real");
    expect(name(undefined, { admit: false })).toBe("anonymous");
    expect(name("Second")).toBe("Second");
    expect(name("Third")).toBe("other");
  });

  it("keeps known names from the start, outside the cap and whoever sends them", () => {
    const name = makeBoundedLabel({ pattern: operationNamePattern, maxValues: 1, known: ["DashboardMe", "SubmitJob"], notAdmitted: "unauthenticated" });
    expect(name("DashboardMe", { admit: false })).toBe("DashboardMe");
    expect(name("Mine")).toBe("Mine");
    expect(name("Yours")).toBe("other");
    expect(name("SubmitJob")).toBe("SubmitJob");
  });
});
