import { safeGet, safeSet } from "../storage.js";
import { parseStoredLog, type LoggedEvent } from "./event-log-state.js";

// Kept in sessionStorage so a reload resumes each open log from its last seq instead of from the start
// (storage full or disabled: the page still works, it just starts logs from seq 0 after a reload).
const eventsKey = (jobId: string) => `jobgw.events.${jobId}`;
const expandedKey = "jobgw.expanded";

export const readEventLog = (jobId: string): LoggedEvent[] => parseStoredLog(safeGet(eventsKey(jobId)));

export function storeEventLog(jobId: string, events: readonly LoggedEvent[]): void {
  safeSet(eventsKey(jobId), JSON.stringify(events));
}

/** The jobs whose event log was open, so a reload opens them again. */
export function readExpanded(): string[] {
  try {
    const value: unknown = JSON.parse(safeGet(expandedKey) ?? "[]");
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === "string") : [];
  } catch {
    return [];
  }
}

export function storeExpanded(ids: readonly string[]): void {
  safeSet(expandedKey, JSON.stringify(ids));
}
