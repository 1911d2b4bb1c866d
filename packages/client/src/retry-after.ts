/**
 * How long to wait before retry number `attempt` (1-based): the server's `Retry-After` when it
 * sent one (seconds, or an HTTP date), else exponential backoff from `baseDelayMs` with full
 * jitter; never more than `maxDelayMs`.
 */
export function retryDelayMs(
  attempt: number,
  retryAfter: string | null,
  options: {
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
    readonly now?: number;
    readonly random?: () => number;
  },
): number {
  const fromHeader = parseRetryAfterMs(retryAfter, options.now ?? Date.now());
  if (fromHeader !== undefined) return Math.min(fromHeader, options.maxDelayMs);
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor((options.random ?? Math.random)() * ceiling);
}

/** `Retry-After` in milliseconds, or undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
