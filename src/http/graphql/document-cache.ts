/**
 * A least-recently-used cache keyed by GraphQL document text, bounded by the
 * total length of its keys. Yoga's default keeps 1,024 documents whatever
 * their size: a thousand distinct 1 MiB documents padded with comments or
 * blanks (cheap tokens-wise) would pin a gigabyte.
 */
export function createDocumentCache<T>(options: { maxEntries: number; maxTotalChars: number; maxKeyChars: number }) {
  const entries = new Map<string, T>();
  let totalChars = 0;
  return {
    get(key: string): T | undefined {
      const value = entries.get(key);
      if (value === undefined) return undefined;
      // Re-inserted, so the Map's order stays least recently used first.
      entries.delete(key);
      entries.set(key, value);
      return value;
    },
    set(key: string, value: T): void {
      if (key.length > options.maxKeyChars) return;
      if (entries.delete(key)) totalChars -= key.length;
      entries.set(key, value);
      totalChars += key.length;
      for (const oldest of entries.keys()) {
        if (entries.size <= options.maxEntries && totalChars <= options.maxTotalChars) break;
        entries.delete(oldest);
        totalChars -= oldest.length;
      }
    },
  };
}
