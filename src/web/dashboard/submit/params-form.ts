/**
 * A job type's `paramsSchema` (JSON Schema draft 2020-12) as form fields,
 * and the form's values back as params. Pure: no DOM.
 *
 * Understood: an object schema whose properties are string, integer, number
 * or boolean (with minimum/maximum, minLength/maxLength, default), or an
 * enum of strings or numbers, and `required`; a string marked `x-upload` (a
 * job type's `uploadRef`: the id of one of the caller's uploads, with the
 * content types it accepts) is an upload field, filled by uploading a file.
 * A property of any other shape becomes a JSON field; a schema that is not
 * such an object becomes one JSON textarea for the whole params. The
 * gateway checks the params again: these checks only spare a round trip.
 */

import { messageOf } from "../format.js";

export type FieldKind = "string" | "integer" | "number" | "boolean" | "enum" | "upload" | "json";

export interface ParamField {
  name: string;
  kind: FieldKind;
  required: boolean;
  description?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  /** For enums: the allowed values, in the schema's order. */
  options?: readonly (string | number)[];
  /** The schema's default, when it has one. */
  defaultValue?: unknown;
  /** For uploads: the content types accepted (`video/*`, `video/mp4`, `*\/*`), from its `x-upload`. */
  accept?: readonly string[];
}

export type ParamsForm = { kind: "fields"; fields: ParamField[] } | { kind: "json" };

/** What an input holds: text for most fields, a flag for checkboxes. */
export type FormValues = Record<string, string | boolean>;

export interface FieldIssue {
  /** A field's name, or "" for the whole params. */
  field: string;
  message: string;
}

export type ParamsResult = { ok: true; params: Record<string, unknown> } | { ok: false; issues: FieldIssue[] };

/** The key of the JSON Schema annotation that marks an upload reference (src/jobs/upload-ref.ts). */
export const uploadRefKey = "x-upload";

/** The key a whole-params JSON textarea keeps its text under. */
export const wholeParamsKey = "";

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const numberOr = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : undefined);

function fieldOf(name: string, schema: unknown, required: boolean): ParamField {
  const field: ParamField = { name, kind: "json", required };
  if (!isRecord(schema)) return field;
  if (typeof schema.description === "string") field.description = schema.description;
  if ("default" in schema) field.defaultValue = schema.default;
  const upload = schema[uploadRefKey];
  if (schema.type === "string" && isRecord(upload)) {
    const accept = Array.isArray(upload.accept) ? upload.accept.filter((a): a is string => typeof a === "string") : [];
    return { ...field, kind: "upload", accept: accept.length ? accept : ["*/*"] };
  }
  if (Array.isArray(schema.enum) && schema.enum.length > 0 && schema.enum.every((v) => typeof v === "string" || typeof v === "number")) {
    return { ...field, kind: "enum", options: schema.enum as (string | number)[] };
  }
  switch (schema.type) {
    case "string":
      return { ...field, kind: "string", minLength: numberOr(schema.minLength), maxLength: numberOr(schema.maxLength) };
    case "integer":
    case "number":
      return {
        ...field,
        kind: schema.type,
        minimum: numberOr(schema.minimum),
        maximum: numberOr(schema.maximum),
      };
    case "boolean":
      return { ...field, kind: "boolean" };
    default:
      return field;
  }
}

/** The form for a schema: its fields, or one JSON textarea when the schema is not a plain object. */
export function paramsFormOf(schema: unknown): ParamsForm {
  if (!isRecord(schema) || schema.type !== "object" || !isRecord(schema.properties)) return { kind: "json" };
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((n): n is string => typeof n === "string") : []);
  return { kind: "fields", fields: Object.entries(schema.properties).map(([name, property]) => fieldOf(name, property, required.has(name))) };
}

const jsonText = (value: unknown) => (value === undefined ? "" : JSON.stringify(value, null, 2));

