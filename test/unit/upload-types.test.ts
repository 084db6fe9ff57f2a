import { describe, expect, it } from "vitest";
import { acceptsContentType, checkNewUpload, contentTypeEssence, isAcceptPattern, quotaRefusal } from "../../src/domain/upload-types.js";

const rules = { maxBytes: 1000, allowedTypes: ["video/*", "text/plain"] };
const meta = (filename: string | null, filetype: string | null) => ({ filename, filetype });

describe("content types", () => {
  it("reads the essence of a Content-Type: lowercase, without parameters", () => {
    expect(contentTypeEssence("Video/MP4")).toBe("video/mp4");
    expect(contentTypeEssence("text/plain; charset=utf-8")).toBe("text/plain");
    expect(contentTypeEssence("application/vnd.api+json")).toBe("application/vnd.api+json");
    for (const bad of ["", "video", "video/", "/mp4", "video/mp4/x", "video mp4", "vidéo/mp4"]) expect(contentTypeEssence(bad)).toBeNull();
  });

  it("matches a type, a family (type/*) and any type (*/*), never on parameters alone", () => {
    expect(acceptsContentType(["video/*"], "video/quicktime")).toBe(true);
    expect(acceptsContentType(["video/*"], "audio/ogg")).toBe(false);
    expect(acceptsContentType(["text/plain"], "text/plain; charset=utf-8")).toBe(true);
    expect(acceptsContentType(["text/plain"], "text/html")).toBe(false);
    expect(acceptsContentType(["*/*"], "application/octet-stream")).toBe(true);
    expect(acceptsContentType([], "video/mp4")).toBe(false);
    expect(acceptsContentType(["*/*"], "not a type")).toBe(false);
  });

  it("knows a pattern from anything else", () => {
    for (const good of ["video/*", "*/*", "application/pdf", " Image/PNG "]) expect(isAcceptPattern(good)).toBe(true);
    for (const bad of ["*", "video", "*/mp4", "video/**", "video/mp4;q=1", ""]) expect(isAcceptPattern(bad)).toBe(false);
  });
});

describe("checkNewUpload", () => {
  it("gives the name, the type's essence and the size of an acceptable upload", () => {
    expect(checkNewUpload({ size: 1000, metadata: meta("clip.mp4", "video/MP4") }, rules)).toEqual({ name: "clip.mp4", contentType: "video/mp4", size: 1000 });
  });

  it.each([
    ["a deferred length", { size: undefined, metadata: meta("a.mp4", "video/mp4") }, 400, /Upload-Length is required/],
    ["one byte past the maximum", { size: 1001, metadata: meta("a.mp4", "video/mp4") }, 413, /at most 1000 \(MAX_UPLOAD_BYTES\)/],
    ["no metadata", { size: 1, metadata: undefined }, 400, /filename and filetype/],
    ["no filename", { size: 1, metadata: meta(null, "video/mp4") }, 400, /filename and filetype/],
    ["a blank filetype", { size: 1, metadata: meta("a.mp4", " ") }, 400, /filename and filetype/],
    ["a path for a name", { size: 1, metadata: meta("../a.mp4", "video/mp4") }, 400, /filename must not contain \//],
    ["a NUL in the name", { size: 1, metadata: meta("a\u0000.mp4", "video/mp4") }, 400, /filename must not contain NUL/],
    ["a name too long", { size: 1, metadata: meta("a".repeat(256), "video/mp4") }, 400, /at most 255 characters/],
    ["a filetype that is no media type", { size: 1, metadata: meta("a.mp4", "mp4") }, 400, /must be a media type/],
    ["a type not allowed", { size: 1, metadata: meta("a.pdf", "application/pdf") }, 415, /application\/pdf are not accepted; accepted: video\/\*, text\/plain/],
  ])("refuses %s", (_name, declared, status, message) => {
    const refused = checkNewUpload(declared, rules);
    expect(refused).toMatchObject({ status });
    expect((refused as { message: string }).message).toMatch(message);
  });
});

describe("quotaRefusal", () => {
  it("lets an upload fill the quota exactly, and refuses a byte more with what is in use", () => {
    expect(quotaRefusal(600, 400, 1000)).toBeNull();
    const refused = quotaRefusal(600, 401, 1000);
    expect(refused).toMatchObject({ status: 403 });
    expect(refused!.message).toContain("600 of 1000 bytes in use (UPLOAD_QUOTA_BYTES), and this upload needs 401");
  });
});
