import { safeGet } from "../storage.js";

// The access token lives in sessionStorage: gone when the tab closes, never sent to another origin.
const tokenKey = "jobgw.token";

export const readToken = (): string | null => safeGet(tokenKey);

/** Unlike safeSet, throws when storage refuses the token. */
export function storeToken(token: string): void {
  sessionStorage.setItem(tokenKey, token);
}

/**
 * Signs in with a token from a link: as a pasted one is stored, after
 * dropping what was kept for another token in this tab (its open logs).
 */
export function adoptToken(token: string): void {
  if (readToken() !== token) clearSession();
  storeToken(token);
}

/** Signs out: the token and everything kept for it (expanded rows, event logs). */
export function clearSession(): void {
  sessionStorage.clear();
}

/** Accepts a pasted token with or without its "Bearer " prefix and stray whitespace. */
export function normalizeToken(text: string): string {
  return text.trim().replace(/^bearer\s+/i, "").trim();
}
