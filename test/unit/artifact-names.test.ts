import { describe, expect, it } from "vitest";
import { artifactKey, checkContentType, contentDisposition, maxArtifactNameBytes, sanitizeArtifactName } from "../../src/files/artifact-names.js";

describe("artifact names", () => {
  it("keeps a plain file name as it is", () => {
    expect(sanitizeArtifactName("slides.json")).toBe("slides.json");
    expect(sanitizeArtifactName("Präsentation – Teil 1.ogg")).toBe("Präsentation – Teil 1.ogg");
    expect(sanitizeArtifactName(".hidden")).toBe(".hidden");
  });

  it("makes a path a single name: separators and characters file systems refuse become _", () => {
    expect(sanitizeArtifactName("audio/slide-1.ogg")).toBe("audio_slide-1.ogg");
    expect(sanitizeArtifactName("..\\..\\etc\\passwd")).toBe(".._.._etc_passwd");
    expect(sanitizeArtifactName("../../secret")).toBe(".._.._secret");
    expect(sanitizeArtifactName('a<b>c:d"e|f?g*h')).toBe("a_b_c_d_e_f_g_h");
    expect(sanitizeArtifactName("line\nbreak\u0000.txt")).toBe("line_break_.txt");
    expect(sanitizeArtifactName("  padded.txt  ")).toBe("padded.txt");
  });

  it("one spelling per name: Unicode is normalised to NFC", () => {
    expect(sanitizeArtifactName("e\u0301.txt")).toBe("\u00e9.txt");
  });

  it("refuses what is no file name once cleaned, and names that are too long", () => {
    for (const name of ["", "   ", ".", "..", "..."]) expect(() => sanitizeArtifactName(name)).toThrow(/is not a file name/);
    expect(() => sanitizeArtifactName("a".repeat(maxArtifactNameBytes + 1))).toThrow(/longer than 200 bytes/);
    expect(sanitizeArtifactName("a".repeat(maxArtifactNameBytes))).toHaveLength(maxArtifactNameBytes);
    // Bytes, not characters: 101 two-byte letters are 202 bytes.
    expect(() => sanitizeArtifactName("ä".repeat(101))).toThrow(/longer than/);
  });

  it("keys an artifact by job, attempt and name", () => {
    expect(artifactKey("j1", 2, "story.md")).toBe("jobs/j1/2/story.md");
  });

  it("accepts media types and refuses anything else", () => {
    expect(checkContentType(" audio/ogg; codecs=opus ")).toBe("audio/ogg; codecs=opus");
    expect(checkContentType('text/plain; charset="utf-8"')).toBe('text/plain; charset="utf-8"');
    for (const bad of ["", "audio", "audio/ogg\r\nx-evil: 1", "a/b; c", "/ogg"]) expect(() => checkContentType(bad)).toThrow(/is not a media type/);
  });
});

describe("content disposition", () => {
  it("audio, video and raster images open inline; documents, SVG and the rest download", () => {
    expect(contentDisposition("a.ogg", "audio/ogg")).toMatch(/^inline;/);
    expect(contentDisposition("a.mp4", "video/mp4")).toMatch(/^inline;/);
    expect(contentDisposition("a.jpg", "IMAGE/JPEG")).toMatch(/^inline;/);
    expect(contentDisposition("a.svg", "image/svg+xml")).toMatch(/^attachment;/);
    expect(contentDisposition("slides.html", "text/html; charset=utf-8")).toMatch(/^attachment;/);
    expect(contentDisposition("slides.json", "application/json")).toMatch(/^attachment;/);
  });

  it("names the file in UTF-8 (filename*) and in ASCII for old clients", () => {
    expect(contentDisposition("story.md", "text/markdown")).toBe(`attachment; filename="story.md"; filename*=UTF-8''story.md`);
    expect(contentDisposition("Grüße (1)'s \"x\".txt", "text/plain")).toBe(
      `attachment; filename="Gr__e (1)'s _x_.txt"; filename*=UTF-8''Gr%C3%BC%C3%9Fe%20%281%29%27s%20%22x%22.txt`,
    );
  });
});
