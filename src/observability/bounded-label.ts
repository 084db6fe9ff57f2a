/**
 * Turns client-chosen names (GraphQL operation names, say) into label
 * values with a bounded set: a name of the expected shape is kept as long as
 * fewer than `maxValues` distinct names were kept before it; any other name
 * becomes `other`, and a missing one `missing`. Each kept name costs one time
 * series per label combination for the life of the process, so the set is
 * never allowed to grow with what clients send.
 */
export function makeBoundedLabel(options: { pattern: RegExp; maxValues: number; other?: string; missing?: string }) {
  const other = options.other ?? "other";
  const missing = options.missing ?? "anonymous";
  const kept = new Set<string>();
  return (name: string | null | undefined): string => {
    if (name === null || name === undefined || name === "") return missing;
    if (kept.has(name)) return name;
    if (!options.pattern.test(name) || kept.size >= options.maxValues) return other;
    kept.add(name);
    return name;
  };
}

/** GraphQL names (the spec's Name) up to 64 characters. */
export const operationNamePattern = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
