import { InvokeError } from './invoker.ts';

export interface RetryOptions {
  /** Extra attempts after the first. @default 1 */
  readonly retries?: number;
  /** Pause before a retry, doubled after each; jitter is added. @default 50 */
  readonly backoffMs?: number;
  /**
   * Asked before each retry (after the pause): false gives up with the last error. The tree
   * retries only while the request's budget leaves time for another attempt. @default always
   */
  readonly canRetry?: () => boolean;
}

/** Throttling, 5xx and timeouts are worth one more try; errors of the function itself are not. */
export function isRetryable(error: unknown): boolean {
  return (
    error instanceof InvokeError &&
    (error.kind === 'throttled' || error.kind === 'server' || error.kind === 'timeout')
  );
}

/** Runs `attempt`, retrying retryable failures (see `isRetryable`) up to `retries` times. */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const retries = options.retries ?? 1;
  let pause = options.backoffMs ?? 50;
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n >= retries || !isRetryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause + Math.random() * pause));
      pause *= 2;
      if (options.canRetry?.() === false) throw error;
    }
  }
}
