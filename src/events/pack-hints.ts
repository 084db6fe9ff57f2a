/** Joins hint lines into as few NOTIFY payloads as fit under `maxBytes` each (lines are ASCII). */
export function packHints(lines: readonly string[], maxBytes: number): string[] {
  const payloads: string[] = [];
  let current = "";
  for (const line of lines) {
    if (current.length > 0 && current.length + 1 + line.length > maxBytes) {
      payloads.push(current);
      current = "";
    }
    current = current.length > 0 ? `${current}\n${line}` : line;
  }
  if (current.length > 0) payloads.push(current);
  return payloads;
}
