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

  it("speech.synthesize: grows with the sentences and the speech's length, and no valid text reaches the timeout", () => {
    const speech = type("speech.synthesize");
    const estimate = (params: object) => speech.estimateMs!(speech.params.parse(params));
    expect(estimate({ text: "Hello there. How are you?" })).toBeLessThan(estimate({ text: "Hello there. How are you? ".repeat(20) }));
    expect(estimate({ text: "Hello there.", speed: 80 })).toBeGreaterThan(estimate({ text: "Hello there.", speed: 450 }));
    // The longest texts at the slowest speed: the most sentences, and the most audio to encode.
    for (const text of ["Go. ".repeat(2_500).trim(), "word ".repeat(2_000).trim()]) {
      expect(estimate({ text, speed: 80 })).toBeLessThan(speech.timeoutMs);
    }
  });

  it("speech.synthesize: a text with nothing to say, an unknown voice or a speed outside espeak-ng's range is refused", () => {
    const speech = type("speech.synthesize");
    expect(speech.params.safeParse({ text: " ... " }).success).toBe(false);
    expect(speech.params.safeParse({ text: "Hi.", voice: "klingon" }).success).toBe(false);
    expect(speech.params.safeParse({ text: "Hi.", speed: 79 }).success).toBe(false);
    expect(speech.params.safeParse({ text: "Hi.", speed: 451 }).success).toBe(false);
    expect(speech.params.parse({ text: " Hi. " })).toEqual({ text: "Hi.", voice: "en-us", speed: 175, format: "ogg" });
  });

  it("story.generate and slides.generate cannot reach their timeout with valid params", () => {
    for (const name of ["story.generate", "slides.generate"]) {
      const t = type(name);
      expect(t.estimateMs).toBeNull();
    }
  });
});
