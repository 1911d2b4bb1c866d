import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LambdaRuntime, startLambdaRuntime } from '../src/index.ts';
import { fixture, invokeFunction, waitFor } from './support/invoke-http.ts';

// The slow fixture as JavaScript would need its own file; tsx cold starts are fine for 2 workers.
let runtime: LambdaRuntime;

beforeAll(async () => {
  runtime = await startLambdaRuntime({
    functions: [{ name: 'one-worker', handlerModule: fixture('slow'), maxConcurrency: 4, maxWorkers: 1 }],
  });
});

afterAll(async () => {
  await runtime?.stop();
});

describe('maxWorkers', () => {
  it('queues invocations past maxWorkers on the same worker instead of forking more', async () => {
    const replies = await Promise.all(
      [0, 1, 2].map(() => invokeFunction(runtime.url, 'one-worker', { ms: 300 })),
    );
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200]);
    expect(new Set(replies.map((reply) => (reply.json as { pid: number }).pid)).size).toBe(1);
    expect(runtime.stats('one-worker')).toMatchObject({
      coldStarts: 1,
      throttles: 0,
      peakInFlight: 3,
      waitingForWorker: 0,
    });
  });

  it('drops a waiting invocation at once when its caller disconnects', async () => {
    const before = runtime.stats('one-worker').invocations;
    const busy = invokeFunction(runtime.url, 'one-worker', { ms: 1_500 });
    await waitFor(() => runtime.stats('one-worker').inFlight === 1);
    const impatient = new AbortController();
    const gaveUp = invokeFunction(runtime.url, 'one-worker', { ms: 1 }, { signal: impatient.signal }).catch(
      (error: unknown) => error,
    );
    await waitFor(() => runtime.stats('one-worker').waitingForWorker === 1);
    impatient.abort();
    await waitFor(() => runtime.stats('one-worker').waitingForWorker === 0, 500);
    expect(runtime.stats('one-worker')).toMatchObject({ abandoned: 1, inFlight: 1 });
    expect(await gaveUp).toBeInstanceOf(Error);
    expect((await busy).status).toBe(200);
    // Only the busy call ran; the abandoned one never reached the worker.
    expect(runtime.stats('one-worker').invocations).toBe(before + 1);
  });
});
