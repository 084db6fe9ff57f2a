/**
 * The deepest error of a chain: a GraphQLError's `originalError`, then each
 * `cause`, as far as they go (a cycle or a chain past 20 links stops the walk).
 * The error itself when it wraps nothing.
 */
export function rootCause(error: unknown): unknown {
  const seen = new Set<unknown>();
  let current = error;
  while (seen.size < 20 && typeof current === "object" && current !== null && !seen.has(current)) {
    seen.add(current);
    const next = (current as { originalError?: unknown }).originalError ?? (current as { cause?: unknown }).cause;
    if (next === undefined || next === null) break;
    current = next;
  }
  return current;
}
