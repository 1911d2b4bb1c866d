import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FUNCTION_NAMES } from '@squash/contracts';
import { buildSampleIndex, type SquashServer, startSquashServer } from '@squash/serve';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStalledRequest, readUntilClose } from './raw-http.ts';

/**
 * `squash serve` as a careless or hostile client finds it (issue 11): slow bodies, clients that
 * give up, bodies that grow when wrapped into the Lambda event, malformed paths, the internal
 * Invoke API, HEAD/OPTIONS and 429s. Two servers: one with the defaults, one tight (one query in
 * flight, none queued, a 1 s body deadline, an API key).
 */
const API_KEY = 'reliability-test-key-0123456789';
const ALLOWED_ORIGIN = 'https://app.example.com';
/** Every request gives up after this long, so a wedged server fails tests rather than hanging them. */
const REQUEST_TIMEOUT_MS = 15_000;
/** `fetch` bounded by `REQUEST_TIMEOUT_MS`. */
const request = (url: string, init: RequestInit = {}) =>
  fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
let dir = '';
let sampleQuery: unknown;
let server: SquashServer | undefined;
let tight: SquashServer | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'squash-reliability-'));
  const sample = await buildSampleIndex(join(dir, 'mnist'));
  sampleQuery = sample.sampleQuery;
  server = await startSquashServer({ indexes: [sample.dir], port: 0, bundleDir: join(dir, 'bundles') });
  tight = await startSquashServer({
    indexes: [sample.dir],
    port: 0,
    bundleDir: join(dir, 'bundles-tight'),
    maxInFlight: 1,
    maxQueued: 0,
    bodyTimeoutMs: 1000,
    apiKey: API_KEY,
    corsOrigins: [ALLOWED_ORIGIN],
  });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await tight?.stop();
  await rm(dir, { recursive: true, force: true });
});

const portOf = (s: SquashServer | undefined) => Number(new URL(s!.url).port);
const post = (base: string, path: string, body: string, init: RequestInit = {}) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
    body,
    signal: init.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
const errorCode = async (response: Response) =>
  ((await response.json()) as { error: { code: string } }).error.code;

