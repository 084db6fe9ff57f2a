import { useEffect } from "preact/hooks";

/** Runs `run` every `intervalMs` while the tab is visible; not at all while `intervalMs` is null. */
export function useVisibleInterval(run: () => void, intervalMs: number | null): void {
  useEffect(() => {
    if (intervalMs === null) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") run();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [run, intervalMs]);
}
