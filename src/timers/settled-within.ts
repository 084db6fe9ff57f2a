/** The promise's value, or null when it rejects or has not settled within `ms` (it is not cancelled). */
export function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
    timer.unref?.();
  });
  const settled = promise.then(
    (value) => value,
    () => null,
  );
  return Promise.race([settled, timedOut]).finally(() => clearTimeout(timer));
}
