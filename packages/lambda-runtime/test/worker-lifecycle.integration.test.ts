import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LambdaRuntime, startLambdaRuntime } from '../src/index.ts';
import { fixture, invokeFunction, isProcessAlive, waitFor } from './support/invoke-http.ts';

let runtime: LambdaRuntime;

beforeAll(async () => {
  runtime = await startLambdaRuntime({
    functions: [
      { name: 'counter', handlerModule: fixture('counter') },
      // 2 s rather than 1 s so a warm call never times out on a busy 2-core machine, and a long
      // init allowance because other test files may be starting dozens of workers meanwhile.
      { name: 'slow', handlerModule: fixture('slow'), timeoutMs: 2_000, initTimeoutMs: 60_000 },
      { name: 'crash', handlerModule: fixture('crash') },
      { name: 'echo', handlerModule: fixture('echo'), timeoutMs: 2_000, initTimeoutMs: 60_000 },
      { name: 'reaped', handlerModule: fixture('counter'), idleTimeoutMs: 300 },
    ],
  });
});

afterAll(async () => {
  await runtime?.stop();
});

interface PidReply {
  pid: number;
}

describe('warm and cold starts', () => {
  it('reuses an idle worker, so module state survives and the cold start is counted once', async () => {
    const replies = [];
    for (let i = 0; i < 3; i += 1) replies.push((await invokeFunction(runtime.url, 'counter', {})).json);
    expect(replies.map((reply) => (reply as { invocations: number }).invocations)).toEqual([1, 2, 3]);
    expect(new Set(replies.map((reply) => (reply as PidReply).pid)).size).toBe(1);
    expect(runtime.stats('counter')).toMatchObject({ invocations: 3, coldStarts: 1, idleWorkers: 1 });
  });

  it('reaps a worker idle for idleTimeoutMs, so the next invocation is a cold start', async () => {
    const first = (await invokeFunction(runtime.url, 'reaped', {})).json as PidReply & {
      invocations: number;
    };
    await waitFor(() => runtime.stats('reaped').workerPids.length === 0);
    await waitFor(() => !isProcessAlive(first.pid));
    const second = (await invokeFunction(runtime.url, 'reaped', {})).json as PidReply & {
      invocations: number;
    };
    expect(second.pid).not.toBe(first.pid);
    expect(second.invocations).toBe(1);
    expect(runtime.stats('reaped').coldStarts).toBe(2);
  });
});

describe('timeouts', () => {
  it('kills a worker that runs past the timeout, answers Sandbox.Timedout, and the next call starts cold', async () => {
    const warm = (await invokeFunction(runtime.url, 'slow', { ms: 1 })).json as PidReply;
    const startedMs = Date.now();
    const reply = await invokeFunction(runtime.url, 'slow', { ms: 20_000 });
    const elapsedMs = Date.now() - startedMs;
    expect(reply.status).toBe(200);
    expect(reply.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(reply.json).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: 'Task timed out after 2.00 seconds',
      trace: [],
    });
    expect(elapsedMs).toBeGreaterThanOrEqual(1_990);
    expect(elapsedMs).toBeLessThan(6_000);
    expect(isProcessAlive(warm.pid)).toBe(false);

    const next = (await invokeFunction(runtime.url, 'slow', { ms: 1 })).json as PidReply;
    expect(next.pid).not.toBe(warm.pid);
    expect(runtime.stats('slow')).toMatchObject({ coldStarts: 2, timeouts: 1, errors: 1 });
  });

  it('kills a worker whose event loop is blocked', async () => {
    const reply = await invokeFunction(runtime.url, 'slow', { ms: 20_000, busy: true });
    expect(reply.json).toMatchObject({ errorType: 'Sandbox.Timedout' });
    expect((await invokeFunction(runtime.url, 'slow', { ms: 1 })).status).toBe(200);
  });
});

describe('crashes', () => {
  it('answers Runtime.ExitError when the worker exits mid-invocation, then recovers with a new worker', async () => {
    const reply = await invokeFunction(runtime.url, 'crash', { exitCode: 3 });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(reply.json).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: 'Runtime exited with error: exit status 3',
      trace: [],
    });
    expect(runtime.stats('crash')).toMatchObject({ crashes: 1, workerPids: [] });
    const again = await invokeFunction(runtime.url, 'crash', { exitCode: 4 });
    expect((again.json as { errorMessage: string }).errorMessage).toBe(
      'Runtime exited with error: exit status 4',
    );
    expect(runtime.stats('crash').coldStarts).toBe(2);
  });

  it('reports an unhandled rejection as Runtime.UnhandledPromiseRejection and discards the worker', async () => {
    const reply = await invokeFunction(runtime.url, 'crash', { unhandledRejection: true });
    expect(reply.json).toMatchObject({
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: 'nobody awaited me',
    });
    expect(runtime.stats('crash').workerPids).toEqual([]);
  });
});

describe('injectFault', () => {
  it('crashes the next invocation of any handler, and only that one', async () => {
    const warm = (await invokeFunction(runtime.url, 'echo', {})).json as PidReply;
    runtime.injectFault('echo', 'crash');
    const crashed = await invokeFunction(runtime.url, 'echo', {});
    expect(crashed.json).toMatchObject({ errorType: 'Runtime.ExitError' });
    expect(isProcessAlive(warm.pid)).toBe(false);
    expect((await invokeFunction(runtime.url, 'echo', {})).status).toBe(200);
    expect(runtime.stats('echo').crashes).toBe(1);
  });

  it('hangs the next invocation until the timeout kills the worker', async () => {
    runtime.injectFault('echo', 'hang');
    const hung = await invokeFunction(runtime.url, 'echo', {});
    expect(hung.json).toMatchObject({ errorType: 'Sandbox.Timedout' });
    const next = await invokeFunction(runtime.url, 'echo', {});
    expect(next.headers.get('x-amz-function-error')).toBeNull();
  });

  it('rejects an unknown function name', () => {
    expect(() => runtime.injectFault('nope', 'crash')).toThrow(/no function "nope"/);
  });
});
