import { describe, expect, it } from "vitest";
import { z } from "zod";
import { maxPriority } from "../../src/broker/topology.js";
import { defaultMaxUserPriority, defineJobType } from "../../src/jobs/define-job-type.js";
import { builtinJobTypes as allJobTypes } from "../../src/jobs/builtin.js";

const minimal = { name: "test.minimal", description: "test", cost: 1, params: z.object({}), run: async () => null };

describe("job types and priorities", () => {
  it.each(allJobTypes.map((type) => [type.name, type] as const))("%s: default priority within what a user may ask for", (_name, type) => {
    expect(type.defaultPriority).toBeGreaterThanOrEqual(0);
    expect(type.defaultPriority).toBeLessThanOrEqual(type.maxUserPriority);
    expect(type.maxUserPriority).toBeLessThanOrEqual(maxPriority);
  });

  it(`maxUserPriority defaults to ${defaultMaxUserPriority}`, () => {
    expect(defineJobType(minimal).maxUserPriority).toBe(defaultMaxUserPriority);
    expect(defineJobType({ ...minimal, maxUserPriority: 8 }).maxUserPriority).toBe(8);
  });

  it("a default priority above maxUserPriority is a mistake caught at definition", () => {
    expect(() => defineJobType({ ...minimal, defaultPriority: 7 })).toThrow(/defaultPriority 7 is above its maxUserPriority 5/);
  });

  it("a type without estimateMs cannot tell (null)", () => {
    expect(defineJobType(minimal).estimateMs).toBeNull();
  });
});

describe("estimateMs of the shipped types", () => {
  const type = (name: string) => allJobTypes.find((t) => t.name === name)!;

  it("demo.simulate: steps × stepMs", () => {
    const demo = type("demo.simulate");
    expect(demo.estimateMs!(demo.params.parse({ steps: 1000, stepMs: 60_000 }))).toBe(60_000_000);
    expect(demo.estimateMs!(demo.params.parse({}))).toBe(0);
  });

  it("speech.synthesize: one-word sentences filling the text reach the timeout", () => {
    const speech = type("speech.synthesize");
    const params = speech.params.parse({ text: "Go. ".repeat(2_500).trim() });
    expect(speech.estimateMs!(params)).toBeGreaterThanOrEqual(speech.timeoutMs);
    expect(speech.estimateMs!(speech.params.parse({ text: "Hello there. How are you?" }))).toBeLessThan(speech.timeoutMs);
  });

  it("story.generate and slides.generate cannot reach their timeout with valid params", () => {
    for (const name of ["story.generate", "slides.generate"]) {
      const t = type(name);
      expect(t.estimateMs).toBeNull();
    }
  });
});
