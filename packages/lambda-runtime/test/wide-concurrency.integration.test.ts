import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type LambdaRuntime, startLambdaRuntime } from '../src/index.ts';
import { fixture, invokeFunction } from './support/invoke-http.ts';

// Its own file, and a JavaScript handler: fifty cold starts with the tsx loader cost about 0.6 s
// of CPU each and saturated a 2-core machine for 20-50 s; without it they cost about 0.1 s each.
let runtime: LambdaRuntime;
let barrierDir: string;

beforeAll(async () => {
  barrierDir = await mkdtemp(join(tmpdir(), 'lambda-barrier-'));
  runtime = await startLambdaRuntime({
    functions: [
      // Fifty inits at once on a small machine: give them more room than the default.
      {
        name: 'wide',
        handlerModule: fixture('barrier', 'mjs'),
        maxConcurrency: 50,
        maxWorkers: 50,
        initTimeoutMs: 60_000,
        timeoutMs: 60_000,
      },
    ],
  });
});

afterAll(async () => {
  await runtime?.stop();
  await rm(barrierDir, { recursive: true, force: true });
});

it('serves 50 invocations in flight at once with a limit of 50, one worker each', async () => {
  const startedMs = Date.now();
  const replies = await Promise.all(
    Array.from({ length: 50 }, () => invokeFunction(runtime.url, 'wide', { dir: barrierDir, parties: 50 })),
  );
  console.info(`50 concurrent cold invocations took ${Date.now() - startedMs} ms`);
  expect(replies.map((reply) => reply.status)).toEqual(Array(50).fill(200));
  expect(replies.filter((reply) => reply.headers.get('x-amz-function-error') !== null)).toEqual([]);
  expect(runtime.stats('wide')).toMatchObject({
    invocations: 50,
    coldStarts: 50,
    peakInFlight: 50,
    throttles: 0,
    errors: 0,
    inFlight: 0,
  });
  expect(new Set(replies.map((reply) => (reply.json as { pid: number }).pid)).size).toBe(50);
});
