/** One thing wrong with an input, at its path (e.g. ["input", "params", "steps"]). */
export interface ValidationIssue {
  path: string[];
  message: string;
}
