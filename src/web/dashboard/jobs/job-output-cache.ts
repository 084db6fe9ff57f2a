import { safeGet, safeSet } from "../storage.js";
import { parseStoredOutput, type HeldOutput } from "./job-output-state.js";

// Kept in sessionStorage so a reload goes on from the offset held instead of from the start; a text past
// this length is not kept (sessionStorage holds a few MB for every open log and text), and starts over.
const maxKeptChars = 200_000;
const outputKey = (jobId: string) => `jobgw.output.${jobId}`;

export const readOutput = (jobId: string): HeldOutput => parseStoredOutput(safeGet(outputKey(jobId)));

export function storeOutput(jobId: string, held: HeldOutput): void {
  safeSet(outputKey(jobId), held.text.length > maxKeptChars ? "" : JSON.stringify(held));
}
