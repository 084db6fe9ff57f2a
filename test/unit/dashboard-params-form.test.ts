import { describe, expect, it } from "vitest";
import { initialValues, issueTarget, labelOf, paramsFormOf, paramsFromValues } from "../../src/web/dashboard/submit/params-form.js";

// As the gateway answers `jobTypes { paramsSchema }` (zod's toJSONSchema, draft 2020-12).
const storySchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  properties: {
    prompt: { type: "string", minLength: 1, maxLength: 2000 },
    chapters: { default: 3, type: "integer", minimum: 1, maximum: 20 },
  },
  required: ["prompt"],
};
const demoSchema = {
  type: "object",
  properties: {
    steps: { default: 0, type: "integer", minimum: 0, maximum: 1000 },
    result: { default: null, $ref: "#/$defs/__schema0" },
  },
  $defs: { __schema0: { anyOf: [{ type: "string" }, { type: "null" }] } },
};
const mixedSchema = {
  type: "object",
  properties: {
    voice: { type: "string", enum: ["alloy", "verse"], default: "alloy" },
    level: { enum: [1, 2, 3] },
    ratio: { type: "number", minimum: 0, maximum: 1, description: "A share." },
    loud: { type: "boolean" },
  },
  required: ["level"],
};

describe("paramsFormOf", () => {
  it("turns an object schema's properties into typed fields with their bounds, defaults and required flags", () => {
    expect(paramsFormOf(storySchema)).toEqual({
      kind: "fields",
      fields: [
        { name: "prompt", kind: "string", required: true, minLength: 1, maxLength: 2000 },
        { name: "chapters", kind: "integer", required: false, defaultValue: 3, minimum: 1, maximum: 20 },
      ],
    });
    const mixed = paramsFormOf(mixedSchema);
    expect(mixed.kind === "fields" && mixed.fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ["voice", "enum", false],
      ["level", "enum", true],
      ["ratio", "number", false],
      ["loud", "boolean", false],
    ]);
  });

  it("makes a JSON field of a property it does not understand", () => {
    const form = paramsFormOf(demoSchema);
    expect(form.kind === "fields" && form.fields[1]).toMatchObject({ name: "result", kind: "json", defaultValue: null });
  });

  it("makes an upload field of an upload reference (uploadRef: x-upload with its accepted types), sent as the upload's id", () => {
    // As video.transcode's schema has it.
    const transcodeSchema = {
      type: "object",
      properties: {
        video: { type: "string", format: "uuid", pattern: "^[0-9a-f-]+$", "x-upload": { accept: ["video/*"] } },
        height: { default: 720, type: "number", enum: [360, 720, 1080] },
        any: { type: "string", "x-upload": {} },
      },
      required: ["video"],
    };
    const form = paramsFormOf(transcodeSchema);
    expect(form.kind === "fields" && form.fields).toEqual([
      { name: "video", kind: "upload", required: true, accept: ["video/*"] },
      { name: "height", kind: "enum", required: false, defaultValue: 720, options: [360, 720, 1080] },
      { name: "any", kind: "upload", required: false, accept: ["*/*"] },
    ]);
    const id = "0b9c1a4e-6f7d-4c1b-9a3e-2d5f8e7c6b5a";
    expect(paramsFromValues(form, { ...initialValues(form), video: id })).toEqual({ ok: true, params: { video: id, height: 720 } });
    expect(paramsFromValues(form, initialValues(form))).toEqual({ ok: false, issues: [{ field: "video", message: "upload a file first, and wait for it to finish" }] });
  });

  it.each([null, "text", { type: "array" }, { type: "object" }, { anyOf: [] }])("falls back to one JSON textarea for %j", (schema) => {
    expect(paramsFormOf(schema)).toEqual({ kind: "json" });
  });
});

