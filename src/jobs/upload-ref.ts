import { z } from "zod";
import { isAcceptPattern } from "../domain/upload-types.js";

/**
 * How a job type's params name an upload: `uploadRef({ accept: ["video/*"] })`
 * is a UUID string marked (zod metadata `x-upload`) so that a submit finds it
 * and checks the upload it names: it exists, is the caller's, is complete and
 * has an accepted type. The JSON Schema of the params (`jobTypes.paramsSchema`)
 * shows it as `{ type: "string", format: "uuid", "x-upload": { accept } }`.
 */

export interface UploadRefOptions {
  /** Content types accepted: `video/mp4`, `video/*` or `*\/*`. Default: any type the gateway accepts. */
  accept?: readonly string[];
}

/** The metadata key that marks an upload reference, in zod's registry and in the JSON Schema. */
export const uploadRefKey = "x-upload";

interface UploadRefMeta {
  accept: string[];
}

/** A params field holding the id of one of the caller's complete uploads. */
export function uploadRef(options: UploadRefOptions = {}) {
  const accept = [...(options.accept ?? ["*/*"])].map((pattern) => pattern.trim().toLowerCase());
  if (accept.length === 0) throw new Error("uploadRef: accept must name at least one content type (or */*)");
  const bad = accept.find((pattern) => !isAcceptPattern(pattern));
  if (bad !== undefined) throw new Error(`uploadRef: ${JSON.stringify(bad)} is not a content type pattern (type/subtype, type/* or */*)`);
  const meta: UploadRefMeta = { accept };
  // Lowercase, as the uploads' ids are: the expiry sweep finds a job's uploads by their id in its params.
  return z.uuid({ error: "must be an upload id" }).toLowerCase().meta({ [uploadRefKey]: meta });
}

/** An upload reference found in a job's params. */
export interface UploadRefAt {
  /** Where it is within the params (e.g. ["video"], or ["frames", "2"]). */
  path: string[];
  id: string;
  accept: string[];
}

type AnySchema = z.core.$ZodType;

const metaOf = (schema: AnySchema): UploadRefMeta | null => {
  const meta = z.globalRegistry.get(schema as z.ZodType)?.[uploadRefKey] as UploadRefMeta | undefined;
  return meta && Array.isArray(meta.accept) ? meta : null;
};

const defOf = (schema: AnySchema) => schema._zod.def as unknown as Record<string, unknown> & { type: string };

/** The schemas directly inside `schema` (an object's fields, an array's items, an optional's inner type…). */
function childrenOf(schema: AnySchema): AnySchema[] {
  const def = defOf(schema);
  switch (def.type) {
    case "object":
      return [...Object.values(def.shape as Record<string, AnySchema>), ...(def.catchall ? [def.catchall as AnySchema] : [])];
    case "array":
      return [def.element as AnySchema];
    case "tuple":
      return [...(def.items as AnySchema[]), ...(def.rest ? [def.rest as AnySchema] : [])];
    case "record":
    case "map":
      return [def.valueType as AnySchema];
    case "set":
      return [def.valueType as AnySchema];
    case "union":
      return def.options as AnySchema[];
    case "intersection":
      return [def.left as AnySchema, def.right as AnySchema];
    case "pipe":
      return [def.in as AnySchema, def.out as AnySchema];
    case "lazy":
      return [(def.getter as () => AnySchema)()];
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "nonoptional":
    case "readonly":
    case "catch":
    case "success":
    case "promise":
      return [def.innerType as AnySchema];
    default:
      return [];
  }
}

const containsCache = new WeakMap<AnySchema, boolean>();

/** True when the schema has an upload reference anywhere: types without one skip the check (and its query) at submit. */
export function hasUploadRefs(schema: AnySchema): boolean {
  const cached = containsCache.get(schema);
  if (cached !== undefined) return cached;
  const seen = new Set<AnySchema>();
  const visit = (node: AnySchema): boolean => {
    if (seen.has(node)) return false;
    seen.add(node);
    return metaOf(node) !== null || childrenOf(node).some(visit);
  };
  const found = visit(schema);
  containsCache.set(schema, found);
  return found;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The upload references in `value`, params already checked by `schema`, each
 * at its path. A union follows the first option the value satisfies, as zod
 * does when it parses.
 */
export function uploadRefsIn(schema: AnySchema, value: unknown): UploadRefAt[] {
  if (!hasUploadRefs(schema)) return [];
  const found = new Map<string, UploadRefAt>();
  const visit = (node: AnySchema, at: unknown, path: string[], depth: number): void => {
    // Params are at most 32 levels deep (check-submit-input.ts); a lazy schema's recursion ends with the value.
    if (depth > 64 || !hasUploadRefs(node)) return;
    const meta = metaOf(node);
    if (meta !== null) {
      if (typeof at === "string") found.set(JSON.stringify(path), { path, id: at, accept: meta.accept });
      return;
    }
    const def = defOf(node);
    switch (def.type) {
      case "object": {
        if (!isRecord(at)) return;
        const shape = def.shape as Record<string, AnySchema>;
        for (const [key, field] of Object.entries(shape)) visit(field, at[key], [...path, key], depth + 1);
        if (def.catchall) for (const key of Object.keys(at)) if (!(key in shape)) visit(def.catchall as AnySchema, at[key], [...path, key], depth + 1);
        return;
      }
      case "array":
        if (Array.isArray(at)) at.forEach((item, index) => visit(def.element as AnySchema, item, [...path, String(index)], depth + 1));
        return;
      case "tuple":
        if (Array.isArray(at)) {
          const items = def.items as AnySchema[];
          at.forEach((item, index) => {
            const itemSchema = items[index] ?? (def.rest as AnySchema | undefined);
            if (itemSchema) visit(itemSchema, item, [...path, String(index)], depth + 1);
          });
        }
        return;
      case "record":
        if (isRecord(at)) for (const [key, item] of Object.entries(at)) visit(def.valueType as AnySchema, item, [...path, key], depth + 1);
        return;
      case "union": {
        const option = (def.options as AnySchema[]).find((candidate) => (candidate as z.ZodType).safeParse(at).success);
        if (option) visit(option, at, path, depth + 1);
        return;
      }
      default:
        for (const child of childrenOf(node)) visit(child, at, path, depth + 1);
    }
  };
  visit(schema, value, [], 0);
  return [...found.values()];
}
