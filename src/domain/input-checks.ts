/**
 * Checks of client-supplied values that PostgreSQL, the JSON stack or the
 * job handlers would otherwise fail on: text PostgreSQL refuses (NUL, which
 * neither `text` nor `jsonb` stores, and unpaired UTF-16 surrogates, which
 * are not Unicode at all), JSON too large or too deeply nested. Pure; the
 * walk is iterative, so no input can overflow the stack.
 */

export interface InputIssue {
  /** Where, below the checked value: object keys and array indexes. */
  path: string[];
  message: string;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What in a string PostgreSQL would refuse to store, or null when nothing. */
function badCharacters(value: string): string | null {
  if (value.includes("\u0000")) return "NUL (\\u0000) characters";
  if (loneSurrogate.test(value)) return "unpaired UTF-16 surrogates";
  return null;
}

/** Why a string cannot be stored as PostgreSQL text, or null when it can. */
export function textProblem(value: string): string | null {
  const bad = badCharacters(value);
  return bad === null ? null : `must not contain ${bad}`;
}

/** Why a text argument is refused (bad characters, or longer than `maxLength`), or null. */
export function textArgumentProblem(value: string, maxLength: number): string | null {
  if (value.length > maxLength) return `must be at most ${maxLength} characters`;
  return textProblem(value);
}

export interface JsonLimits {
  /** Most bytes of the value as UTF-8 JSON (what `JSON.stringify` gives). */
  maxBytes: number;
  /** Most nested arrays and objects: `{}` is 1, `{"a":[1]}` is 2. */
  maxDepth: number;
}

/** Most issues one check reports; a value full of bad strings needs no longer answer. */
export const maxIssues = 20;

/**
 * Problems of a JSON value: over `maxBytes` or `maxDepth` (one issue, the
 * walk stops there), or strings and keys that are not storable text (one
 * issue each, at most `maxIssues`). Empty when the value is fine.
 */
export function jsonValueIssues(value: unknown, limits: JsonLimits): InputIssue[] {
  const issues: InputIssue[] = [];
  let bytes = 0;
  const stack: { value: unknown; path: string[]; depth: number }[] = [{ value, path: [], depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === "string") {
      bytes += jsonStringBytes(current);
      const problem = textProblem(current);
      if (problem !== null) issues.push({ path, message: problem });
    } else if (typeof current === "number") {
      bytes += JSON.stringify(current).length;
    } else if (typeof current === "boolean" || current === null) {
      bytes += String(current).length;
    } else if (Array.isArray(current) || isPlainObject(current)) {
      if (depth + 1 > limits.maxDepth) return [{ path, message: `must not be nested deeper than ${limits.maxDepth} levels` }];
      const entries: [string, unknown][] = Array.isArray(current)
        ? current.map((item, index) => [String(index), item])
        : Object.entries(current);
      // Brackets, commas between entries; for objects, each key and its colon.
      bytes += 2 + Math.max(entries.length - 1, 0);
      if (!Array.isArray(current)) {
        for (const [key] of entries) {
          bytes += jsonStringBytes(key) + 1;
          const bad = badCharacters(key);
          if (bad !== null) issues.push({ path, message: `keys must not contain ${bad}` });
        }
      }
      // Reversed onto the stack, so entries are visited (and issues listed) in order.
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i]!;
        stack.push({ value: item, path: [...path, key], depth: depth + 1 });
      }
    } else {
      issues.push({ path, message: "is not a JSON value" });
    }
    if (bytes > limits.maxBytes) return [{ path: [], message: `must be at most ${limits.maxBytes} bytes as JSON` }];
    if (issues.length >= maxIssues) break;
  }
  return issues.slice(0, maxIssues);
}

/**
 * The value as JSON with object keys sorted, so two values equal as data
 * give the same text whatever their key order. For values that passed
 * `jsonValueIssues` (bounded depth).
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function jsonStringBytes(value: string): number {
  return Buffer.byteLength(JSON.stringify(value), "utf8");
}
