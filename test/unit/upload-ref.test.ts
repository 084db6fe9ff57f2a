import { describe, expect, it } from "vitest";
import { z } from "zod";
import { hasUploadRefs, uploadRef, uploadRefsIn } from "../../src/jobs/upload-ref.js";
import { uploadRefIssues } from "../../src/use-cases/check-upload-refs.js";

const a = "6f9619ff-8b86-4011-b42d-00cf4fc964ff";
const b = "0f8fad5b-d9cb-469f-a165-70867728950e";

describe("uploadRef", () => {
  it("is a UUID string the JSON Schema marks as an upload id with its accepted types", () => {
    const params = z.object({ video: uploadRef({ accept: ["video/*"] }).describe("the film") });
    const schema = z.toJSONSchema(params, { io: "input" }) as unknown as { properties: { video: Record<string, unknown> } };
    expect(schema.properties.video).toMatchObject({ type: "string", format: "uuid", "x-upload": { accept: ["video/*"] }, description: "the film" });
  });

  it("accepts an upload id in any case and keeps it lowercase; anything else is refused", () => {
    const ref = uploadRef();
    expect(ref.parse(a.toUpperCase())).toBe(a);
    expect(ref.safeParse("clip.mp4").error?.issues[0]?.message).toBe("must be an upload id");
  });

  it("refuses accept lists that name no content type", () => {
    expect(() => uploadRef({ accept: [] })).toThrow(/at least one/);
    expect(() => uploadRef({ accept: ["video"] })).toThrow(/"video" is not a content type pattern/);
  });
});

describe("uploadRefsIn", () => {
  it("finds nothing, and looks at nothing, in a type without upload references", () => {
    const plain = z.object({ steps: z.number(), names: z.array(z.string()) });
    expect(hasUploadRefs(plain)).toBe(false);
    expect(uploadRefsIn(plain, { steps: 1, names: [a] })).toEqual([]);
  });

  it("finds each reference at its path: nested, in arrays and records, optional ones only when present", () => {
    const params = z.object({
      video: uploadRef({ accept: ["video/*"] }),
      extras: z.object({ poster: uploadRef({ accept: ["image/*"] }).optional(), subtitles: uploadRef().nullable().default(null) }),
      frames: z.array(uploadRef({ accept: ["image/png"] })),
      named: z.record(z.string(), uploadRef()),
      title: z.string(),
    });
    expect(hasUploadRefs(params)).toBe(true);
    const value = params.parse({ video: a, extras: {}, frames: [b, a], named: { intro: b }, title: a });
    expect(uploadRefsIn(params, value)).toEqual([
      { path: ["video"], id: a, accept: ["video/*"] },
      { path: ["frames", "0"], id: b, accept: ["image/png"] },
      { path: ["frames", "1"], id: a, accept: ["image/png"] },
      { path: ["named", "intro"], id: b, accept: ["*/*"] },
    ]);
  });

  it("follows the union option the value satisfies", () => {
    const params = z.object({
      source: z.discriminatedUnion("kind", [z.object({ kind: z.literal("upload"), upload: uploadRef({ accept: ["audio/*"] }) }), z.object({ kind: z.literal("text"), text: z.string() })]),
    });
    expect(uploadRefsIn(params, { source: { kind: "upload", upload: a } })).toEqual([{ path: ["source", "upload"], id: a, accept: ["audio/*"] }]);
    expect(uploadRefsIn(params, { source: { kind: "text", text: a } })).toEqual([]);
  });
});

describe("uploadRefIssues", () => {
  const alice = "alice-id";
  const upload = (id: string, changes: Partial<{ userId: string; status: "uploading" | "complete" | "expired"; contentType: string }> = {}) => ({
    id,
    userId: alice,
    status: "complete" as const,
    contentType: "video/mp4",
    size: 10,
    ...changes,
  });
  const ref = (id: string, accept = ["video/*"]) => ({ path: ["video"], id, accept });
  const prefix = ["input", "params"];

  it("passes the caller's complete upload of an accepted type", () => {
    expect(uploadRefIssues([ref(a)], [upload(a)], alice, prefix)).toEqual([]);
  });

  it.each([
    ["a missing upload", [] as ReturnType<typeof upload>[], /no upload .*: it must be one of your uploads/],
    ["another user's upload, told as missing", [upload(a, { userId: "bob-id" })], /no upload .*: it must be one of your uploads/],
    ["an unfinished upload", [upload(a, { status: "uploading" })], /is not complete: finish sending its 10 bytes first/],
    ["an expired upload", [upload(a, { status: "expired" })], /has expired/],
    ["a type the field does not accept", [upload(a, { contentType: "text/plain" })], /is text\/plain; this field accepts video\/\*/],
  ])("refuses %s at the field's path", (_name, rows, message) => {
    const issues = uploadRefIssues([ref(a)], rows, alice, prefix);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toEqual(["input", "params", "video"]);
    expect(issues[0]!.message).toMatch(message);
  });
});
