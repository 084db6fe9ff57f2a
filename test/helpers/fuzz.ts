/**
 * A seeded pseudo-random generator and the value and document generators the
 * fuzz test draws from. Same seed, same cases: a failure replays with FUZZ_SEED.
 */

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: small, fast and good enough to spread test cases. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}

// It once found a charge for a job whose answer a later root field nulled.
const ciSeed = 2_493_220_364;

export function seedFromEnvironment(): number {
  const fromEnv = process.env.FUZZ_SEED;
  if (fromEnv !== undefined && fromEnv.trim() !== "") return Number(fromEnv) >>> 0;
  // CI replays one seed, so a run passes or fails on the code alone; elsewhere each run explores a new one.
  if (process.env.CI) return ciSeed;
  return (Date.now() ^ Math.floor(Math.random() * 2 ** 32)) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Strings

const oddStrings = [
  "",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff",
  "x\udc00y",
  "\ud83d\ude00",
  "\ud83d",
  "NaN",
  "Infinity",
  "-Infinity",
  "-0",
  "1e309",
  "0x1F",
  "null",
  "undefined",
  "true",
  "__proto__",
  "constructor",
  "prototype",
  "'; drop table users; --",
  "$1",
  "${jndi:ldap://x}",
  "\\",
  '"',
  "\n\r\t\b\f",
  "\u2028\u2029",
  "\ufeff",
  "\uffff",
  "\u{10ffff}",
  "é",
  "e\u0301",
  "%00",
  "\\u0000",
];

const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.:/{}[]\"'\\";

function randomCodeUnit(random: Random): string {
  const roll = random.next();
  if (roll < 0.7) return alphabet[random.int(0, alphabet.length - 1)]!;
  if (roll < 0.8) return String.fromCharCode(random.int(0, 31));
  if (roll < 0.87) return String.fromCharCode(random.int(0xd800, 0xdfff));
  if (roll < 0.95) return String.fromCharCode(random.int(0x80, 0xffff));
  return String.fromCodePoint(random.int(0x10000, 0x10ffff));
}

export function randomString(random: Random): string {
  if (random.chance(0.3)) return random.pick(oddStrings);
  let text = "";
  const length = random.int(0, 40);
  for (let i = 0; i < length; i++) text += randomCodeUnit(random);
  return text;
}

/** A string near or over the 64 KiB params limit, or well over it; some end in a lone surrogate. */
export function bigString(random: Random): string {
  const length = random.pick([2_000, 2_001, 65_000, 65_530, 65_536, 65_537, 70_000, 300_000]);
  const filler = random.pick(["a", "é", "\ud83d\ude00", "\u0000", "\\"]);
  let text = filler.repeat(Math.ceil(length / filler.length)).slice(0, length);
  if (random.chance(0.2)) text = text.slice(0, length - 1) + "\ud800";
  return text;
}

const oddNumbers = [
  0,
  -0,
  1,
  -1,
  0.5,
  1e308,
  -1e308,
  5e-324,
  1e-320,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53,
  2 ** 53 + 2,
  Number.MAX_SAFE_INTEGER,
  0.1 + 0.2,
  1000,
  1001,
  60_000,
  60_001,
  100,
  101,
];

export function randomNumber(random: Random): number {
  if (random.chance(0.6)) return random.pick(oddNumbers);
  if (random.chance(0.5)) return random.int(-1_000_000, 1_000_000);
  return (random.next() - 0.5) * 10 ** random.int(-10, 20);
}

// ---------------------------------------------------------------------------------------------
// JSON values (params)

/** A JSON value: scalars, wide arrays and objects, odd keys, and now and then a deep chain. */
export function randomJson(random: Random, budget = 4): unknown {
  const roll = random.next();
  if (budget <= 0 || roll < 0.35) return randomScalar(random);
  if (roll < 0.55) {
    const length = random.chance(0.1) ? random.int(100, 3_000) : random.int(0, 6);
    return Array.from({ length }, () => randomJson(random, length > 50 ? 0 : budget - 1));
  }
  if (roll < 0.9) {
    const object: Record<string, unknown> = {};
    const keys = random.chance(0.05) ? random.int(100, 2_000) : random.int(0, 6);
    for (let i = 0; i < keys; i++) {
      const key = random.chance(0.3) ? randomString(random).slice(0, 50) : `k${i}`;
      // Own data properties only, even for "__proto__": as JSON.parse would build them.
      Object.defineProperty(object, key, { value: randomJson(random, keys > 50 ? 0 : budget - 1), enumerable: true, writable: true, configurable: true });
    }
    return object;
  }
  return deepChain(random, random.pick([20, 64, 65, 100, 1_000, 5_000, 20_000]));
}

function randomScalar(random: Random): unknown {
  const roll = random.next();
  if (roll < 0.45) return randomString(random);
  if (roll < 0.8) return randomNumber(random);
  if (roll < 0.9) return random.chance(0.5);
  return null;
}

/** Arrays or objects nested `depth` deep around a scalar (built in a loop: no recursion). */
export function deepChain(random: Random, depth: number): unknown {
  let value: unknown = randomScalar(random);
  const asArrays = random.chance(0.5);
  for (let i = 0; i < depth; i++) value = asArrays ? [value] : { d: value };
  return value;
}

/**
 * JSON text of `value` without recursion limits: JSON.stringify recurses and
 * fails on the deepest chains, so nesting is unrolled by hand. `sortKeys`
 * gives one text for values equal as data (jsonb, for one, reorders keys).
 */
export function toJsonText(value: unknown, options: { sortKeys?: boolean } = {}): string {
  const parts: string[] = [];
  const stack: ({ kind: "value"; value: unknown } | { kind: "text"; text: string })[] = [{ kind: "value", value }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (item.kind === "text") {
      parts.push(item.text);
      continue;
    }
    const current = item.value;
    if (Array.isArray(current)) {
      const pending: typeof stack = [{ kind: "text", text: "[" }];
      current.forEach((element, i) => {
        if (i > 0) pending.push({ kind: "text", text: "," });
        pending.push({ kind: "value", value: element });
      });
      pending.push({ kind: "text", text: "]" });
      for (let i = pending.length - 1; i >= 0; i--) stack.push(pending[i]!);
    } else if (typeof current === "object" && current !== null) {
      const pending: typeof stack = [{ kind: "text", text: "{" }];
      const keys = Object.keys(current);
      if (options.sortKeys) keys.sort();
      keys.forEach((key, i) => {
        if (i > 0) pending.push({ kind: "text", text: "," });
        pending.push({ kind: "text", text: `${JSON.stringify(key)}:` });
        pending.push({ kind: "value", value: (current as Record<string, unknown>)[key] });
      });
      pending.push({ kind: "text", text: "}" });
      for (let i = pending.length - 1; i >= 0; i--) stack.push(pending[i]!);
    } else {
      parts.push(JSON.stringify(current) ?? "null");
    }
  }
  return parts.join("");
}

/** A submitJob input: mostly real types with random params, sometimes wrong in every way. */
export function randomSubmitInput(random: Random, idempotencyKeys: readonly string[]): Record<string, unknown> {
  const type = random.pick(["demo.simulate", "demo.simulate", "demo.simulate", "story.generate", "slides.generate", "no.such.type", randomString(random)]);
  let params: unknown;
  const roll = random.next();
  if (type === "demo.simulate" && roll < 0.6) {
    params = {};
    const fields = params as Record<string, unknown>;
    if (random.chance(0.5)) fields.steps = random.chance(0.7) ? random.int(0, 3) : randomJson(random, 1);
    if (random.chance(0.3)) fields.stepMs = random.chance(0.7) ? random.int(0, 5) : randomJson(random, 1);
    if (random.chance(0.2)) fields.failTimes = random.chance(0.5) ? random.int(0, 2) : randomJson(random, 1);
    if (random.chance(0.8)) fields.result = randomJson(random);
    if (random.chance(0.2)) Object.defineProperty(fields, randomString(random).slice(0, 20), { value: randomJson(random, 2), enumerable: true });
  } else if (type === "story.generate" && roll < 0.6) {
    params = { prompt: randomString(random), ...(random.chance(0.4) ? { chapters: random.chance(0.5) ? random.int(0, 25) : randomJson(random, 1) } : {}) };
  } else {
    params = randomJson(random);
  }
  // Now and then one big string, where the type keeps it (a prompt, a result) or anywhere.
  if (random.chance(0.08) && typeof params === "object" && params !== null && !Array.isArray(params)) {
    const key = type === "story.generate" ? "prompt" : type === "demo.simulate" ? "result" : "big";
    (params as Record<string, unknown>)[key] = random.chance(0.7) ? bigString(random) : Array.from({ length: random.int(1, 3) }, () => bigString(random));
  }
  const input: Record<string, unknown> = { type, params };
  if (random.chance(0.2)) input.priority = random.chance(0.7) ? random.int(-2, 12) : random.pick([2 ** 31, -(2 ** 31) - 1, 1.5, 1e10]);
  if (random.chance(0.3)) input.idempotencyKey = random.chance(0.5) ? random.pick(idempotencyKeys) : random.chance(0.8) ? randomString(random) : "k".repeat(random.pick([200, 201, 5_000]));
  return input;
}

// ---------------------------------------------------------------------------------------------
// GraphQL documents

const punctuators = ["{", "}", "(", ")", "[", "]", ":", "!", "$", "@", "=", "...", "|", "&", ",", '"', '"""', "#"];
const names = [
  "query",
  "mutation",
  "subscription",
  "fragment",
  "on",
  "me",
  "jobs",
  "job",
  "jobTypes",
  "submitJob",
  "cancelJob",
  "retryJob",
  "grantCredits",
  "queueStats",
  "edges",
  "node",
  "id",
  "events",
  "first",
  "after",
  "status",
  "input",
  "__typename",
  "__schema",
  "__type",
  "types",
  "fields",
  "ofType",
  "name",
  "true",
  "null",
  "QUEUED",
  "include",
  "skip",
  "deprecated",
];

function randomTokenSoup(random: Random): string {
  const count = random.int(1, 300);
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const roll = random.next();
    if (roll < 0.4) tokens.push(random.pick(punctuators));
    else if (roll < 0.8) tokens.push(random.pick(names));
    else if (roll < 0.9) tokens.push(String(randomNumber(random)));
    else tokens.push(JSON.stringify(randomString(random).slice(0, 30)));
  }
  return tokens.join(random.chance(0.5) ? " " : "");
}

