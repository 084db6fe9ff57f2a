import { describe, expect, it } from "vitest";
import { formatBytes } from "../../src/web/dashboard/format.js";
import {
  acceptAttribute,
  acceptsType,
  acceptText,
  fileTypeOf,
  refusalOf,
  uploadFailureText,
  uploadFingerprint,
  uploadIdOf,
} from "../../src/web/dashboard/submit/upload-files.js";

describe("which files an upload field takes", () => {
  it("matches content types by essence against type/subtype, type/* and */*, as the gateway does at submit", () => {
    expect(acceptsType(["video/*"], "video/mp4")).toBe(true);
    expect(acceptsType(["video/*"], "Video/MP4; codecs=avc1")).toBe(true);
    expect(acceptsType(["video/*"], "audio/mpeg")).toBe(false);
    expect(acceptsType(["video/mp4"], "video/webm")).toBe(false);
    expect(acceptsType(["*/*"], "text/plain")).toBe(true);
    expect(acceptsType(["video/*"], "")).toBe(false);
    expect(acceptsType(["*/*"], "not a type")).toBe(false);
  });

  it("gives the picker an accept attribute, none for any file", () => {
    expect(acceptAttribute(["video/*"])).toBe("video/*");
    expect(acceptAttribute(["video/mp4", "audio/*"])).toBe("video/mp4,audio/*");
    expect(acceptAttribute(["*/*"])).toBeUndefined();
    expect(acceptText(["video/mp4", "audio/*"])).toBe("video/mp4 or audio/*");
    expect(acceptText(["*/*"])).toBe("");
  });

  it("refuses a file of another type or an empty one before a byte is sent", () => {
    expect(refusalOf(["video/*"], { name: "in.mp4", type: "video/mp4", size: 10 })).toBeNull();
    expect(refusalOf(["video/*"], { name: "notes.txt", type: "text/plain", size: 10 })).toBe("notes.txt is text/plain; this field takes video/*");
    expect(refusalOf(["video/*"], { name: "clip", type: "", size: 10 })).toBe("clip is of a type the browser does not know; this field takes video/*");
    expect(refusalOf(["*/*"], { name: "clip", type: "", size: 10 })).toBeNull();
    expect(refusalOf(["video/*"], { name: "in.mp4", type: "video/mp4", size: 0 })).toBe("in.mp4 is empty");
    expect(fileTypeOf({ type: "" })).toBe("application/octet-stream");
  });
});

describe("an upload's URL, failure and fingerprint", () => {
  it("takes the upload id from the tus URL", () => {
    const id = "0b9c1a4e-6f7d-4c1b-9a3e-2d5f8e7c6b5a";
    expect(uploadIdOf(`http://127.0.0.1:4000/uploads/${id}`)).toBe(id);
    expect(uploadIdOf(`/uploads/${id}/`)).toBe(id);
    expect(uploadIdOf(`https://jobs.example.com/api/uploads/${id}?x=1`)).toBe(id);
  });

  it("says the gateway's own refusal, its status, or a lost connection", () => {
    expect(uploadFailureText(413, "upload too large: at most 100 bytes (MAX_UPLOAD_BYTES)\n")).toBe("upload too large: at most 100 bytes (MAX_UPLOAD_BYTES)");
    expect(uploadFailureText(500, "")).toBe("the gateway answered 500");
    expect(uploadFailureText(401, "token expired")).toBe("the gateway refused the token (token expired)");
    expect(uploadFailureText(0, "")).toBe("the connection to the gateway was lost");
    expect(uploadFailureText(undefined, undefined)).toBe("the connection to the gateway was lost");
  });

  it("remembers an unfinished upload by its user and the file, so another user's upload is never resumed", () => {
    const file = { name: "in.mp4", type: "video/mp4", size: 1234, lastModified: 1_700_000_000_000 };
    expect(uploadFingerprint("ann", file)).toBe(uploadFingerprint("ann", { ...file }));
    expect(uploadFingerprint("ann", file)).not.toBe(uploadFingerprint("bob", file));
    expect(uploadFingerprint("ann", file)).not.toBe(uploadFingerprint("ann", { ...file, lastModified: 1 }));
    // A subject with the separator in it cannot pass for another user's.
    expect(uploadFingerprint("a/b", { ...file, name: "c" })).not.toBe(uploadFingerprint("a", { ...file, name: "b/c" }));
  });

  it.each([
    [0, "0 B"],
    [1023, "1023 B"],
    [1536, "1.5 KiB"],
    [12.5 * 1024 ** 2, "12.5 MiB"],
    [2 * 1024 ** 3, "2.00 GiB"],
  ])("formats %d bytes as %s", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
