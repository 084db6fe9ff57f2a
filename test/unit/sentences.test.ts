import { describe, expect, it } from "vitest";
import { hasSpeech, maxSentenceLength, splitSentences } from "../../src/jobs/media/sentences.js";

describe("splitSentences", () => {
  it("splits at full stops, question and exclamation marks and ellipses followed by a space", () => {
    expect(splitSentences("Hello there. How are you? Fine! Well… let us see.")).toEqual(["Hello there.", "How are you?", "Fine!", "Well…", "let us see."]);
  });

  it("keeps closing quotes and brackets with their sentence, and does not split inside numbers or at a mark without a space", () => {
    expect(splitSentences('He said "Stop." Then (quietly.) 3.14 is pi. Really?No.')).toEqual(['He said "Stop."', "Then (quietly.)", "3.14 is pi.", "Really?No."]);
  });

  it("splits after CJK full stops, which take no space", () => {
    expect(splitSentences("你好。世界！好吗？")).toEqual(["你好。", "世界！", "好吗？"]);
  });

  it("always breaks at a blank line, and reads single line breaks and runs of spaces as one space", () => {
    expect(splitSentences("A title without a stop\n\nA wrapped\nsentence   that   goes on.\n")).toEqual(["A title without a stop", "A wrapped sentence that goes on."]);
  });

  it("leaves out pieces with nothing to say", () => {
    expect(splitSentences("... !!! \n\n — ")).toEqual([]);
    expect(splitSentences("Yes. ... No.")).toEqual(["Yes.", "No."]);
  });

  it("cuts a long sentence at its last clause mark before the limit, else at a space, else at the limit", () => {
    const clause = "word ".repeat(60).trim();
    expect(clause.length).toBeLessThan(maxSentenceLength);
    expect(splitSentences(`${clause}, ${clause}, ${clause}.`)).toEqual([`${clause},`, `${clause},`, `${clause}.`]);

    const spaced = "word ".repeat(200).trim();
    expect(splitSentences(spaced).every((piece) => piece.length <= maxSentenceLength)).toBe(true);
    expect(splitSentences(spaced).join(" ")).toBe(spaced);

    const unbroken = "x".repeat(maxSentenceLength * 2 + 10);
    expect(splitSentences(unbroken).map((piece) => piece.length)).toEqual([maxSentenceLength, maxSentenceLength, 10]);
  });
});

describe("hasSpeech", () => {
  it("is true for a letter or a digit in any script", () => {
    expect(hasSpeech("... a")).toBe(true);
    expect(hasSpeech("42")).toBe(true);
    expect(hasSpeech("é")).toBe(true);
    expect(hasSpeech("你")).toBe(true);
    expect(hasSpeech(" .?! — ")).toBe(false);
  });
});
