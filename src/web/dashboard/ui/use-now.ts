import { useEffect, useState } from "preact/hooks";

/** The current time, re-read every `intervalMs`, so elapsed times, ETAs and "~2 min ago" tick. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