describe('admission', () => {
  it('answers /health within 1 s while slow bodies stall and impatient clients give up', async () => {
    // A warm server: the first request to each coordinator lane is a cold start.
    expect((await request(`${server!.url}/health`)).status).toBe(200);
    expect((await post(server!.url, '/v1/indexes/mnist/query', JSON.stringify(sampleQuery))).status).toBe(
      200,
    );
    const stalled = await Promise.all(
      Array.from({ length: 12 }, () =>
        openStalledRequest(portOf(server), '/v1/indexes/mnist/query', 5000, '{"vec'),
      ),
    );
    try {
      const impatient = Array.from({ length: 30 }, () =>
        post(server!.url, '/v1/indexes/mnist/query', JSON.stringify(sampleQuery), {
          signal: AbortSignal.timeout(40),
        }).catch(() => 'gave up'),
      );
      await Promise.all(impatient);
      const started = Date.now();
      const health = await request(`${server!.url}/health`, { signal: AbortSignal.timeout(1000) });
      expect(health.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1000);
      // Everything the impatient clients held is free again, and a query gets through.
      await expect
        .poll(() => server!.front.stats().queries, { timeout: 1000 })
        .toEqual({ running: 0, queued: 0 });
      const answered = await post(server!.url, '/v1/indexes/mnist/query', JSON.stringify(sampleQuery), {
        signal: AbortSignal.timeout(5000),
      });
      expect(answered.status).toBe(200);
    } finally {
      for (const socket of stalled) socket.destroy();
    }
  });

  it('answers 408 REQUEST_TIMEOUT and closes the connection when a body misses its deadline', async () => {
    const socket = await openStalledRequest(
      portOf(tight),
      '/v1/indexes/mnist/query',
      5000,
      '{"vector":[',
      `x-api-key: ${API_KEY}\r\n`,
    );
    const started = Date.now();
    const { text, closed } = await readUntilClose(socket, 4000);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text).toContain('"code":"REQUEST_TIMEOUT"');
    expect(closed).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('answers 429 TOO_MANY_REQUESTS with Retry-After when no place is free', async () => {
    const replies = await Promise.all(
      Array.from({ length: 6 }, () =>
        post(tight!.url, '/v1/indexes/mnist/query', JSON.stringify(sampleQuery), {
          headers: { 'x-api-key': API_KEY },
        }),
      ),
    );
    const throttled = replies.filter((reply) => reply.status === 429);
    expect(replies.filter((reply) => reply.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(throttled.length).toBeGreaterThanOrEqual(1);
    for (const reply of throttled) {
      expect(reply.headers.get('retry-after')).toBe('1');
      expect(await errorCode(reply)).toBe('TOO_MANY_REQUESTS');
    }
  });
});

describe('payload limits at the front', () => {
  it.each([
    ['1.1 MB of \\u0001 inside a JSON string', `{"vector":"${'\u0001'.repeat(1_100_000)}"}`],
    ['3.5 MB of double quotes', '"'.repeat(3_500_000)],
  ])(
    'answers 413 PAYLOAD_TOO_LARGE for a body under 6 MiB whose Lambda event is over it: %s',
    async (_, body) => {
      const reply = await post(server!.url, '/v1/indexes/mnist/query', body);
      expect(reply.status).toBe(413);
      const parsed = (await reply.json()) as { error: { code: string; message: string } };
      expect(parsed.error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(parsed.error.message).toMatch(/Lambda event .* allowed: at most 6291456 bytes/);
    },
  );
});

describe('paths', () => {
  it.each(['/v1/indexes/mnist/query%', '/%zz', '/v1/indexes/%E0%A4%A'])(
    'answers 400 INVALID_PATH for malformed percent-encoding in %s',
    async (path) => {
      const reply = await post(server!.url, path, JSON.stringify(sampleQuery));
      expect(reply.status).toBe(400);
      expect(await errorCode(reply)).toBe('INVALID_PATH');
    },
  );

  it('does not decode %2F into a route separator', async () => {
    const reply = await post(server!.url, '/v1/indexes/mnist%2Fquery', JSON.stringify(sampleQuery));
    expect(reply.status).toBe(404);
    expect(await errorCode(reply)).toBe('ROUTE_NOT_FOUND');
  });
});

describe('HEAD and OPTIONS', () => {
  it('answers HEAD like GET without a body', async () => {
    const get = await request(`${server!.url}/v1/indexes/mnist`);
    const getBody = await get.text();
    const head = await request(`${server!.url}/v1/indexes/mnist`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(getBody)));
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(await head.text()).toBe('');
  });

  it('answers OPTIONS with 204 and the methods the path allows', async () => {
    const query = await request(`${server!.url}/v1/indexes/mnist/query`, { method: 'OPTIONS' });
    expect(query.status).toBe(204);
    expect(query.headers.get('allow')).toBe('POST, OPTIONS');
    const describe = await request(`${server!.url}/v1/indexes/mnist`, { method: 'OPTIONS' });
    expect(describe.status).toBe(204);
    expect(describe.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });
});

describe('internal surfaces', () => {
  it('serves the Invoke API on loopback only and only to callers with the per-run secret', async () => {
    const runtime = new URL(server!.runtimeUrl);
    expect(runtime.hostname).toBe('127.0.0.1');
    const invocations = `/2015-03-31/functions/${FUNCTION_NAMES.coordinator}/invocations`;
    const event = JSON.stringify({ rawPath: '/health', requestContext: { http: { method: 'GET' } } });
    const withoutSecret = await request(`${runtime.origin}${invocations}`, { method: 'POST', body: event });
    expect(withoutSecret.status).toBe(403);
    expect(withoutSecret.headers.get('x-amzn-errortype')).toBe('UnrecognizedClientException');
    const withSecret = await request(`${server!.runtimeUrl}${invocations}`, { method: 'POST', body: event });
    expect(withSecret.status).toBe(200);
  });

  it('refuses to start on a non-loopback host without an API key, saying how to give one', async () => {
    await expect(
      startSquashServer({ indexes: [join(dir, 'mnist')], host: '0.0.0.0', port: 0 }),
    ).rejects.toMatchObject({
      code: 'API_KEY_REQUIRED',
      message: expect.stringMatching(/set SQUASH_API_KEY/),
    });
    const env = { ...process.env };
    delete env.SQUASH_API_KEY;
    const cli = spawnSync(
      process.execPath,
      [
        resolve(import.meta.dirname, '../../packages/cli/bin/squash.mjs'),
        'serve',
        '--index',
        join(dir, 'mnist'),
        '--host',
        '0.0.0.0',
        '--port',
        '0',
      ],
      { encoding: 'utf8', env, timeout: 60_000 },
    );
    expect(cli.status).toBe(1);
    expect(cli.stderr).toMatch(
      /not a loopback address, so squash serve requires an API key: set SQUASH_API_KEY/,
    );
  });

  it('requires the x-api-key it was given on every request', async () => {
    const missing = await request(`${tight!.url}/health`);
    expect(missing.status).toBe(401);
    expect(await errorCode(missing)).toBe('UNAUTHORIZED');
    const wrong = await request(`${tight!.url}/health`, { headers: { 'x-api-key': `${API_KEY}x` } });
    expect(wrong.status).toBe(401);
    const right = await request(`${tight!.url}/health`, { headers: { 'x-api-key': API_KEY } });
    expect(right.status).toBe(200);
  });
});

describe('browsers and curl', () => {
  it('answers a CORS preflight from an allowed origin without the API key, then marks responses', async () => {
    const preflight = await request(`${tight!.url}/v1/indexes/mnist/query`, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-api-key');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const allowed = await request(`${tight!.url}/health`, {
      headers: { origin: ALLOWED_ORIGIN, 'x-api-key': API_KEY },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    const other = await request(`${tight!.url}/health`, {
      headers: { origin: 'https://evil.example', 'x-api-key': API_KEY },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const off = await request(`${server!.url}/health`, { headers: { origin: ALLOWED_ORIGIN } });
    expect(off.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('reads a body sent without a content-type as JSON, and still refuses one that says it is not JSON', async () => {
    const bare = await request(`${server!.url}/v1/indexes/mnist/query`, {
      method: 'POST',
      // A byte body, so fetch adds no content-type of its own (a string would get text/plain).
      body: new TextEncoder().encode(JSON.stringify(sampleQuery)),
    });
    expect(bare.status).toBe(200);
    const text = await post(server!.url, '/v1/indexes/mnist/query', JSON.stringify(sampleQuery), {
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
  });
});
