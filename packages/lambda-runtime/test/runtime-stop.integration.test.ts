import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startLambdaRuntime } from '../src/index.ts';
import { fixture, invokeFunction, isProcessAlive, waitFor } from './support/invoke-http.ts';

describe('stop', () => {
  it('leaves no worker process alive: idle, busy and SIGTERM-ignoring ones', async () => {
    const runtime = await startLambdaRuntime({
      functions: [
        { name: 'counter', handlerModule: fixture('counter'), maxConcurrency: 3 },
        { name: 'slow', handlerModule: fixture('slow') },
        { name: 'stubborn', handlerModule: fixture('ignores-sigterm') },
      ],
    });
    await Promise.all([1, 2, 3].map(() => invokeFunction(runtime.url, 'counter', {})));
    await invokeFunction(runtime.url, 'stubborn', {});
    const inFlight = invokeFunction(runtime.url, 'slow', { ms: 30_000 }).catch((error: unknown) => error);
    await waitFor(() => runtime.stats('slow').workerPids.length === 1);
    const pids = ['counter', 'slow', 'stubborn'].flatMap((name) => runtime.stats(name).workerPids);
    expect(pids.length).toBeGreaterThanOrEqual(3);
    expect(pids.every(isProcessAlive)).toBe(true);

    const startedMs = Date.now();
    await runtime.stop();
    expect(Date.now() - startedMs).toBeLessThan(5_000);
    expect(pids.filter(isProcessAlive)).toEqual([]);
    // The cut-short invocation ends one way or another rather than hanging.
    await inFlight;
  });

  it('workers exit on their own when the runtime process is killed', async () => {
    const host = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./support/runtime-host.ts', import.meta.url))],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const [line] = (await once(host.stdout!, 'data')) as [Buffer];
    const { workerPid } = JSON.parse(line.toString('utf8')) as { workerPid: number };
    expect(isProcessAlive(workerPid)).toBe(true);
    host.kill('SIGKILL');
    await once(host, 'exit');
    await waitFor(() => !isProcessAlive(workerPid), 10_000);
  });
});
