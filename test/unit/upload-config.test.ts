import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

describe("upload settings", () => {
  it("default to the local store, 2 GiB less a byte, a 10 GiB quota, media, text, PDF and JSON, and a day's retention", () => {
    expect(loadConfig({}).uploads).toEqual({
      store: "local",
      maxBytes: 2_147_483_647,
      quotaBytes: 10 * 1024 ** 3,
      allowedTypes: ["audio/*", "video/*", "image/*", "text/plain", "application/pdf", "application/json"],
      retentionMs: 24 * 3_600_000,
      sweepMs: 60_000,
    });
  });

  it("read a list of types, lowercase, and hours with decimals", () => {
    const { uploads } = loadConfig({ UPLOAD_TYPES: " Video/MP4, audio/* ,*/*", UPLOAD_RETENTION_HOURS: "0.5", MAX_UPLOAD_BYTES: "1000" });
    expect(uploads).toMatchObject({ allowedTypes: ["video/mp4", "audio/*", "*/*"], retentionMs: 1_800_000, maxBytes: 1000 });
  });

  it("refuse what they cannot mean, one line naming each variable", () => {
    expect(problemsOf({ UPLOAD_TYPES: "video" })).toEqual([expect.stringMatching(/^configuration: UPLOAD_TYPES must be comma-separated content types/)]);
    expect(problemsOf({ MAX_UPLOAD_BYTES: "2147483648" })).toEqual([expect.stringMatching(/^configuration: MAX_UPLOAD_BYTES must be at most 2147483647/)]);
    expect(problemsOf({ UPLOAD_RETENTION_HOURS: "0" })).toEqual([expect.stringMatching(/^configuration: UPLOAD_RETENTION_HOURS must be more than 0/)]);
    expect(problemsOf({ UPLOAD_STORE: "ftp" })).toEqual([expect.stringMatching(/^configuration: UPLOAD_STORE /)]);
    expect(problemsOf({ UPLOAD_STORE: "s3" })).toEqual(["configuration: S3_BUCKET is required with UPLOAD_STORE=s3"]);
  });
});
