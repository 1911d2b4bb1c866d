import { describe, expect, it } from 'vitest';
import { InvokeError } from '../src/invoker.ts';
import { isRetryable, withRetry } from '../src/retry.ts';

describe('retry policy', () => {
  it('retries throttling, 5xx and timeouts exactly once', async () => {
    for (const kind of ['throttled', 'server', 'timeout'] as const) {
      let calls = 0;
      await expect(
        withRetry(
          async () => {
            calls++;
            throw new InvokeError(kind, 'f', 'x');
          },
          { backoffMs: 1 },
        ),
      ).rejects.toThrow(InvokeError);
      expect(calls).toBe(2);
    }
  });

  it('does not retry errors of the function itself', async () => {
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw new InvokeError('function', 'f', 'Runtime.ExitError');
      }),
    ).rejects.toThrow(/ExitError/);
    expect(calls).toBe(1);
    expect(isRetryable(new Error('plain'))).toBe(false);
  });

  it('returns the second attempt when it succeeds', async () => {
    let calls = 0;
    const value = await withRetry(
      async () => {
        calls++;
        if (calls === 1) throw new InvokeError('throttled', 'f', 'slow down');
        return 42;
      },
      { backoffMs: 1 },
    );
    expect(value).toBe(42);
  });
});
