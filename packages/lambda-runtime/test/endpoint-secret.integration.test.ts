import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../src/endpoint-secret.ts';
import { type LambdaRuntime, startLambdaRuntime } from '../src/index.ts';
import { fixture, invokeFunction } from './support/invoke-http.ts';

let runtime: LambdaRuntime;

beforeAll(async () => {
  runtime = await startLambdaRuntime({
    functions: [{ name: 'counter', handlerModule: fixture('counter') }],
  });
});

afterAll(async () => {
  await runtime?.stop();
});

describe('the Invoke API guard', () => {
  const origin = () => new URL(runtime.url).origin;

  it('puts a fresh per-run secret in the url it returns and serves requests that carry it', async () => {
    expect(runtime.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{32}$/);
    expect((await invokeFunction(runtime.url, 'counter', {})).status).toBe(200);
  });

  it('answers 403 UnrecognizedClientException without the secret, before running anything', async () => {
    const before = runtime.stats('counter').invocations;
    for (const base of [origin(), `${origin()}/not-the-secret-0123456789`]) {
      const reply = await invokeFunction(base, 'counter', {});
      expect(reply.status).toBe(403);
      expect(reply.headers.get('x-amzn-errortype')).toBe('UnrecognizedClientException');
    }
    expect(runtime.stats('counter').invocations).toBe(before);
  });

  it('is not reachable on any address but loopback', async () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    expect(isLoopbackHost('::')).toBe(false);
    expect(isLoopbackHost('10.1.2.3')).toBe(false);
    await expect(
      startLambdaRuntime({ host: '0.0.0.0', functions: [{ name: 'c', handlerModule: fixture('counter') }] }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTION', argument: 'host' });
  });
});
