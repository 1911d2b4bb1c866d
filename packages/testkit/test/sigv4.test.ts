import { describe, expect, it } from 'vitest';
import { createFetchSigner, regionOfExecuteApiUrl } from '../src/sigv4-signer.ts';
import { type IncomingSignedRequest, verifySigV4 } from '../src/sigv4-verifier.ts';

// AWS's published SigV4 test suite credentials and clock (aws-sig-v4-test-suite).
const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const signedAt = new Date('2015-08-30T12:36:00Z');
const now = () => signedAt;

const headersOf = (init: RequestInit) => init.headers as Record<string, string>;

describe('createFetchSigner', () => {
  it('reproduces the AWS test vector get-vanilla', async () => {
    const sign = createFetchSigner({ credentials, region: 'us-east-1', service: 'service', now });
    const init = await sign('https://example.amazonaws.com/');
    expect(headersOf(init).authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, ' +
        'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
    expect(headersOf(init)['x-amz-date']).toBe('20150830T123600Z');
  });

  it('reproduces the AWS test vector get-vanilla-query-order-key-case (sorted query)', async () => {
    const sign = createFetchSigner({ credentials, region: 'us-east-1', service: 'service', now });
    const init = await sign('https://example.amazonaws.com/?Param2=value2&Param1=value1');
    expect(headersOf(init).authorization).toMatch(
      /Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500$/,
    );
  });

  it('signs content-type and the session token, leaves host to fetch and keeps the body', async () => {
    const sign = createFetchSigner({
      credentials: { ...credentials, sessionToken: 'TOKEN' },
      region: 'eu-west-1',
      now,
    });
    const init = await sign('https://abc.execute-api.eu-west-1.amazonaws.com/v1/indexes/m/query:batch', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"queries":[]}',
    });
    expect(headersOf(init).authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20150830\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
    expect(headersOf(init)['x-amz-security-token']).toBe('TOKEN');
    expect(headersOf(init).host).toBeUndefined();
    expect(init.body).toBe('{"queries":[]}');
  });

  it('rejects a body it cannot hash with a TypeError', async () => {
    const sign = createFetchSigner({ credentials, region: 'us-east-1', now });
    await expect(sign('https://x/', { method: 'POST', body: new Uint8Array(1) })).rejects.toThrow(TypeError);
  });
});

describe('verifySigV4', () => {
  const url = 'http://127.0.0.1:4000/v1/indexes/mnist/query:batch?b=2&a=1';
  const options = {
    credentials: new Map([[credentials.accessKeyId, credentials]]),
    region: 'us-east-1',
    now,
  };
  const signedRequest = async (body = '{"queries":[]}'): Promise<IncomingSignedRequest> => {
    const init = await createFetchSigner({ credentials, region: 'us-east-1', now })(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return {
      method: 'POST',
      url,
      headers: { ...headersOf(init), host: '127.0.0.1:4000', 'user-agent': 'added-by-fetch' },
      body: Buffer.from(body),
    };
  };

  it('accepts a request signed by the SDK signer, with unsigned headers added on the way', async () => {
    expect(await verifySigV4(await signedRequest(), options)).toEqual({ ok: true });
  });

  it('refuses an unsigned request as API Gateway does', async () => {
    const request = await signedRequest();
    const { authorization: _a, ...headers } = request.headers;
    expect(await verifySigV4({ ...request, headers }, options)).toEqual({
      ok: false,
      message: 'Missing Authentication Token',
    });
  });

  it('refuses a request whose body was changed after signing', async () => {
    const request = await signedRequest();
    const verdict = await verifySigV4({ ...request, body: Buffer.from('{"queries":[1]}') }, options);
    expect(verdict).toMatchObject({ ok: false, message: expect.stringMatching(/does not match/) });
  });

  it('refuses an unknown access key, a wrong region and a stale signature', async () => {
    const request = await signedRequest();
    expect(await verifySigV4(request, { ...options, credentials: new Map() })).toMatchObject({ ok: false });
    expect(await verifySigV4(request, { ...options, region: 'eu-west-1' })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/scoped to eu-west-1/),
    });
    const later = () => new Date(signedAt.getTime() + 6 * 60 * 1000);
    expect(await verifySigV4(request, { ...options, now: later })).toEqual({
      ok: false,
      message: 'Signature expired',
    });
  });
});

describe('regionOfExecuteApiUrl', () => {
  it('reads the region of API Gateway URLs only', () => {
    expect(regionOfExecuteApiUrl('https://abc123.execute-api.eu-west-1.amazonaws.com/v1')).toBe('eu-west-1');
    expect(regionOfExecuteApiUrl('https://abc.execute-api.cn-north-1.amazonaws.com.cn')).toBe('cn-north-1');
    expect(regionOfExecuteApiUrl('http://127.0.0.1:4566')).toBeUndefined();
  });
});