const jobSelections = [
  "id",
  "status",
  "progress",
  "params",
  "result",
  "queuePosition",
  "seq",
  "cost",
  "estimatedStartAt",
  "error { message code attempt }",
  "events { seq }",
  "events(first: 1000) { seq status }",
  "events(first: -1) { seq }",
  "events(after: -5, first: 3) { seq }",
];

function randomArgumentValue(random: Random): string {
  const roll = random.next();
  if (roll < 0.3) return String(randomNumber(random));
  if (roll < 0.6) return JSON.stringify(randomString(random).slice(0, 40));
  if (roll < 0.7) return `[${Array.from({ length: random.int(0, 30) }, () => random.pick(["QUEUED", "RUNNING", "FAILED", "NOPE", "1"])).join(",")}]`;
  if (roll < 0.8) return random.pick(["null", "true", "QUEUED", "$v", "{}", "[]"]);
  return `${"[".repeat(random.int(1, 200))}1${"]".repeat(random.int(1, 200))}`;
}

function randomJobsField(random: Random): string {
  const args: string[] = [];
  if (random.chance(0.6)) args.push(`first: ${random.chance(0.6) ? random.int(-2, 120) : randomArgumentValue(random)}`);
  if (random.chance(0.2)) args.push(`after: ${random.chance(0.5) ? JSON.stringify(Buffer.from(randomString(random)).toString("base64url")) : randomArgumentValue(random)}`);
  if (random.chance(0.2)) args.push(`status: ${randomArgumentValue(random)}`);
  if (random.chance(0.2)) args.push(`type: ${randomArgumentValue(random)}`);
  const fields = Array.from({ length: random.int(1, 4) }, () => random.pick(jobSelections)).join(" ");
  return `jobs${args.length ? `(${args.join(", ")})` : ""} { edges { cursor node { ${fields} } } pageInfo { hasNextPage endCursor } }`;
}

