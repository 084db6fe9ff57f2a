// sessionStorage that may be full or disabled (private modes, policies): a read finds nothing, a write is dropped.

export function safeGet(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

export function safeSet(key: string, value: string): void {
  try {
    sessionStorage.setItem(key, value);
  } catch {
    /* ignored */
  }
}
