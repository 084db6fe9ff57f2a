/**
 * Turns client-chosen names (GraphQL operation names, say) into label
 * values with a bounded set. `known` names are kept from the start. Another
 * name of the expected shape is admitted while fewer than `maxValues` were
 * admitted before it, and only when the caller says it may be (`admit`);
 * a name not admitted becomes `notAdmitted`, any other `other`, and a missing
 * one `missing`. Each kept name costs one time series per label combination
 * for the life of the process, so the set never grows with what clients send.
 */
export function makeBoundedLabel(options: {
  pattern: RegExp;
  maxValues: number;
  known?: Iterable<string>;
  other?: string;
  missing?: string;
  notAdmitted?: string;
}) {
  const other = options.other ?? "other";
  const missing = options.missing ?? "anonymous";
  const notAdmitted = options.notAdmitted ?? other;
  const kept = new Set<string>(options.known);
  let admitted = 0;
  return (name: string | null | undefined, { admit = true }: { admit?: boolean } = {}): string => {
    if (name === null || name === undefined || name === "") return missing;
    if (kept.has(name)) return name;
    if (!admit) return notAdmitted;
    if (!options.pattern.test(name) || admitted >= options.maxValues) return other;
    kept.add(name);
    admitted++;
    return name;
  };
}

/** GraphQL names (the spec's Name) up to 64 characters. */
export const operationNamePattern = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
