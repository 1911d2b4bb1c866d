/** Polls `condition` every 10 ms until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() >= until) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

/** An `IndexAccess` method wrapper that waits `ms` before delegating. */
export function delayed<A extends unknown[], R>(ms: number, fn: (...args: A) => Promise<R>) {
  return async (...args: A): Promise<R> => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return fn(...args);
  };
}
