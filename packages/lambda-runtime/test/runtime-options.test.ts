import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { resolveRuntimeOptions } from '../src/runtime-options.ts';
import { buildWorkerEnvironment } from '../src/worker-environment.ts';
import { fixture } from './support/invoke-http.ts';

const echo = { name: 'echo', handlerModule: fixture('echo') };

describe('resolveRuntimeOptions', () => {
  it('applies the documented defaults', () => {
    const resolved = resolveRuntimeOptions({ functions: [echo] });
    expect(resolved).toMatchObject({
      host: '127.0.0.1',
      secret: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
      port: 0,
      region: 'us-east-1',
      accountId: '000000000000',
      workerOutput: 'ignore',
      inheritEnv: true,
    });
    expect(resolved.functions[0]).toEqual({
      ...echo,
      handlerExport: 'handler',
      env: {},
      timeoutMs: 30_000,
      maxConcurrency: 10,
      maxWorkers: Math.min(10, 2 * availableParallelism()),
      memoryMb: 1024,
      idleTimeoutMs: 300_000,
      initTimeoutMs: 30_000,
      tsx: true,
    });
  });

  it('loads tsx for TypeScript handler modules only, unless told otherwise', () => {
    const tsxOf = (handlerModule: string, tsx?: boolean) =>
      resolveRuntimeOptions({
        functions: [{ name: 'f', handlerModule, ...(tsx === undefined ? {} : { tsx }) }],
      }).functions[0]!.tsx;
    expect(tsxOf(fixture('echo'))).toBe(true);
    expect(tsxOf(fixture('barrier', 'mjs'))).toBe(false);
    expect(tsxOf(fixture('barrier', 'mjs'), true)).toBe(true);
  });

  it('gives init the larger of 10 s and the function timeout unless told otherwise', () => {
    const resolve = (timeoutMs: number) =>
      resolveRuntimeOptions({ functions: [{ ...echo, timeoutMs }] }).functions[0]!.initTimeoutMs;
    expect(resolve(2_000)).toBe(10_000);
    expect(resolve(60_000)).toBe(60_000);
  });

  it.each([
    [{ functions: [] }, /non-empty array/],
    [{ functions: [echo, echo] }, /"echo" is used twice/],
    [{ functions: [{ ...echo, name: 'bad name' }] }, /must be 1-64 characters/],
    [{ functions: [{ ...echo, handlerModule: 'relative/echo.ts' }] }, /must be an absolute path/],
    [{ functions: [{ ...echo, handlerModule: '/nowhere/echo.ts' }] }, /does not exist/],
    [{ functions: [{ ...echo, timeoutMs: 0 }] }, /timeoutMs is 0/],
    [{ functions: [{ ...echo, maxConcurrency: 2.5 }] }, /maxConcurrency is 2.5/],
    [{ functions: [{ ...echo, memoryMb: 64 }] }, /memoryMb is 64; expected an integer in \[128, 10240\]/],
    [{ functions: [{ ...echo, env: { COUNT: 3 } }] }, /env.COUNT of "echo" is number/],
    [{ functions: [{ ...echo, timeout: 5 }] }, /unknown option "timeout"/],
    [{ functions: [echo], colour: 'blue' }, /unknown option "colour"/],
    [{ functions: [echo], workerOutput: 'pipe' }, /workerOutput is "pipe"/],
    [{ functions: [echo], host: '0.0.0.0' }, /host is "0.0.0.0"; .* listens only on loopback/],
    [{ functions: [echo], host: '192.168.1.5' }, /host is "192.168.1.5"/],
    [{ functions: [echo], secret: 'short' }, /secret has 5 characters; allowed: at least 16/],
    [
      { functions: [{ ...echo, maxConcurrency: 2, maxWorkers: 3 }] },
      /maxWorkers is 3; expected an integer in \[1, 2\]/,
    ],
  ])('rejects %j', (options, message) => {
    expect(() => resolveRuntimeOptions(options as never)).toThrow(message);
  });
});

describe('buildWorkerEnvironment', () => {
  const fn = resolveRuntimeOptions({
    functions: [{ ...echo, memoryMb: 256, env: { AWS_REGION: 'local-1', X: 'y' } }],
  }).functions[0]!;

  it('sets the standard Lambda variables and lets the function env win', () => {
    const env = buildWorkerEnvironment(fn, {
      region: 'eu-west-1',
      inheritEnv: false,
      parentEnv: { HOME: '/root' },
    });
    expect(env).toMatchObject({
      AWS_REGION: 'local-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_LAMBDA_FUNCTION_NAME: 'echo',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/echo',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      X: 'y',
    });
    expect(env.HOME).toBeUndefined();
  });

  it('inherits the parent environment when asked to', () => {
    const env = buildWorkerEnvironment(fn, {
      region: 'eu-west-1',
      inheritEnv: true,
      parentEnv: { HOME: '/root' },
    });
    expect(env.HOME).toBe('/root');
  });

  it('turns Powertools tracing off, even when the inherited environment looks like AWS', () => {
    const env = buildWorkerEnvironment(fn, {
      region: 'eu-west-1',
      inheritEnv: true,
      parentEnv: { AWS_EXECUTION_ENV: 'CloudShell', POWERTOOLS_TRACE_ENABLED: 'true' },
    });
    expect(env.POWERTOOLS_TRACE_ENABLED).toBe('false');
    const own = resolveRuntimeOptions({
      functions: [{ ...echo, env: { POWERTOOLS_TRACE_ENABLED: 'true' } }],
    });
    expect(
      buildWorkerEnvironment(own.functions[0]!, { region: 'eu-west-1', inheritEnv: false, parentEnv: {} })
        .POWERTOOLS_TRACE_ENABLED,
    ).toBe('true');
  });
});