function randomQueryField(random: Random): string {
  const roll = random.next();
  if (roll < 0.2) return "me { id balance role }";
  if (roll < 0.45) return randomJobsField(random);
  if (roll < 0.55) return `job(id: ${random.chance(0.5) ? JSON.stringify(randomString(random).slice(0, 40)) : randomArgumentValue(random)}) { ${random.pick(jobSelections)} }`;
  if (roll < 0.65) return `jobTypes { name ${random.chance(0.5) ? "paramsSchema" : "cost"} }`;
  if (roll < 0.72) return "queueStats { __typename }";
  if (roll < 0.8) return "__schema { types { name fields { name type { name ofType { name ofType { name } } } } } }";
  if (roll < 0.9) return "__typename";
  return `${random.pick(names)}${random.chance(0.3) ? `(${random.pick(names)}: ${randomArgumentValue(random)})` : ""}${random.chance(0.5) ? ` { ${random.pick(names)} }` : ""}`;
}

const submitSelection = "{ __typename ... on SubmitJobSuccess { job { id cost } } ... on Error { message } }";

/** A GraphQL literal for a JSON value (object keys must be names, so odd keys become quoted strings in a list). */
function jsonLiteral(value: unknown, random: Random, depth = 0): string {
  if (depth > 6) return "null";
  if (Array.isArray(value)) return `[${value.slice(0, 20).map((v) => jsonLiteral(v, random, depth + 1)).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    return `{${Object.entries(value)
      .slice(0, 20)
      .map(([key, v]) => `${/^[_A-Za-z][_0-9A-Za-z]*$/.test(key) ? key : `k${key.length}`}: ${jsonLiteral(v, random, depth + 1)}`)
      .join(",")}}`;
  }
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "0";
  return String(value);
}

function randomMutation(random: Random, idempotencyKeys: readonly string[]): string {
  const count = random.chance(0.8) ? random.int(1, 3) : random.int(4, 12);
  const fields: string[] = [];
  for (let i = 0; i < count; i++) {
    const roll = random.next();
    if (roll < 0.7) {
      const input = randomSubmitInput(random, idempotencyKeys);
      const literal = Object.entries(input)
        .map(([key, value]) => `${key}: ${jsonLiteral(value, random)}`)
        .join(", ");
      fields.push(`m${i}: submitJob(input: { ${literal} }) ${submitSelection}`);
    } else if (roll < 0.8) {
      fields.push(`m${i}: cancelJob(id: ${JSON.stringify(randomString(random).slice(0, 40))}) { __typename }`);
    } else if (roll < 0.9) {
      fields.push(`m${i}: retryJob(id: ${JSON.stringify(randomString(random).slice(0, 40))}) ${submitSelection}`);
    } else {
      fields.push(`m${i}: grantCredits(userId: ${JSON.stringify(randomString(random).slice(0, 40))}, amount: ${randomNumber(random)}) { id balance }`);
    }
  }
  return `mutation { ${fields.join(" ")} }`;
}

export type DocumentKind = "query" | "mutation" | "wide" | "deep" | "aliased" | "malformed" | "soup" | "nul" | "oversized" | "directives" | "fragments";

/** A GraphQL document of a random kind; mutations only ever in the "mutation" kind (their selections show every job made). */
export function randomDocument(random: Random, idempotencyKeys: readonly string[]): { kind: DocumentKind; document: string } {
  const kind = random.pick<DocumentKind>([
    "query",
    "query",
    "mutation",
    "mutation",
    "wide",
    "deep",
    "aliased",
    "malformed",
    "malformed",
    "soup",
    "nul",
    "directives",
    "fragments",
    ...(random.chance(0.15) ? (["oversized"] as const) : []),
  ]);
  const query = () => `${random.chance(0.5) ? `query Q${random.int(0, 9)} ` : ""}{ ${Array.from({ length: random.int(1, 4) }, () => randomQueryField(random)).join(" ")} }`;
  switch (kind) {
    case "query":
      return { kind, document: query() };
    case "mutation":
      return { kind, document: randomMutation(random, idempotencyKeys) };
    case "wide":
      return { kind, document: `{ ${Array.from({ length: random.int(10, 3_000) }, () => random.pick(["__typename", "me { id }", "jobTypes { name }"])).join(" ")} }` };
    case "deep": {
      const depth = random.int(5, 3_000);
      const field = random.pick(["a", "me", "jobs", "__typename", "node"]);
      return { kind, document: `{${`${field}{`.repeat(depth)}id${"}".repeat(depth)}}` };
    }
    case "aliased":
      return { kind, document: `{ ${Array.from({ length: random.int(2, 2_000) }, (_, i) => `a${i}: ${randomQueryField(random)}`).join(" ")} }` };
    case "malformed": {
      const base = random.chance(0.5) ? query() : randomMutation(random, idempotencyKeys);
      const roll = random.next();
      // Mutations are only cut, never re-assembled into another valid one.
      if (roll < 0.5) return { kind, document: base.slice(0, random.int(0, Math.max(0, base.length - 2))) };
      const at = random.int(0, base.length);
      return { kind, document: `${base.slice(0, at)}${random.pick(["{", "}", "(", ")", '"', "\\", "...", "$", "@", "#", "\u0000", "\ud800"])}${base.slice(at)}` };
    }
    case "soup":
      return { kind, document: randomTokenSoup(random) };
    case "nul": {
      const base = query();
      const at = random.int(0, base.length);
      return { kind, document: `${base.slice(0, at)}${random.pick(["\u0000", "\\u0000", '"\u0000"', '"\\u0000"', "\u0000".repeat(100)])}${base.slice(at)}` };
    }
    case "directives":
      return {
        kind,
        document: `{ me ${Array.from({ length: random.int(1, 500) }, () => random.pick(["@include(if: true)", "@skip(if: false)", "@deprecated", "@nope"])).join(" ")} { id } }`,
      };
    case "fragments": {
      const count = random.int(1, 200);
      const fragments = Array.from({ length: count }, (_, i) => `fragment F${i} on Query { ${i + 1 < count ? `...F${i + 1}` : "__typename"} ${random.chance(0.1) ? `...F${random.int(0, count - 1)}` : ""} }`);
      return { kind, document: `{ ...F0 } ${fragments.join(" ")}` };
    }
    case "oversized":
      return { kind, document: `{ ${"__typename ".repeat(random.int(100_000, 120_000))}}` };
  }
}

/** Contains NUL, or a UTF-16 surrogate without its pair, anywhere in a string (keys included). */
export function hasUnstorableText(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === "string") {
      if (current.includes("\u0000") || /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(current)) return true;
    } else if (Array.isArray(current)) {
      stack.push(...current);
    } else if (typeof current === "object" && current !== null) {
      for (const [key, item] of Object.entries(current)) {
        stack.push(key, item);
      }
    }
  }
  return false;
}
