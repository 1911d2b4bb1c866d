import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LambdaRuntime, startLambdaRuntime } from '../src/index.ts';
import { fixture, invokeFunction } from './support/invoke-http.ts';

let runtime: LambdaRuntime;

beforeAll(async () => {
  runtime = await startLambdaRuntime({
    functions: [
      { name: 'limited', handlerModule: fixture('slow'), maxConcurrency: 2 },
      { name: 'queued', handlerModule: fixture('counter'), maxConcurrency: 1 },
    ],
  });
});

afterAll(async () => {
  await runtime?.stop();
});

describe('maxConcurrency', () => {
  it('answers 429 TooManyRequestsException to the call past the limit', async () => {
    // Warm both workers first so the slow calls overlap for certain.
    await Promise.all([
      invokeFunction(runtime.url, 'limited', { ms: 1 }),
      invokeFunction(runtime.url, 'limited', { ms: 1 }),
    ]);
    const replies = await Promise.all(
      [0, 1, 2].map(async (index) => {
        // Stagger so the two slow calls hold both slots when the third arrives.
        await new Promise((resolve) => setTimeout(resolve, index * 150));
        return invokeFunction(runtime.url, 'limited', { ms: 1_500 });
      }),
    );
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 429]);
    const throttled = replies[2]!;
    expect(throttled.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
    expect(throttled.json).toEqual({
      Type: 'User',
      message: 'Rate Exceeded.',
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
    expect(runtime.stats('limited')).toMatchObject({ throttles: 1, coldStarts: 2, inFlight: 0 });
  });

  it('frees the slot when an invocation ends, so the next call succeeds', async () => {
    expect((await invokeFunction(runtime.url, 'limited', { ms: 1 })).status).toBe(200);
  });

  it('queues Event invocations past the limit instead of refusing them', async () => {
    const replies = await Promise.all(
      [0, 1, 2, 3, 4].map(() => invokeFunction(runtime.url, 'queued', {}, { invocationType: 'Event' })),
    );
    expect(replies.map((reply) => reply.status)).toEqual([202, 202, 202, 202, 202]);
    await runtime.eventsSettled('queued');
    expect(runtime.stats('queued')).toMatchObject({
      invocations: 5,
      coldStarts: 1,
      throttles: 0,
      queuedEvents: 0,
    });
    const sync = await invokeFunction(runtime.url, 'queued', {});
    expect((sync.json as { invocations: number }).invocations).toBe(6);
  });
});
