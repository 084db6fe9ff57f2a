/** What a read of the job list is for: a new filter's first page, the loaded rows again, or the next page. */
type ListReadKind = "reset" | "refresh" | "more";

/**
 * Which answers to the job list's reads may still be applied. Reads
 * overlap (the periodic refresh, a reconnect's, "Load more", a new filter)
 * and their answers come back in any order, so each read takes a number:
 * - a reset (a new filter) drops every read asked before it;
 * - a refresh's answer is dropped when an answer to a later read was
 *   applied already (it would take the list back);
 * - a further page may still be applied then (the caller checks that the
 *   list still ends where the page was asked from).
 * Pure: no DOM, no I/O.
 */
export function createListReads() {
  let asked = 0;
  let applied = 0;
  let lastReset = 0;
  return {
    begin(kind: ListReadKind): number {
      asked += 1;
      if (kind === "reset") lastReset = asked;
      return asked;
    },
    /** Whether the read is for the filter shown now (no reset asked since). */
    isCurrent: (read: number) => read >= lastReset,
    mayApply(read: number, kind: ListReadKind): boolean {
      if (read < lastReset) return false;
      return kind === "more" || read > applied;
    },
    applied(read: number): void {
      applied = Math.max(applied, read);
    },
  };
}
