import { describe, expect, it } from 'vitest';
import {
  createSigner,
  regionOfExecuteApiUrl,
  signFetchInit,
  signRequest,
} from '../../scripts/lib/sigv4-sign.ts';

// AWS's published SigV4 test suite credentials and clock (aws-sig-v4-test-suite).
const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const now = () => new Date('2015-08-30T12:36:00Z');
const suite = { credentials, region: 'us-east-1', service: 'service', now };

describe('signRequest', () => {
  it('reproduces the AWS test vector get-vanilla', () => {
    const signed = signRequest({ method: 'GET', url: 'https://example.amazonaws.com/', headers: {} }, suite);
    expect(signed.headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, ' +
        'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
    expect(signed.headers['x-amz-date']).toBe('20150830T123600Z');
    expect(signed.headers.host).toBe('example.amazonaws.com');
  });

  it('reproduces the AWS test vector get-vanilla-query-order-key-case (sorted query)', () => {
    const signed = signRequest(
      { method: 'GET', url: 'https://example.amazonaws.com/?Param2=value2&Param1=value1', headers: {} },
      suite,
    );
    expect(signed.headers.authorization).toMatch(
      /Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500$/,
    );
  });

  // Expected values cross-checked once against @smithy/signature-v4 (the AWS SDK's signer).
  it('signs a JSON POST to a colon path with a session token as the AWS SDK does', () => {
    const signed = signRequest(
      {
        method: 'POST',
        url: 'https://abc.execute-api.eu-west-1.amazonaws.com/v1/indexes/mnist/query:batch?x=a b&a=1&a=0',
        headers: { 'Content-Type': 'application/json', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD-NOT-USED' },
        body: '{"queries":[]}',
      },
      { credentials: { ...credentials, sessionToken: 'TOKEN' }, region: 'eu-west-1', now },
    );
    expect(signed.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20150830\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
    expect(signed.headers['x-amz-security-token']).toBe('TOKEN');
    expect(signed.body).toBe('{"queries":[]}');
  });

  it('leaves headers a client may add unsigned, and keeps the original request untouched', () => {
    const request = {
      method: 'GET',
      url: 'https://x.execute-api.us-east-1.amazonaws.com/health',
      headers: { 'User-Agent': 'a' },
    };
    const signed = createSigner({ credentials, region: 'us-east-1', now })(request);
    expect(signed.headers.authorization).toContain('SignedHeaders=host;x-amz-date,');
    expect(signed.headers['user-agent']).toBe('a');
    expect(request.headers).toEqual({ 'User-Agent': 'a' });
  });

  it('changes the signature when the body changes', () => {
    const sign = (body: string) =>
      signRequest({ method: 'POST', url: 'https://example.amazonaws.com/', headers: {}, body }, suite).headers
        .authorization;
    expect(sign('{"a":1}')).not.toBe(sign('{"a":2}'));
  });
});

describe('signFetchInit', () => {
  const sign = signFetchInit(createSigner({ credentials, region: 'us-east-1', now }));
  const url = 'https://x.execute-api.us-east-1.amazonaws.com/v1/indexes/m/query';

  it('signs a fetch init like the equivalent request and leaves host to fetch', () => {
    const init = sign(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":1}',
    });
    const expected = signRequest(
      { method: 'POST', url, headers: { 'content-type': 'application/json' }, body: '{"a":1}' },
      { credentials, region: 'us-east-1', now },
    );
    const headers = init.headers as Record<string, string>;
    expect(headers.authorization).toBe(expected.headers.authorization);
    expect(headers.host).toBeUndefined();
    expect(init.body).toBe('{"a":1}');
    expect(init.method).toBe('POST');
  });

  it('signs a GET without body and rejects bodies it cannot hash', () => {
    expect((sign(url, {}).headers as Record<string, string>).authorization).toMatch(/^AWS4-HMAC-SHA256 /);
    expect(() => sign(url, { method: 'POST', body: new Uint8Array(1) })).toThrow(TypeError);
  });
});

describe('regionOfExecuteApiUrl', () => {
  it('reads the region of API Gateway URLs only', () => {
    expect(regionOfExecuteApiUrl('https://abc123.execute-api.eu-west-1.amazonaws.com/v1')).toBe('eu-west-1');
    expect(regionOfExecuteApiUrl('https://abc.execute-api.cn-north-1.amazonaws.com.cn')).toBe('cn-north-1');
    expect(regionOfExecuteApiUrl('http://127.0.0.1:4566')).toBeUndefined();
  });
});