/** Inputs as a new form shows them: each field at its default, the whole-params textarea at `{}`. */
export function initialValues(form: ParamsForm): FormValues {
  if (form.kind === "json") return { [wholeParamsKey]: "{}" };
  const values: FormValues = {};
  for (const field of form.fields) {
    const value = field.defaultValue;
    if (field.kind === "boolean") values[field.name] = value === true;
    // A JSON field starts empty: left so, the gateway applies the default.
    else if (field.kind === "json") values[field.name] = "";
    else values[field.name] = value === undefined || value === null ? "" : String(value);
  }
  return values;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, message: `not valid JSON (${messageOf(err)})` };
  }
}

/** One field's value, or an issue; undefined when an optional field is left empty (the gateway's default applies). */
function valueOf(field: ParamField, raw: string | boolean | undefined): { value?: unknown; issue?: string } {
  if (field.kind === "boolean") return { value: raw === true };
  const text = typeof raw === "string" ? raw : "";
  if (text.trim() === "") return field.required ? { issue: field.kind === "upload" ? "upload a file first, and wait for it to finish" : "required" } : {};
  switch (field.kind) {
    case "upload":
      return { value: text.trim() };
    case "string":
      if (field.minLength !== undefined && text.length < field.minLength) return { issue: `at least ${field.minLength} characters` };
      if (field.maxLength !== undefined && text.length > field.maxLength) return { issue: `at most ${field.maxLength} characters` };
      return { value: text };
    case "integer":
    case "number": {
      const n = Number(text.trim());
      if (!Number.isFinite(n)) return { issue: "must be a number" };
      if (field.kind === "integer" && !Number.isInteger(n)) return { issue: "must be a whole number" };
      if (field.minimum !== undefined && n < field.minimum) return { issue: `at least ${field.minimum}` };
      if (field.maximum !== undefined && n > field.maximum) return { issue: `at most ${field.maximum}` };
      return { value: n };
    }
    case "enum": {
      const option = field.options?.find((o) => String(o) === text);
      return option === undefined ? { issue: "choose one of the options" } : { value: option };
    }
    case "json": {
      const parsed = parseJson(text);
      return parsed.ok ? { value: parsed.value } : { issue: parsed.message };
    }
  }
}

/** The params a form's values stand for, or what is wrong with them, by field. */
export function paramsFromValues(form: ParamsForm, values: FormValues): ParamsResult {
  if (form.kind === "json") {
    const parsed = parseJson(String(values[wholeParamsKey] ?? ""));
    if (!parsed.ok) return { ok: false, issues: [{ field: wholeParamsKey, message: parsed.message }] };
    if (!isRecord(parsed.value)) return { ok: false, issues: [{ field: wholeParamsKey, message: "must be a JSON object" }] };
    return { ok: true, params: parsed.value };
  }
  const params: Record<string, unknown> = {};
  const issues: FieldIssue[] = [];
  for (const field of form.fields) {
    const { value, issue } = valueOf(field, values[field.name]);
    if (issue) issues.push({ field: field.name, message: issue });
    else if (value !== undefined) params[field.name] = value;
  }
  return issues.length ? { ok: false, issues } : { ok: true, params };
}

/** Where a gateway ValidationIssue belongs on the form. */
export type IssueTarget = { on: "priority" } | { on: "field"; field: string } | { on: "form" };

/**
 * Where a gateway ValidationIssue belongs: its path is ["input", "params",
 * name, …] for a params field, ["input", "priority"] for the priority, and
 * anything else (the type, the params as a whole) belongs to the form.
 */
export function issueTarget(form: ParamsForm, path: readonly string[]): IssueTarget {
  const rest = path[0] === "input" ? path.slice(1) : path;
  if (rest[0] === "priority") return { on: "priority" };
  if (rest[0] !== "params") return { on: "form" };
  if (form.kind === "json") return { on: "field", field: wholeParamsKey };
  const name = rest[1];
  return name !== undefined && form.fields.some((f) => f.name === name) ? { on: "field", field: name } : { on: "form" };
}

/** A label for a property name: "stepMs" → "Step ms", "slide_count" → "Slide count". */
export function labelOf(name: string): string {
  const words = name
    .replace(/[_-]+/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Initial text for a JSON field's placeholder: its default, or nothing. */
export const placeholderOf = (field: ParamField) => (field.defaultValue === undefined ? "" : `default: ${jsonText(field.defaultValue)}`);
