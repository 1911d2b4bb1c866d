import { describe, expect, it } from 'vitest';
import { parseRetryAfterMs, SquashApiError, SquashClient, signRequest } from '../src/index.ts';

type Call = { url: string; init: RequestInit };

/** A fetch that answers from a script and records what it was asked. */
function scriptedFetch(answers: Array<() => Response>): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetchFn = (async (url: URL | string, init: RequestInit = {}) => {
    calls.push({ url: String(url), init });
    const next = answers.shift();
    if (next === undefined) throw new Error('no more scripted answers');
    return next();
  }) as typeof fetch;
  return { fetch: fetchFn, calls };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });

const NO_WAIT = { baseDelayMs: 1, maxDelayMs: 5 };

describe('SquashClient', () => {
  it('calls the route of the table with the index name encoded and a JSON body', async () => {
    const { fetch, calls } = scriptedFetch([json(200, { matches: [], complete: true, usage: {} })]);
    const client = new SquashClient({ url: 'http://127.0.0.1:9/base', fetch });
    await client.query('my.index', { vector: [1, 2], topK: 3 });
    expect(calls[0]!.url).toBe('http://127.0.0.1:9/base/v1/indexes/my.index/query');
    expect(calls[0]!.init.method).toBe('POST');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ vector: [1, 2], topK: 3 });
    expect((calls[0]!.init.headers as Record<string, string>)['content-type']).toBe('application/json');
  });

  it('retries a 429 after the Retry-After the server sent, then returns the answer', async () => {
    const { fetch, calls } = scriptedFetch([
      json(429, { error: { code: 'TOO_MANY_REQUESTS', message: 'busy' } }, { 'retry-after': '0' }),
      json(503, { error: { code: 'NO_PARTITION_REACHABLE', message: 'down' } }),
      json(200, { indexes: ['a'] }),
    ]);
    const client = new SquashClient({ url: 'http://127.0.0.1:9', fetch, ...NO_WAIT });
    expect(await client.listIndexes()).toEqual(['a']);
    expect(calls).toHaveLength(3);
  });

  it('gives up after maxRetries with the error the API sent', async () => {
    const busy = json(429, { error: { code: 'TOO_MANY_REQUESTS', message: 'busy' } }, { 'retry-after': '0' });
    const { fetch, calls } = scriptedFetch([busy, busy, busy]);
    const client = new SquashClient({ url: 'http://127.0.0.1:9', fetch, maxRetries: 2, ...NO_WAIT });
    const error = await client.health().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SquashApiError);
    expect(error).toMatchObject({ code: 'TOO_MANY_REQUESTS', status: 429 });
    expect(calls).toHaveLength(3);
  });

  it('rejects with the API code, message and request id, without retrying a 4xx', async () => {
    const { fetch, calls } = scriptedFetch([
      json(
        400,
        { error: { code: 'INVALID_FILTER', message: 'invalid filter at $.x' } },
        { 'x-request-id': 'r-1' },
      ),
    ]);
    const client = new SquashClient({ url: 'http://127.0.0.1:9', fetch, ...NO_WAIT });
    await expect(client.query('i', { vector: [0], filter: { x: 1 } })).rejects.toMatchObject({
      code: 'INVALID_FILTER',
      status: 400,
      message: 'invalid filter at $.x',
      requestId: 'r-1',
    });
    expect(calls).toHaveLength(1);
  });

  it('reports an answer that is not JSON as INVALID_RESPONSE', async () => {
    const { fetch } = scriptedFetch([() => new Response('<html>bad gateway</html>', { status: 502 })]);
    const client = new SquashClient({ url: 'http://127.0.0.1:9', fetch, ...NO_WAIT });
    await expect(client.health()).rejects.toMatchObject({ code: 'INVALID_RESPONSE', status: 502 });
  });

  it('reports a refused connection as NETWORK_ERROR after its retries', async () => {
    const client = new SquashClient({ url: 'http://127.0.0.1:1', maxRetries: 1, ...NO_WAIT });
    await expect(client.health()).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
  });

  it('sends the API key header, and a SigV4 signature for IAM auth', async () => {
    const keyed = scriptedFetch([json(200, { status: 'ok' })]);
    await new SquashClient({
      url: 'http://127.0.0.1:9',
      fetch: keyed.fetch,
      auth: { type: 'apiKey', apiKey: 's3cret' },
    }).health();
    expect((keyed.calls[0]!.init.headers as Record<string, string>)['x-api-key']).toBe('s3cret');

    const signed = scriptedFetch([json(200, { status: 'ok' })]);
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' };
    await new SquashClient({
      url: 'https://abc.execute-api.eu-west-1.amazonaws.com',
      fetch: signed.fetch,
      auth: { type: 'iam', region: 'eu-west-1', credentials },
    }).health();
    const headers = signed.calls[0]!.init.headers as Record<string, string>;
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
    expect(headers['x-amz-security-token']).toBe('token');
    expect(headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
  });
});

describe('signRequest', () => {
  const credentials = {
    accessKeyId: 'AKIDEXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  };
  const signingDate = new Date('2015-08-30T12:36:00Z');

  it('reproduces the get-vanilla case of the AWS SigV4 test suite', async () => {
    const headers = await signRequest(
      { method: 'GET', url: new URL('https://example.amazonaws.com/'), headers: {}, body: undefined },
      { region: 'us-east-1', service: 'service', credentials, signingDate },
    );
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('signs the body: a different payload gives a different signature', async () => {
    const sign = (body: string) =>
      signRequest(
        { method: 'POST', url: new URL('https://h.example/v1/indexes/a/query'), headers: {}, body },
        { region: 'us-east-1', credentials, signingDate },
      );
    const [a, b] = await Promise.all([sign('{"vector":[1]}'), sign('{"vector":[2]}')]);
    expect(a.authorization).not.toBe(b.authorization);
  });
});

describe('parseRetryAfterMs', () => {
  it('reads seconds and HTTP dates, and ignores what it cannot read', () => {
    expect(parseRetryAfterMs('3', 0)).toBe(3000);
    expect(parseRetryAfterMs('Thu, 01 Jan 1970 00:00:05 GMT', 1000)).toBe(4000);
    expect(parseRetryAfterMs('soon', 0)).toBeUndefined();
    expect(parseRetryAfterMs(null, 0)).toBeUndefined();
  });
});