describe("initialValues and paramsFromValues", () => {
  it("starts at the defaults and sends the typed params", () => {
    const form = paramsFormOf(storySchema);
    expect(initialValues(form)).toEqual({ prompt: "", chapters: "3" });
    expect(paramsFromValues(form, { prompt: "a fox", chapters: "4" })).toEqual({ ok: true, params: { prompt: "a fox", chapters: 4 } });
  });

  it("leaves out an optional field left empty, so the gateway's default applies", () => {
    const form = paramsFormOf(demoSchema);
    expect(initialValues(form)).toEqual({ steps: "0", result: "" });
    expect(paramsFromValues(form, { steps: "", result: "" })).toEqual({ ok: true, params: {} });
    expect(paramsFromValues(form, { steps: "5", result: '{"story":"done"}' })).toEqual({ ok: true, params: { steps: 5, result: { story: "done" } } });
  });

  it("names each field that is wrong, with why", () => {
    const form = paramsFormOf(storySchema);
    expect(paramsFromValues(form, { prompt: "", chapters: "2.5" })).toEqual({
      ok: false,
      issues: [
        { field: "prompt", message: "required" },
        { field: "chapters", message: "must be a whole number" },
      ],
    });
    expect(paramsFromValues(form, { prompt: "x", chapters: "21" })).toEqual({ ok: false, issues: [{ field: "chapters", message: "at most 20" }] });
    expect(paramsFromValues(form, { prompt: "x", chapters: "abc" })).toEqual({ ok: false, issues: [{ field: "chapters", message: "must be a number" }] });
    const demo = paramsFormOf(demoSchema);
    const bad = paramsFromValues(demo, { steps: "1", result: "{oops" });
    expect(bad.ok === false && bad.issues[0]).toMatchObject({ field: "result", message: expect.stringMatching(/^not valid JSON/) });
  });

  it("maps enum choices back to their values, numbers included, and sends checkboxes as booleans", () => {
    const form = paramsFormOf(mixedSchema);
    expect(initialValues(form)).toEqual({ voice: "alloy", level: "", ratio: "", loud: false });
    expect(paramsFromValues(form, { voice: "verse", level: "2", ratio: "0.5", loud: true })).toEqual({
      ok: true,
      params: { voice: "verse", level: 2, ratio: 0.5, loud: true },
    });
    expect(paramsFromValues(form, { voice: "shout", level: "", ratio: "", loud: false })).toEqual({
      ok: false,
      issues: [
        { field: "voice", message: "choose one of the options" },
        { field: "level", message: "required" },
      ],
    });
  });

  it("takes the whole params as a JSON object when the schema is not understood", () => {
    const form = paramsFormOf({ type: "array" });
    expect(initialValues(form)).toEqual({ "": "{}" });
    expect(paramsFromValues(form, { "": '{"a":[1]}' })).toEqual({ ok: true, params: { a: [1] } });
    expect(paramsFromValues(form, { "": "[1]" })).toEqual({ ok: false, issues: [{ field: "", message: "must be a JSON object" }] });
  });
});

describe("helpers", () => {
  it("issueTarget puts a gateway issue on its params field, the priority, or the form", () => {
    const form = paramsFormOf(storySchema);
    expect(issueTarget(form, ["input", "params", "chapters"])).toEqual({ on: "field", field: "chapters" });
    expect(issueTarget(form, ["input", "params", "prompt", "0"])).toEqual({ on: "field", field: "prompt" });
    expect(issueTarget(form, ["input", "priority"])).toEqual({ on: "priority" });
    expect(issueTarget(form, ["input", "params"])).toEqual({ on: "form" });
    expect(issueTarget(form, ["input", "params", "unknown"])).toEqual({ on: "form" });
    expect(issueTarget(form, ["input", "type"])).toEqual({ on: "form" });
    expect(issueTarget(paramsFormOf(null), ["input", "params", "x"])).toEqual({ on: "field", field: "" });
  });

  it("labelOf makes a label of a property name", () => {
    expect(["stepMs", "slide_count", "failTimes", "text"].map(labelOf)).toEqual(["Step ms", "Slide count", "Fail times", "Text"]);
  });
});
