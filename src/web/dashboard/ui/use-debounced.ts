import { useCallback, useEffect, useState } from "preact/hooks";

/** `value` once it has stood still for `delayMs`; `flush` takes the current value at once (Enter, say). */
export function useDebounced<T>(value: T, delayMs: number): [T, () => void] {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  const flush = useCallback(() => setSettled(value), [value]);
  return [settled, flush];
}
